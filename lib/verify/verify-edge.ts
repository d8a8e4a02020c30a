import { evaluateCertificate } from "./certificate-check";
import { EdgeTarget, exchange, probeHandshake, Timing } from "./connection";
import { EdgeExpectations } from "./edge-expectations";
import { checkHsts, checkHttpOnlyRedirects, evaluateRedirect, REDIRECT_PROBE } from "./http-checks";
import { checkProtocols, checkTls12CipherSuites, describeOutcome } from "./protocol-probe";
import { CheckResult, HostReport, VerifyReport } from "./report";
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
  /** @default new Date() — the clock days to expiry are counted from */
  readonly now?: Date;
}

/** Verifies every host, one after the other (each host's probes run in parallel). */
export async function verifyEdge(props: VerifyEdgeProps): Promise<VerifyReport> {
  const hosts: HostReport[] = [];
  for (const host of props.expectations.hosts) {
    const target: EdgeTarget = { host, address: props.resolve.get(host) ?? host, httpsPort: props.httpsPort, httpPort: props.httpPort };
    hosts.push(await verifyHost(target, props));
  }
  return { environment: props.environment, timing: props.timing, hosts };
}

/**
 * First one default TLS handshake (it also yields the certificate) and the redirect request, together: if neither
 * port answers, the host is unreachable and nothing else is tried. Otherwise every check whose port answered runs.
 */
async function verifyHost(target: EdgeTarget, props: VerifyEdgeProps): Promise<HostReport> {
  const { timing, expectations } = props;
  const [handshake, redirect] = await Promise.all([
    probeHandshake(target, { minVersion: "TLSv1.2", maxVersion: "TLSv1.3", ca: props.trust.pems }, timing),
    exchange(target, { scheme: "http", ...REDIRECT_PROBE }, timing),
  ]);
  const base = { host: target.host, address: target.address, httpsPort: target.httpsPort, httpPort: target.httpPort };
  if (handshake.kind === "no-answer" && redirect.kind === "no-answer") {
    return {
      ...base,
      reachable: false,
      unreachableReason: `https ${target.address}:${target.httpsPort}: ${describeOutcome(handshake)}; http ${target.address}:${target.httpPort}: no answer after ${redirect.attempts} attempt(s) (${redirect.reason})`,
      checks: [],
    };
  }

  const checks: CheckResult[] = [];
  let report: Partial<HostReport> = {};
  const httpsAnswered = handshake.kind !== "no-answer";
  const httpChecks = redirect.kind === "answered" ? checkHttpOnlyRedirects(target, timing) : undefined;
  if (httpsAnswered) {
    const [protocols, ciphers, hsts] = await Promise.all([
      checkProtocols(target, timing),
      checkTls12CipherSuites(target, timing),
      checkHsts(target, expectations.hsts, timing),
    ]);
    checks.push(...protocols, ...ciphers.results);
    if (handshake.kind === "accepted") {
      const certificate = evaluateCertificate(target.host, handshake, expectations, props.trust, props.now ?? new Date());
      checks.push(...certificate.results);
      report = { certificate: certificate.summary };
    } else {
      checks.push({ host: target.host, check: "certificate-chain", ok: false, expected: "a TLS 1.2 or 1.3 handshake to read the certificate from", got: describeOutcome(handshake) });
    }
    report = { ...report, acceptedTls12CipherSuites: ciphers.accepted };
    checks.push(hsts);
  } else {
    checks.push({ host: target.host, check: "https", ok: false, expected: `a TLS handshake on port ${target.httpsPort}`, got: describeOutcome(handshake) });
  }
  checks.push(evaluateRedirect(target, redirect));
  if (httpChecks) checks.push(await httpChecks);
  return { ...base, reachable: true, checks, ...report };
}
