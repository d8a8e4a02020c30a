import { CipherSuiteClass, classifyCipherSuite, describeCipherSuite, isStrongCipherSuite, RECOMMENDED_TLS13_SUITES } from "./cipher-suites";
import { CheckResult, InfoItem } from "./report";
import { AcceptedSuite, ProtocolName, ScanExtras, TlsScan } from "./tls-scan";

/**
 * Verdicts on what sslyze observed (tls-scan.ts): protocol versions, suites, key exchange, and the TLS weaknesses
 * sslyze tests for. Every weakness Mozilla's "intermediate" check fails a server on is a finding here too; what an
 * ALB decides for itself (groups, resumption, OCSP stapling, 0-RTT) is information.
 */

/** TLS versions the edge must refuse and must accept; the check ids are the report's. */
const PROTOCOL_EXPECTATIONS: readonly { check: string; protocol: ProtocolName; command: string; accept: boolean }[] = [
  { check: "ssl2.0", protocol: "SSLv2", command: "ssl_2_0_cipher_suites", accept: false },
  { check: "ssl3.0", protocol: "SSLv3", command: "ssl_3_0_cipher_suites", accept: false },
  { check: "tls1.0", protocol: "TLSv1", command: "tls_1_0_cipher_suites", accept: false },
  { check: "tls1.1", protocol: "TLSv1.1", command: "tls_1_1_cipher_suites", accept: false },
  { check: "tls1.2", protocol: "TLSv1.2", command: "tls_1_2_cipher_suites", accept: true },
  { check: "tls1.3", protocol: "TLSv1.3", command: "tls_1_3_cipher_suites", accept: true },
];

/** Smallest ephemeral keys accepted: Mozilla "intermediate" (ECDH 256 bits, DH 2048 bits). */
const MIN_ECDH_BITS = 256;
const MIN_DH_BITS = 2048;
/** Curves whose key size OpenSSL reports below their strength (X25519 as 253 bits). */
const MODERN_CURVES = new Set(["X25519", "X448"]);

/** sslyze's RobotScanResultEnum in words. */
const ROBOT_TEXT: Record<string, string> = {
  NOT_VULNERABLE_NO_ORACLE: "not vulnerable",
  NOT_VULNERABLE_RSA_NOT_SUPPORTED: "not vulnerable (no RSA key exchange)",
  VULNERABLE_WEAK_ORACLE: "VULNERABLE (weak oracle)",
  VULNERABLE_STRONG_ORACLE: "VULNERABLE (strong oracle)",
  UNKNOWN_INCONSISTENT_RESULTS: "not determined: inconsistent results",
};

/** The weaknesses sslyze tests; each is a finding when present, and when it could not be tested. */
const WEAKNESSES: readonly { check: string; command: string; expected: string; judge: (extras: ScanExtras) => { ok: boolean; got: string } | undefined }[] = [
  { check: "heartbleed", command: "heartbleed", expected: "not vulnerable to Heartbleed (CVE-2014-0160)", judge: (e) => bool(e.heartbleed, (v) => !v, "not vulnerable", "VULNERABLE") },
  { check: "openssl-ccs-injection", command: "openssl_ccs_injection", expected: "not vulnerable to OpenSSL CCS injection (CVE-2014-0224)", judge: (e) => bool(e.ccsInjection, (v) => !v, "not vulnerable", "VULNERABLE") },
  {
    check: "robot",
    command: "robot",
    expected: "not vulnerable to ROBOT (an RSA padding oracle)",
    // UNKNOWN_INCONSISTENT_RESULTS is not a pass either: only sslyze's two NOT_VULNERABLE answers are.
    judge: (e) => (e.robot === undefined ? undefined : { ok: e.robot.startsWith("NOT_VULNERABLE"), got: ROBOT_TEXT[e.robot] ?? e.robot }),
  },
  { check: "compression", command: "tls_compression", expected: "TLS compression refused (CRIME)", judge: (e) => bool(e.compression, (v) => !v, "refused", "accepted") },
  { check: "secure-renegotiation", command: "session_renegotiation", expected: "secure renegotiation (RFC 5746) supported", judge: (e) => bool(e.secureRenegotiation, (v) => v, "supported", "not supported: insecure renegotiation") },
  { check: "fallback-scsv", command: "tls_fallback_scsv", expected: "TLS_FALLBACK_SCSV honoured (downgrade protection)", judge: (e) => bool(e.fallbackScsv, (v) => v, "honoured", "not honoured") },
  {
    check: "extended-master-secret",
    command: "tls_extended_master_secret",
    expected: "the Extended Master Secret extension (RFC 7627) supported",
    judge: (e) => bool(e.extendedMasterSecret, (v) => v, "supported", "not supported"),
  },
];

