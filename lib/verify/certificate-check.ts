import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";
import { KeyAlgorithm } from "../config/environment-config";
import { HandshakeOutcome } from "./connection";
import { CertificateSummary, CheckResult } from "./report";
import { splitPem, TrustStore } from "./trust-store";

/** What the certificate must be. */
export interface CertificateExpectations {
  /** Fewer whole days than this before `notAfter` is a finding. */
  readonly minDaysToExpiry: number;
  /** The environment's key algorithm; unset = any RSA >= 2048 or EC P-256/P-384/P-521 key. */
  readonly keyAlgorithm?: KeyAlgorithm;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** ACM's algorithm names as Node describes the key. */
const KEY_DESCRIPTIONS: Record<KeyAlgorithm, string> = {
  EC_prime256v1: "EC P-256",
  EC_secp384r1: "EC P-384",
  RSA_2048: "RSA 2048",
};
const CURVE_NAMES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

/**
 * Judges the certificate the server presented in `outcome` (a default TLS 1.2/1.3 handshake that trusted `trust`):
 * chain, name, key, days to expiry. The issuer is reported, not judged.
 */
export function evaluateCertificate(
  host: string,
  outcome: Extract<HandshakeOutcome, { kind: "accepted" }>,
  expectations: CertificateExpectations,
  trust: TrustStore,
  now: Date,
): { results: CheckResult[]; summary?: CertificateSummary } {
  const peer = outcome.peerCertificate;
  if (!peer.raw) {
    return { results: [{ host, check: "certificate-chain", ok: false, expected: "a certificate", got: "the server presented none" }] };
  }
  const leaf = new X509Certificate(peer.raw);
  const notAfter = new Date(leaf.validTo);
  const daysToExpiry = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  const key = describeKey(leaf);
  const summary: CertificateSummary = {
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    names: (leaf.subjectAltName ?? "").split(", ").filter(Boolean).map((name) => name.replace(/^DNS:/, "")),
    key: key.description,
    notAfter: notAfter.toISOString(),
    daysToExpiry,
  };
  const result = (check: string, ok: boolean, expected: string, got: string): CheckResult => ({ host, check, ok, expected, got });
  const results: CheckResult[] = [];

  // An expired leaf is reported once, by certificate-expiry with its date; the chain is then judged without time.
  const expiredLeafOnly = outcome.authorizationError === "CERT_HAS_EXPIRED" && daysToExpiry < 0 && chainsToTrustIgnoringLeafTime(peer, trust);
  const chainOk = outcome.authorized || expiredLeafOnly;
  results.push(
    result(
      "certificate-chain",
      chainOk,
      "a chain to a trusted root",
      chainOk ? `chains to a trusted root (issuer ${summary.issuer})` : `${outcome.authorizationError} (issuer ${summary.issuer})`,
    ),
  );

  const nameError = tls.checkServerIdentity(host, peer);
  results.push(result("certificate-name", !nameError, `a certificate valid for ${host}`, nameError ? `names ${summary.names.join(", ") || summary.subject}` : `covered by ${summary.names.join(", ")}`));

  const expectedKey = expectations.keyAlgorithm ? KEY_DESCRIPTIONS[expectations.keyAlgorithm] : "RSA >= 2048 or EC P-256/P-384/P-521";
  const keyOk = expectations.keyAlgorithm ? key.description === expectedKey : key.strong;
  results.push(result("certificate-key", keyOk, expectedKey, key.description));

  const expiryText = daysToExpiry < 0 ? `expired ${Math.floor((now.getTime() - notAfter.getTime()) / DAY_MS)} day(s) ago (not after ${summary.notAfter})` : `${daysToExpiry} day(s) left (not after ${summary.notAfter})`;
  results.push(result("certificate-expiry", daysToExpiry >= expectations.minDaysToExpiry, `at least ${expectations.minDaysToExpiry} days to expiry`, expiryText));
  return { results, summary };
}

function describeKey(cert: X509Certificate): { description: string; strong: boolean } {
  const type = cert.publicKey.asymmetricKeyType;
  const details = cert.publicKey.asymmetricKeyDetails ?? {};
  if (type === "rsa" || type === "rsa-pss") {
    const bits = details.modulusLength ?? 0;
    return { description: `RSA ${bits}`, strong: bits >= 2048 };
  }
  if (type === "ec") {
    const curve = CURVE_NAMES[details.namedCurve ?? ""];
    return { description: `EC ${curve ?? details.namedCurve}`, strong: curve !== undefined };
  }
  return { description: String(type), strong: false };
}

/**
 * True when every certificate above the (expired) leaf is in date and the signatures lead to a trusted certificate.
 * Node reports only one verification error, so this is what tells "expired, otherwise fine" from "expired and
 * untrusted".
 */
function chainsToTrustIgnoringLeafTime(peer: tls.DetailedPeerCertificate, trust: TrustStore): boolean {
  const now = Date.now();
  const trusted = splitPem(...trust.pems).map((pem) => new X509Certificate(pem));
  const presented: X509Certificate[] = [];
  for (let c: tls.DetailedPeerCertificate | undefined = peer; c?.raw && presented.length < 10; c = c.issuerCertificate === c ? undefined : c.issuerCertificate) {
    presented.push(new X509Certificate(c.raw));
  }
  let current = presented[0];
  for (let depth = 0; depth < 10; depth++) {
    const anchor = trusted.find((t) => current.checkIssued(t) && current.verify(t.publicKey));
    if (anchor) return new Date(anchor.validTo).getTime() > now;
    const next = presented.find((p) => p !== current && current.checkIssued(p) && current.verify(p.publicKey));
    if (!next || new Date(next.validTo).getTime() <= now || new Date(next.validFrom).getTime() > now) return false;
    current = next;
  }
  return false;
}

/** X509Certificate spells subjects as multi-line "CN=...\nO=..."; the report wants one line. */
function oneLine(name: string): string {
  return name.split("\n").join(", ");
}
