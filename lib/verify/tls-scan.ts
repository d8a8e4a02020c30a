import { spawn } from "node:child_process";
import * as path from "node:path";
import { EdgeTarget, Timing } from "./connection";

/**
 * The TLS layer of the verifier is sslyze (6.3.1, pinned in requirements-verify.txt): lib/verify/tls_scan.py scans
 * every host at once and reports what it observed, one JSON line per host; the checks in tls-checks.ts and
 * certificate-check.ts judge it. This file starts the scan, bounds it, and types its output.
 */

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The verify virtualenv scripts/python-tools.js provisions (`node scripts/python-tools.js verify`). */
export const VERIFY_VENV = path.join(REPO_ROOT, ".venv-verify");
const PYTHON = path.join(VERIFY_VENV, "bin", "python");
const DRIVER = path.join(__dirname, "tls_scan.py");

/** A key exchange as sslyze saw it: ECDH with its curve, or finite-field DH, with the key size in bits. */
export interface EphemeralKey {
  readonly type: string;
  readonly size: number;
  readonly curve: string | null;
}

export interface AcceptedSuite {
  /** OpenSSL name (`ECDHE-ECDSA-AES128-GCM-SHA256`), the spelling AWS uses for ALB policies. */
  readonly name: string;
  /** IANA name (`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`). */
  readonly iana: string;
  /** null: no ephemeral key, i.e. static RSA key exchange. */
  readonly ephemeralKey: EphemeralKey | null;
}

/** Protocol names as Node spells them. */
export type ProtocolName = "SSLv2" | "SSLv3" | "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

export interface ProtocolScan {
  readonly supported: boolean;
  readonly accepted: readonly AcceptedSuite[];
  /** The first reason sslyze recorded for a refused suite ("TLS alert: protocol version"). */
  readonly firstRejection: string | null;
}

/** One path validation by `cryptography` (RFC 5280 + the CA/Browser Forum server profile). */
export type PathValidation = { readonly ok: true; readonly path: readonly string[] } | { readonly ok: false; readonly error: string };

export interface CertificateScan {
  /** The chain as the server sent it, PEM, leaf first. */
  readonly chain: readonly string[];
  readonly validation: {
    /** For the host name, now. */
    readonly withName: PathValidation;
    /** For a name the leaf carries, now: the chain alone. null when the leaf has no DNS name in its SAN. */
    readonly ignoringName: PathValidation | null;
    /** For that name at the edge of the leaf's validity; only when the leaf is expired or not yet valid. */
    readonly atLeafValidity: PathValidation | null;
  };
  readonly ocspStapled: boolean;
  readonly mustStaple: boolean;
  readonly sctCount: number | null;
  readonly chainOrderValid: boolean | null;
  readonly sendsAnchor: boolean | null;
}

export interface ScanExtras {
  readonly compression?: boolean;
  readonly earlyData?: boolean;
  readonly ccsInjection?: boolean;
  readonly fallbackScsv?: boolean;
  readonly heartbleed?: boolean;
  /** sslyze's RobotScanResultEnum name, e.g. NOT_VULNERABLE_NO_ORACLE, VULNERABLE_STRONG_ORACLE. */
  readonly robot?: string;
  readonly secureRenegotiation?: boolean;
  readonly clientRenegotiationDos?: boolean;
  /** TLS 1.2 resumption (sslyze's TlsResumptionSupportEnum names). */
  readonly resumption?: { readonly sessionId: string; readonly ticket: string };
  readonly groups?: { readonly ecdh: boolean; readonly supported: readonly string[] };
  readonly extendedMasterSecret?: boolean;
}