export interface TlsVerdicts {
  readonly results: CheckResult[];
  readonly information: InfoItem[];
  /** TLS 1.2 suites the server accepted, classified. */
  readonly acceptedTls12CipherSuites: CipherSuiteClass[];
}

export function judgeTlsScan(host: string, scan: Extract<TlsScan, { kind: "scanned" }>): TlsVerdicts {
  const result = (check: string, ok: boolean, expected: string, got: string): CheckResult => ({ host, check, ok, expected, got });
  const notDetermined = (command: string) => `not determined: sslyze's ${command} scan failed (${scan.errors[command]})`;
  const results: CheckResult[] = [];

  for (const { check, protocol, command, accept } of PROTOCOL_EXPECTATIONS) {
    const observed = scan.protocols[protocol];
    const expected = accept ? "accepted" : "refused";
    if (!observed) results.push(result(check, false, expected, notDetermined(command)));
    else results.push(result(check, observed.supported === accept, expected, observed.supported ? `accepted (${listSuites(observed.accepted)})` : `refused (${observed.firstRejection ?? "no suite accepted"})`));
  }

  const tls12 = scan.protocols["TLSv1.2"];
  const accepted12 = (tls12?.accepted ?? []).map((s) => classifyCipherSuite(s.name, s.ephemeralKey !== null));
  const expected12 = "only suites with forward secrecy and AES-GCM or ChaCha20-Poly1305";
  if (!tls12) results.push(result("tls1.2-ciphers", false, expected12, notDetermined("tls_1_2_cipher_suites")));
  else {
    const weak = accepted12.filter((suite) => !isStrongCipherSuite(suite));
    results.push(...weak.map((suite) => result("tls1.2-ciphers", false, expected12, `${suite.name} accepted (${describeCipherSuite(suite)})`)));
    if (weak.length === 0) results.push(result("tls1.2-ciphers", true, expected12, `${accepted12.length} suite(s) accepted: ${accepted12.map((s) => s.name).join(", ") || "none"}`));
  }

  const tls13 = scan.protocols["TLSv1.3"];
  const expected13 = `only ${RECOMMENDED_TLS13_SUITES.join(", ")}`;
  if (!tls13) results.push(result("tls1.3-ciphers", false, expected13, notDetermined("tls_1_3_cipher_suites")));
  else {
    const names = tls13.accepted.map((s) => s.name);
    const other = names.filter((name) => !RECOMMENDED_TLS13_SUITES.includes(name));
    results.push(result("tls1.3-ciphers", other.length === 0, expected13, other.length === 0 ? `${names.length} suite(s) accepted: ${names.join(", ") || "none"}` : `also ${other.join(", ")} accepted`));
  }

  results.push(judgeKeyExchange(host, scan));

  for (const weakness of WEAKNESSES) {
    const verdict = scan.errors[weakness.command] ? undefined : weakness.judge(scan.extras);
    results.push(result(weakness.check, verdict?.ok ?? false, weakness.expected, verdict?.got ?? notDetermined(weakness.command)));
  }

  return { results, information: information(host, scan), acceptedTls12CipherSuites: accepted12 };
}

/**
 * Every accepted suite's key exchange (SSL 3.0 to TLS 1.3) is ephemeral and large enough: ECDH >= 256 bits (X25519
 * and X448 count as strong), DH >= 2048 bits. One finding lists every offending suite.
 */
