/**
 * TLS cipher suites: how each suite the server accepted is classified. Names are OpenSSL's
 * (`ECDHE-ECDSA-AES128-GCM-SHA256`), which is also how AWS lists the suites of ALB policies.
 */

/** How one TLS 1.2 (or older) suite protects traffic. */
export interface CipherSuiteClass {
  /** OpenSSL name, uppercase. */
  readonly name: string;
  /** Ephemeral key exchange (ECDHE/DHE): a stolen server key does not decrypt recorded traffic. */
  readonly forwardSecrecy: boolean;
  /** Authenticated encryption (GCM, CCM, ChaCha20-Poly1305); everything else before TLS 1.3 is CBC (or worse). */
  readonly aead: boolean;
  /** AES-GCM or ChaCha20-Poly1305: the AEAD ciphers of ALB's "Res" policies and Mozilla's "intermediate" list. */
  readonly recommendedCipher: boolean;
}

/**
 * Classifies a suite by its OpenSSL name: the key exchange is the leading label, the mode is in the cipher part.
 * `ephemeralKey`, when the scan saw the handshake, says directly whether the key exchange was ephemeral.
 */
export function classifyCipherSuite(name: string, ephemeralKey?: boolean): CipherSuiteClass {
  const upper = name.toUpperCase();
  const aead = /(GCM|CCM|CHACHA20-POLY1305)/.test(upper);
  return {
    name: upper,
    forwardSecrecy: ephemeralKey ?? (/^(ECDHE|DHE|EDH)-/.test(upper) && !upper.includes("-PSK-")),
    aead,
    recommendedCipher: aead && !upper.includes("CCM") && /(AES(128|256)-GCM|CHACHA20-POLY1305)/.test(upper),
  };
}

/** True when the suite is one an edge should offer: forward secrecy with AES-GCM or ChaCha20-Poly1305. */
export function isStrongCipherSuite(suite: CipherSuiteClass): boolean {
  return suite.forwardSecrecy && suite.recommendedCipher;
}

/** "forward secrecy, AEAD" / "no forward secrecy, CBC": the classification in words, for reports. */
export function describeCipherSuite(suite: CipherSuiteClass): string {
  const mode = !suite.aead ? (/RC4/.test(suite.name) ? "RC4" : /NULL/.test(suite.name) ? "no encryption" : "CBC") : suite.recommendedCipher ? "AEAD" : "AEAD other than AES-GCM or ChaCha20-Poly1305";
  return `${suite.forwardSecrecy ? "forward secrecy" : "no forward secrecy"}, ${mode}`;
}

/** The TLS 1.3 suites ALB policies and Mozilla's "intermediate" configuration offer (not the CCM ones). */
export const RECOMMENDED_TLS13_SUITES: readonly string[] = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