/** What sslyze saw on one host. */
export type TlsScan =
  | {
      readonly kind: "scanned";
      readonly host: string;
      /** Scan commands that did not complete, with sslyze's reason; their checks cannot pass. */
      readonly errors: Readonly<Record<string, string>>;
      readonly protocols: Partial<Record<ProtocolName, ProtocolScan>>;
      readonly certificate?: CertificateScan;
      readonly extras: ScanExtras;
      readonly mozillaIntermediate: { readonly compliant: boolean; readonly issues: Readonly<Record<string, string>> } | { readonly incomplete: string };
    }
  /** sslyze could not complete a handshake: `answered` when the server refused (alert), not when it was silent. */
  | { readonly kind: "no-connectivity"; readonly host: string; readonly answered: boolean; readonly error: string }
  /** The scan did not report this host before the budget ran out, or the driver failed on it. */
  | { readonly kind: "incomplete"; readonly host: string; readonly reason: string };

export interface TlsScanProps {
  readonly targets: readonly EdgeTarget[];
  readonly timing: Timing;
  /** Trusted certificates, PEM texts (Node's roots, the system bundle, --ca-file); Mozilla's roots are added. */
  readonly trustPems: readonly string[];
  /** --ca-file, also given to sslyze's own certificate analysis (its Mozilla compliance check). */
  readonly caFile?: string;
  /** The whole scan, all hosts; hosts not reported by then are `incomplete`. */
  readonly budgetMs: number;
  /** Clock for path validation. @default now */
  readonly now?: Date;
}

/** Scans every target at once (sslyze runs up to 10 hosts in parallel, 5 connections each). */
export async function scanTls(props: TlsScanProps): Promise<Map<string, TlsScan>> {
  const results = new Map<string, TlsScan>();
  if (props.targets.length === 0) return results;
  const request = {
    targets: props.targets.map((t, i) => ({ id: String(i), host: t.host, address: t.address, port: t.httpsPort })),
    timeoutSeconds: Math.max(1, Math.round(props.timing.timeoutMs / 1000)),
    retries: props.timing.retries,
    trustPems: props.trustPems,
    caFile: props.caFile ?? null,
    now: props.now?.toISOString() ?? null,
  };
  const outcome = await runDriver(JSON.stringify(request), props.budgetMs, (line) => {
    const target = props.targets[Number(line.id)];
    if (!target) return;
    results.set(target.host, toScan(target.host, line));
  });
  for (const target of props.targets) {
    if (!results.has(target.host)) results.set(target.host, { kind: "incomplete", host: target.host, reason: outcome });
  }
  return results;
}

type DriverLine = Record<string, any> & { id?: string; done?: boolean };

function toScan(host: string, line: DriverLine): TlsScan {
  if (line.driverError) return { kind: "incomplete", host, reason: `the scan driver failed on this host: ${String(line.driverError).trim().split("\n").pop()}` };
  if (!line.connectivity?.ok) return { kind: "no-connectivity", host, answered: Boolean(line.connectivity?.answered), error: String(line.connectivity?.error) };
  return {
    kind: "scanned",
    host,
    errors: line.errors ?? {},
    protocols: line.protocols ?? {},
    certificate: line.certificate,
    extras: line.extras ?? {},
    mozillaIntermediate: line.mozillaIntermediate,
  };
}

/** Runs the driver; resolves with why it ended early ("" after {"done": true}). */
function runDriver(input: string, budgetMs: number, onLine: (line: DriverLine) => void): Promise<string> {
  return new Promise((resolve) => {
    // -W ignore: cryptography warns on stderr about odd root certificates in the bundled stores; nothing to act on.
    const child = spawn(PYTHON, ["-W", "ignore", DRIVER], { stdio: ["pipe", "pipe", "pipe"] });
    let buffered = "";
    let stderr = "";
    let done = false;
    let settled = false;
    const finish = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      resolve(reason);
    };
    const timer = setTimeout(() => finish(`the TLS scan's ${budgetMs / 1000} s budget ran out before this host was done`), budgetMs);
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const text = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!text) continue;
        const line = JSON.parse(text) as DriverLine;
        if (line.done) done = true;
        else onLine(line);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => finish(`the TLS scan could not start (${error.message}); run node scripts/python-tools.js verify`));
    child.on("close", (code) => finish(done ? "" : `the TLS scan ended (exit ${code}) before this host was done: ${lastLine(stderr)}`));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}
