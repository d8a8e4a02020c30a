import { evaluateCertificate } from "./certificate-check";
import { describeOutcome, EdgeTarget, exchange, HandshakeOutcome, HttpOutcome, probeHandshake, Timing } from "./connection";
import { EdgeExpectations } from "./edge-expectations";
import { ALPN_OFFER, evaluateHttp2, probeTls13Sessions } from "./handshake-checks";
import { checkHttpOnlyRedirects, checkHttpsHeaders, evaluateRedirect, REDIRECT_PROBE } from "./http-checks";
import { CheckResult, HostReport, InfoItem, VerifyReport } from "./report";
import { judgeTlsScan } from "./tls-checks";
import { scanTls, TlsScan } from "./tls-scan";
import { TrustStore } from "./trust-store";

export interface VerifyEdgeProps {
  readonly expectations: EdgeExpectations;
  /** Environment name, for the report. */
  readonly environment?: string;
  readonly trust: TrustStore;
  /** host -> address to dial instead of resolving the host. */
  readonly resolve: ReadonlyMap<string, string>;
  readonly httpsPort: number;
  readonly httpPort: number;
  readonly timing: Timing;
  /** The whole TLS scan (sslyze, every host at once), in milliseconds. */
  readonly scanBudgetMs: number;
  /** @default new Date() — the clock days to expiry are counted from */
  readonly now?: Date;
}

/**
 * Verifies every host at once. First contact: one TLS 1.2/1.3 handshake offering HTTP/2 by ALPN and the redirect
 * request, together; a host where neither port answers is unreachable and nothing else is tried. Then the two TLS 1.3
 * handshakes (full, then resumed) of every host whose HTTPS port answered; then, together, the sslyze scan of those
 * hosts and every host's HTTP checks.
 */
export async function verifyEdge(props: VerifyEdgeProps): Promise<VerifyReport> {
  const { timing, expectations } = props;
  const now = props.now ?? new Date();
  const targets: EdgeTarget[] = expectations.hosts.map((host) => ({ host, address: props.resolve.get(host) ?? host, httpsPort: props.httpsPort, httpPort: props.httpPort }));
  const contacts = await Promise.all(
    targets.map(async (target) => {
      const [handshake, redirect] = await Promise.all([
        probeHandshake(target, { minVersion: "TLSv1.2", maxVersion: "TLSv1.3", alpnProtocols: ALPN_OFFER }, timing),
        exchange(target, { scheme: "http", ...REDIRECT_PROBE }, timing),
      ]);
      return { target, handshake, redirect };
    }),
  );
  const httpsAnswered = contacts.filter((c) => c.handshake.kind !== "no-answer");
  // The TLS 1.3 handshake is timed before the scan starts: sslyze's hundreds of handshakes would slow the server down.
  const sessions = await Promise.all(contacts.map((c) => (c.handshake.kind === "no-answer" ? [] : probeTls13Sessions(c.target, timing))));
  const [scans, httpSide] = await Promise.all([
    scanTls({ targets: httpsAnswered.map((c) => c.target), timing, trustPems: props.trust.pems, caFile: props.trust.caFile, budgetMs: props.scanBudgetMs, now: props.now }),
    Promise.all(contacts.map((contact) => httpChecks(contact, props))),
  ]);
  const hosts = contacts.map((contact, i) => assemble(contact, { checks: httpSide[i], information: sessions[i] }, scans.get(contact.target.host), props, now));
  return { environment: props.environment, timing, scanBudgetMs: props.scanBudgetMs, hosts };
}

interface Contact {
  readonly target: EdgeTarget;
  readonly handshake: HandshakeOutcome;
  readonly redirect: HttpOutcome;
}

/** The HTTP checks: HSTS on the HTTPS port, nothing but redirects on the HTTP port. */
async function httpChecks({ target, handshake, redirect }: Contact, props: VerifyEdgeProps): Promise<CheckResult[]> {
  const [headers, httpOnly] = await Promise.all([
    handshake.kind !== "no-answer" ? checkHttpsHeaders(target, props.expectations, redirect, props.timing) : [],
    redirect.kind === "answered" ? checkHttpOnlyRedirects(target, props.timing) : undefined,
  ]);
  return [...headers, httpOnly].filter((c): c is CheckResult => c !== undefined);
}

function assemble(contact: Contact, side: { checks: CheckResult[]; information: InfoItem[] }, scan: TlsScan | undefined, props: VerifyEdgeProps, now: Date): HostReport {
  const { target, handshake, redirect } = contact;
  const base = { host: target.host, address: target.address, httpsPort: target.httpsPort, httpPort: target.httpPort };
  if (handshake.kind === "no-answer" && redirect.kind === "no-answer") {
    return {
      ...base,
      reachable: false,
      unreachableReason: `https ${target.address}:${target.httpsPort}: ${describeOutcome(handshake)}; http ${target.address}:${target.httpPort}: no answer after ${redirect.attempts} attempt(s) (${redirect.reason})`,
      checks: [],
      information: [],
    };
  }
  const checks: CheckResult[] = [];
  const information: InfoItem[] = [];
  let report: Partial<HostReport> = {};
  if (handshake.kind === "no-answer") {
    checks.push({ host: target.host, check: "https", ok: false, expected: `a TLS handshake on port ${target.httpsPort}`, got: describeOutcome(handshake) });
  } else if (scan?.kind === "scanned") {
    const tls = judgeTlsScan(target.host, scan);
    checks.push(...tls.results);
    information.push(...tls.information);
    report = { acceptedTls12CipherSuites: tls.acceptedTls12CipherSuites };
    if (scan.certificate) {
      const certificate = evaluateCertificate(target.host, scan.certificate, props.expectations, now);
      checks.push(...certificate.results);
      report = { ...report, certificate: certificate.summary };
    } else {
      checks.push({ host: target.host, check: "certificate-chain", ok: false, expected: "a certificate", got: `not determined: sslyze's certificate_info scan failed (${scan.errors.certificate_info ?? "no certificate"})` });
    }
  } else {
    // Nothing to judge the TLS side by: one finding says why, so a host never passes a check that did not run.
    const why = scan === undefined ? "not scanned" : scan.kind === "no-connectivity" ? `sslyze could not complete a handshake: ${scan.error}` : scan.reason;
    checks.push({ host: target.host, check: "tls-scan", ok: false, expected: "a complete TLS scan (protocols, suites, key exchange, certificate, weaknesses)", got: why });
  }
  if (handshake.kind !== "no-answer") checks.push(evaluateHttp2(target.host, handshake));
  const onHttps = (c: CheckResult) => c.check === "hsts" || c.check === "security-headers";
  checks.push(...side.checks.filter(onHttps));
  checks.push(evaluateRedirect(target, redirect));
  checks.push(...side.checks.filter((c) => !onHttps(c)));
  information.unshift(...side.information);
  return { ...base, reachable: true, checks, information, ...report };
}
