import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";
import { KeyAlgorithm } from "../config/environment-config";
import { judgeValidity } from "./certificate-lifetime";
import { CertificateSummary, CheckResult } from "./report";
import { CertificateScan } from "./tls-scan";

/** What the certificate must be. */
export interface CertificateExpectations {
  /** Fewer whole days than this before `notAfter` is a finding. */
  readonly minDaysToExpiry: number;
  /** The environment's key algorithm; unset = any RSA >= 2048 or EC P-256/P-384 key. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * The name sets of the environment's certificates; the leaf's DNS names must be exactly one of them
   * (`certificate-names`).
   * @default - no such check (a bare --host has no configuration to compare with)
   */
  readonly certificateNameSets?: readonly (readonly string[])[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** ACM's algorithm names as Node describes the key. */
const KEY_DESCRIPTIONS: Record<KeyAlgorithm, string> = {
  EC_prime256v1: "EC P-256",
  EC_secp384r1: "EC P-384",
  RSA_2048: "RSA 2048",
};
const CURVE_NAMES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
/** Mozilla's "intermediate" certificate curves; ACM's public certificates use these two. */
const STRONG_CURVES = new Set(["P-256", "P-384"]);

/**
 * Judges the chain the server sent (as sslyze received it and `cryptography` validated it, see tls_scan.py): chain,
 * name, key, days to expiry, and validity against the CA/Browser Forum maximum. The issuer is reported, not judged.
 * Each problem is reported once: an expired leaf by certificate-expiry (the chain is then judged at the leaf's last
 * valid second), a wrong name by certificate-name (the chain is judged for a name the leaf carries).
 */
export function evaluateCertificate(
  host: string,
  scan: CertificateScan,
  expectations: CertificateExpectations,
  now: Date,
): { results: CheckResult[]; summary: CertificateSummary } {
  const chain = scan.chain.map((pem) => new X509Certificate(pem));
  const leaf = chain[0];
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  const daysToExpiry = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  const key = describeKey(leaf);
  const validity = judgeValidity(notBefore, notAfter);
  const names = sanDnsNames(leaf);
  const summary: CertificateSummary = {
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    names,
    key: key.description,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysToExpiry,
    validityDays: Math.round(validity.days * 100) / 100,
    chainSent: chain.map((c) => oneLine(c.subject)),
  };
  const result = (check: string, ok: boolean, expected: string, got: string): CheckResult => ({ host, check, ok, expected, got });
  const results: CheckResult[] = [];

  const { withName, ignoringName, atLeafValidity } = scan.validation;
  const outsideValidity = now < notBefore || now > notAfter;
  const chainCheck = ignoringName ?? withName;
  const chainOk = chainCheck.ok || (outsideValidity && atLeafValidity?.ok === true);
  const verified = chainCheck.ok ? chainCheck : atLeafValidity?.ok ? atLeafValidity : undefined;
  const sent = chain.length === 1 ? "the server sent the leaf alone" : `the server sent ${chain.length} certificates: ${summary.chainSent.join(" > ")}`;
  results.push(
    result(
      "certificate-chain",
      chainOk,
      "a chain to a trusted root that validates under RFC 5280 and the CA/Browser Forum profile",
      verified?.ok ? `validates: ${verified.path.join(" > ")}` : `${chainCheck.ok ? "" : chainCheck.error} (${sent})`,
    ),
  );

  // Node's RFC 6125 matching, on the SAN only (no fallback to the subject CN: the Baseline Requirements and
  // cryptography's verifier ignore it), and cryptography's own name check must agree.
  const nodeNameError = names.length > 0 ? tls.checkServerIdentity(host, { subject: {}, subjectaltname: leaf.subjectAltName } as unknown as tls.PeerCertificate) : new Error("no DNS name in subjectAltName");
  const cryptographyNameError = !withName.ok && /subjectAltName/i.test(withName.error) ? withName.error : undefined;
  const nameOk = !nodeNameError && !cryptographyNameError;
  results.push(
    result(
      "certificate-name",
      nameOk,
      `a certificate whose subjectAltName covers ${host}`,
      names.length === 0 ? `no DNS name in subjectAltName (subject ${summary.subject}; the CN is not used)` : nameOk ? `covered by ${names.join(", ")}` : `names ${names.join(", ")}`,
    ),
  );

  if (expectations.certificateNameSets !== undefined) results.push(evaluateCertificateNames(host, names, expectations.certificateNameSets));

  const expectedKey = expectations.keyAlgorithm ? KEY_DESCRIPTIONS[expectations.keyAlgorithm] : "RSA >= 2048 or EC P-256/P-384";
  const keyOk = expectations.keyAlgorithm ? key.description === expectedKey : key.strong;
  results.push(result("certificate-key", keyOk, expectedKey, key.description));

  const expiryText = daysToExpiry < 0 ? `expired ${Math.floor((now.getTime() - notAfter.getTime()) / DAY_MS)} day(s) ago (not after ${summary.notAfter})` : `${daysToExpiry} day(s) left (not after ${summary.notAfter})`;
  results.push(result("certificate-expiry", daysToExpiry >= expectations.minDaysToExpiry, `at least ${expectations.minDaysToExpiry} days to expiry`, expiryText));

  results.push(
    result(
      "validity",
      validity.ok,
      `at most ${validity.maxDays} days of validity for a certificate issued ${summary.notBefore.slice(0, 10)} (CA/Browser Forum, ballot SC-081v3)`,
      `${formatDays(validity.days)} days (${summary.notBefore} to ${summary.notAfter})`,
    ),
  );
  return { results, summary };
}

/**
 * `certificate-names`: the leaf carries exactly the names of one of the environment's certificates. A certificate
 * that covers the host but with other names is not one the stack manages: typically an old SNI certificate left on an
 * adopted listener, which the ALB may pick for the names it shares with the stack's (docs/deploying.md, "Existing
 * listeners"). ACM puts the domain name into the subjectAltName too, so the leaf's DNS names are the whole set.
 */
export function evaluateCertificateNames(host: string, leafNames: readonly string[], nameSets: readonly (readonly string[])[]): CheckResult {
  const normalize = (names: readonly string[]) => [...new Set(names.map((n) => n.toLowerCase().replace(/\.$/, "")))].sort();
  const served = normalize(leafNames);
  const ok = nameSets.some((set) => JSON.stringify(normalize(set)) === JSON.stringify(served));
  return {
    host,
    check: "certificate-names",
    ok,
    expected: `exactly the names of one of the environment's certificates: ${nameSets.map((set) => `{${normalize(set).join(", ")}}`).join(" or ")}`,
    got: served.length === 0 ? "no DNS name in subjectAltName" : `{${served.join(", ")}}${ok ? "" : ": a certificate this environment does not configure (an old SNI certificate on the listener?)"}`,
  };
}

function describeKey(cert: X509Certificate): { description: string; strong: boolean } {
  const type = cert.publicKey.asymmetricKeyType;
  const details = cert.publicKey.asymmetricKeyDetails ?? {};
  if (type === "rsa" || type === "rsa-pss") {
    const bits = details.modulusLength ?? 0;
    return { description: `RSA ${bits}`, strong: bits >= 2048 };
  }
  if (type === "ec") {
    const curve = CURVE_NAMES[details.namedCurve ?? ""] ?? details.namedCurve;
    return { description: `EC ${curve}`, strong: STRONG_CURVES.has(String(curve)) };
  }
  return { description: String(type), strong: false };
}

function sanDnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? "")
    .split(", ")
    .filter((entry) => entry.startsWith("DNS:"))
    .map((entry) => entry.slice(4));
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(2);
}

/** X509Certificate spells subjects as multi-line "CN=...\nO=..."; the report wants one line. */
function oneLine(name: string): string {
  return name.split("\n").join(", ");
}