function judgeKeyExchange(host: string, scan: Extract<TlsScan, { kind: "scanned" }>): CheckResult {
  const expected = `an ephemeral key exchange in every accepted suite: ECDHE >= ${MIN_ECDH_BITS} bits or DHE >= ${MIN_DH_BITS} bits`;
  const problems: string[] = [];
  const offending = (protocol: string, suite: AcceptedSuite): string | undefined => {
    const key = suite.ephemeralKey;
    if (key === null) return `${suite.name} (${protocol}): static RSA, no forward secrecy`;
    if (key.type === "ECDH" && !MODERN_CURVES.has(String(key.curve)) && key.size < MIN_ECDH_BITS) return `${suite.name} (${protocol}): ECDH ${key.curve} ${key.size} bits`;
    if (key.type === "DH" && key.size < MIN_DH_BITS) return `${suite.name} (${protocol}): DH ${key.size} bits`;
    return undefined;
  };
  const missing = (["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const).filter((p) => !scan.protocols[p]);
  for (const [protocol, observed] of Object.entries(scan.protocols)) {
    if (protocol === "SSLv2") continue; // SSL 2.0 has no key exchange to speak of; the ssl2.0 check covers it
    for (const suite of observed?.accepted ?? []) {
      const problem = offending(protocol, suite);
      if (problem) problems.push(problem);
    }
  }
  if (missing.length > 0) problems.push(`not determined for ${missing.join(", ")}`);
  const exchanges = new Set(
    Object.values(scan.protocols).flatMap((observed) => (observed?.accepted ?? []).map((s) => (s.ephemeralKey ? `${s.ephemeralKey.type === "ECDH" ? "ECDHE" : "DHE"} ${s.ephemeralKey.curve ?? `${s.ephemeralKey.size} bits`}` : "static RSA"))),
  );
  return { host, check: "key-exchange", ok: problems.length === 0, expected, got: problems.length === 0 ? `seen: ${[...exchanges].sort().join(", ") || "none"}` : problems.join("; ") };
}

function information(host: string, scan: Extract<TlsScan, { kind: "scanned" }>): InfoItem[] {
  const { extras, certificate } = scan;
  const items: InfoItem[] = [];
  const add = (item: string, value: string | undefined) => value !== undefined && items.push({ host, item, value });
  add("groups", extras.groups ? `${extras.groups.supported.join(", ") || "none"} (elliptic-curve groups the server accepts)` : undefined);
  add("tls1.2-resumption", extras.resumption ? `session IDs ${resumption(extras.resumption.sessionId)}; session tickets ${resumption(extras.resumption.ticket)}` : undefined);
  add("early-data", extras.earlyData === undefined ? undefined : extras.earlyData ? "TLS 1.3 0-RTT data accepted" : "TLS 1.3 0-RTT data not accepted");
  add("client-renegotiation", extras.clientRenegotiationDos === undefined ? undefined : extras.clientRenegotiationDos ? "client-initiated renegotiation accepted (a denial-of-service lever)" : "client-initiated renegotiation refused");
  add("ocsp-stapling", certificate ? `${certificate.ocspStapled ? "an OCSP response is stapled" : "no OCSP response stapled"}${certificate.mustStaple ? "; the certificate demands stapling (must-staple)" : ""}` : undefined);
  add("certificate-transparency", certificate && certificate.sctCount !== null ? `${certificate.sctCount} embedded SCT(s)` : undefined);
  const mozilla = scan.mozillaIntermediate;
  add(
    "mozilla-intermediate",
    "incomplete" in mozilla
      ? `not evaluated: ${mozilla.incomplete}`
      : mozilla.compliant
        ? "compliant (sslyze's check against Mozilla's intermediate configuration)"
        : `not compliant: ${Object.entries(mozilla.issues).map(([key, text]) => `${key}: ${text}`).join(" | ")}`,
  );
  return items;
}

function resumption(value: string): string {
  return value.toLowerCase().replace(/_/g, " ");
}

function listSuites(suites: readonly AcceptedSuite[]): string {
  const names = suites.map((s) => s.name);
  return `${names.length} suite(s): ${names.slice(0, 4).join(", ")}${names.length > 4 ? `, … ${names.length - 4} more` : ""}`;
}

function bool(value: boolean | undefined, good: (v: boolean) => boolean, goodText: string, badText: string): { ok: boolean; got: string } | undefined {
  return value === undefined ? undefined : { ok: good(value), got: good(value) ? goodText : badText };
}
