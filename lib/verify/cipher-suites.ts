import * as tls from "node:tls";

/**
 * TLS 1.2 cipher suites: which ones the verifier offers, one at a time, and how each accepted one is classified.
 * Names are OpenSSL's (`ECDHE-ECDSA-AES128-GCM-SHA256`), which is also how AWS lists the suites of ALB policies.
 */

/** How one TLS 1.2 suite protects traffic. */
export interface CipherSuiteClass {
  /** OpenSSL name, uppercase. */
  readonly name: string;
  /** Ephemeral key exchange (ECDHE/DHE): a stolen server key does not decrypt recorded traffic. */
  readonly forwardSecrecy: boolean;
  /** Authenticated encryption (GCM, CCM, ChaCha20-Poly1305); everything else in TLS 1.2 is CBC (or worse). */
  readonly aead: boolean;
}

/** Classifies a suite by its OpenSSL name: the key exchange is the leading label, the mode is in the cipher part. */
export function classifyCipherSuite(name: string): CipherSuiteClass {
  const upper = name.toUpperCase();
  return {
    name: upper,
    forwardSecrecy: /^(ECDHE|DHE|EDH)-/.test(upper) && !upper.includes("-PSK-"),
    aead: /(GCM|CCM|CHACHA20-POLY1305)/.test(upper),
  };
}

/** True when the suite is one an edge should offer: forward secrecy and AEAD (what ALB's TLS 1.2+ "Res" policies keep). */
export function isStrongCipherSuite(suite: CipherSuiteClass): boolean {
  return suite.forwardSecrecy && suite.aead;
}

/** "forward secrecy, AEAD" / "no forward secrecy, CBC": the classification in words, for reports. */
export function describeCipherSuite(suite: CipherSuiteClass): string {
  return `${suite.forwardSecrecy ? "forward secrecy" : "no forward secrecy"}, ${suite.aead ? "AEAD" : "CBC"}`;
}

/**
 * Suites that need a secret the verifier does not have (PSK, SRP): OpenSSL drops them from a ClientHello without a
 * PSK/SRP callback, so offering one alone would fail on our side and prove nothing about the server. No ALB policy
 * offers them.
 */
const NEEDS_SHARED_SECRET = /(^|-)(PSK|SRP)(-|$)/;

/** ALB policies' suites this OpenSSL may lack (3DES is compiled out of Node's OpenSSL 3); offered when available. */
const EXTRA_CANDIDATES = ["DES-CBC3-SHA"] as const;

/**
 * The TLS 1.2 suites this Node's OpenSSL can offer, sorted: `tls.getCiphers()` without the TLS 1.3 suites and
 * without PSK/SRP, plus ALB's legacy 3DES suite when OpenSSL still has it. A suite missing here cannot be tested
 * from this machine; the report states how many were tried.
 */
export function candidateTls12CipherSuites(): string[] {
  const names = new Set(
    [...tls.getCiphers(), ...EXTRA_CANDIDATES]
      .map((name) => name.toUpperCase())
      .filter((name) => !name.startsWith("TLS_") && !NEEDS_SHARED_SECRET.test(name)),
  );
  return [...names].filter(canOffer).sort();
}

/** True when OpenSSL accepts the suite in a client cipher list (at security level 0, so weak suites count too). */
function canOffer(name: string): boolean {
  try {
    tls.createSecureContext({ ciphers: `${name}:@SECLEVEL=0`, minVersion: "TLSv1.2", maxVersion: "TLSv1.2" });
    return true;
  } catch {
    return false;
  }
}
