import { CipherSuiteClass } from "./cipher-suites";
import { Timing } from "./connection";

/** One observation about one host: passed (`ok`) or a finding. */
export interface CheckResult {
  readonly host: string;
  /**
   * Stable id: ssl2.0, ssl3.0, tls1.0 … tls1.3, tls1.2-ciphers, tls1.3-ciphers, key-exchange, heartbleed,
   * openssl-ccs-injection, robot, compression, secure-renegotiation, fallback-scsv, extended-master-secret,
   * certificate-{chain,name,names,key,expiry}, validity, http2, hsts, redirect, http-only, https, tls-scan.
   */
  readonly check: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly got: string;
}

/** An observation that is never a finding by itself (handshake time, resumption, groups, Mozilla's verdict). */
export interface InfoItem {
  readonly host: string;
  /** Stable id: tls1.3-handshake, tls1.3-resumption, tls1.2-resumption, groups, early-data, ... */
  readonly item: string;
  readonly value: string;
}

/** What the certificate check saw, for the report (never a finding by itself). */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** DNS names of the subjectAltName. */
  readonly names: readonly string[];
  readonly key: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysToExpiry: number;
  /** notBefore through notAfter inclusive, in days. */
  readonly validityDays: number;
  /** Subjects of the certificates the server sent, leaf first. */
  readonly chainSent: readonly string[];
}

export interface HostReport {
  readonly host: string;
  readonly address: string;
  readonly httpsPort: number;
  readonly httpPort: number;
  /** False when neither the HTTPS nor the HTTP port answered: no check could run. */
  readonly reachable: boolean;
  readonly unreachableReason?: string;
  readonly checks: readonly CheckResult[];
  /** Observations that never fail the run. */
  readonly information: readonly InfoItem[];
  readonly certificate?: CertificateSummary;
  /** TLS 1.2 suites the server accepted, classified. */
  readonly acceptedTls12CipherSuites?: readonly CipherSuiteClass[];
}

export interface VerifyReport {
  /** Environment whose names and settings were used, if any. */
  readonly environment?: string;
  readonly timing: Timing;
  /** The TLS scan's budget, all hosts together. */
  readonly scanBudgetMs: number;
  readonly hosts: readonly HostReport[];
}

/** Exit codes, documented in the README. */
export const EXIT_CODES = {
  /** Every check on every host passed. */
  ok: 0,
  /** At least one finding. */
  findings: 1,
  /** At least one host answered on neither port (wins over findings). */
  unreachable: 2,
  /** Bad command line or configuration; nothing was probed. */
  usage: 3,
} as const;

export function findings(report: VerifyReport): CheckResult[] {
  return report.hosts.flatMap((host) => host.checks.filter((check) => !check.ok));
}

export function exitCode(report: VerifyReport): number {
  if (report.hosts.some((host) => !host.reachable)) return EXIT_CODES.unreachable;
  return findings(report).length > 0 ? EXIT_CODES.findings : EXIT_CODES.ok;
}

/** One line per finding: host, check, expected, got. */
export function findingLine(finding: CheckResult): string {
  return `FINDING ${finding.host} ${finding.check}: expected ${finding.expected}; got ${finding.got}`;
}

export function unreachableLine(host: HostReport): string {
  return `UNREACHABLE ${host.host}: ${host.unreachableReason}`;
}

/** The human report: per host every check, then the verdict lines a CI log reader greps for. */
export function formatText(report: VerifyReport): string {
  const lines: string[] = [];
  const { timeoutMs, retries, retryDelayMs } = report.timing;
  lines.push(
    `Verifying ${report.hosts.length} host(s)${report.environment ? ` of environment ${report.environment}` : ""}; ` +
      `each connection ${timeoutMs / 1000} s at most, retried ${retries} time(s) ${retryDelayMs / 1000} s apart when nothing answers; ` +
      `the TLS scan (sslyze) ${report.scanBudgetMs / 1000} s at most`,
  );
  for (const host of report.hosts) {
    lines.push("", `${host.host} (connect ${host.address}, https ${host.httpsPort}, http ${host.httpPort})`);
    if (!host.reachable) lines.push(`  unreachable: ${host.unreachableReason}`);
    const width = Math.max(0, ...host.checks.map((check) => check.check.length), ...host.information.map((info) => info.item.length));
    for (const check of host.checks) {
      lines.push(`  ${check.ok ? "ok  " : "FAIL"}  ${check.check.padEnd(width)}  ${check.ok ? check.got : `expected ${check.expected}; got ${check.got}`}`);
    }
    for (const info of host.information) lines.push(`  info  ${info.item.padEnd(width)}  ${info.value}`);
    if (host.certificate) {
      const c = host.certificate;
      lines.push(`  certificate: ${c.subject}; issuer ${c.issuer}; names ${c.names.join(", ")}; key ${c.key}; not after ${c.notAfter} (${c.daysToExpiry} days)`);
      lines.push(`  chain sent: ${c.chainSent.join(" > ")}`);
    }
  }
  const found = findings(report);
  const unreachable = report.hosts.filter((host) => !host.reachable);
  lines.push("", `Result: ${found.length} finding(s), ${unreachable.length} unreachable host(s); exit ${exitCode(report)}`);
  lines.push(...unreachable.map(unreachableLine), ...found.map(findingLine));
  return lines.join("\n") + "\n";
}

/** The same content for CI: the report plus the verdict. */
export function formatJson(report: VerifyReport): string {
  const unreachable = report.hosts.filter((host) => !host.reachable).map((host) => ({ host: host.host, reason: host.unreachableReason }));
  const body = {
    exitCode: exitCode(report),
    environment: report.environment ?? null,
    timing: report.timing,
    scanBudgetMs: report.scanBudgetMs,
    findings: findings(report).map(({ host, check, expected, got }) => ({ host, check, expected, got })),
    unreachable,
    hosts: report.hosts,
  };
  return JSON.stringify(body, null, 2) + "\n";
}
