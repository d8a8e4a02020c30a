import * as tls from "node:tls";
import { candidateTls12CipherSuites, CipherSuiteClass, classifyCipherSuite, describeCipherSuite, isStrongCipherSuite } from "./cipher-suites";
import { EdgeTarget, HandshakeOutcome, probeHandshake, Timing } from "./connection";
import { CheckResult } from "./report";

/**
 * Protocol checks: each TLS version probed alone (min = max), and the TLS 1.2 suites the server accepts, each offered
 * alone. OpenSSL 3 refuses to offer TLS 1.0/1.1 (their handshake signatures use SHA-1) and weak suites at its default
 * security level, so every probe here says `@SECLEVEL=0`; without it a server that allows TLS 1.0 would look as if
 * it refused.
 */

/** TLS versions the edge must refuse and must accept. */
const PROTOCOL_EXPECTATIONS: readonly { check: string; version: tls.SecureVersion; accept: boolean }[] = [
  { check: "tls1.0", version: "TLSv1", accept: false },
  { check: "tls1.1", version: "TLSv1.1", accept: false },
  { check: "tls1.2", version: "TLSv1.2", accept: true },
  { check: "tls1.3", version: "TLSv1.3", accept: true },
];

/** Offer every suite this OpenSSL has (TLS 1.3 keeps its own defaults), so "refused" means the version itself. */
const EVERY_SUITE = "ALL:@SECLEVEL=0";

/** Parallel handshakes while enumerating suites: fast on a remote edge, gentle enough not to look like a flood. */
const CIPHER_PROBE_CONCURRENCY = 4;

export async function checkProtocols(target: EdgeTarget, timing: Timing): Promise<CheckResult[]> {
  return Promise.all(
    PROTOCOL_EXPECTATIONS.map(async ({ check, version, accept }) => {
      const outcome = await probeHandshake(target, { minVersion: version, maxVersion: version, ciphers: version === "TLSv1.3" ? undefined : EVERY_SUITE }, timing);
      const expected = accept ? "accepted" : "refused";
      return { host: target.host, check, ok: outcome.kind === (accept ? "accepted" : "refused"), expected, got: describeOutcome(outcome) };
    }),
  );
}

/**
 * The TLS 1.2 suites the server accepts, each classified; every suite without forward secrecy or AEAD is a finding.
 * Bounded: no new probe starts after the first one that got no answer, nor after `probeBoundMs(timing) * 2`; the
 * suites left untried are a finding, so a cut-short enumeration never passes.
 */
export async function checkTls12CipherSuites(target: EdgeTarget, timing: Timing): Promise<{ results: CheckResult[]; accepted: CipherSuiteClass[]; tried: number }> {
  const candidates = candidateTls12CipherSuites();
  const deadline = Date.now() + 2 * probeBoundMs(timing);
  let stopReason: string | undefined;
  const outcomes = await mapLimited(candidates, CIPHER_PROBE_CONCURRENCY, async (name): Promise<HandshakeOutcome | undefined> => {
    if (stopReason === undefined && Date.now() > deadline) stopReason = `the enumeration's ${(2 * probeBoundMs(timing)) / 1000} s budget ran out`;
    if (stopReason !== undefined) return undefined;
    const outcome = await probeHandshake(target, { minVersion: "TLSv1.2", maxVersion: "TLSv1.2", ciphers: `${name}:@SECLEVEL=0` }, timing);
    if (outcome.kind === "no-answer") stopReason ??= `a probe got no answer (${outcome.reason})`;
    return outcome;
  });
  const accepted: CipherSuiteClass[] = [];
  const unanswered: string[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome?.kind === "accepted") accepted.push(classifyCipherSuite(outcome.cipher));
    else if (outcome === undefined || outcome.kind === "no-answer" || outcome.kind === "not-offered") unanswered.push(candidates[index]);
  });
  const check = "tls1.2-ciphers";
  const expected = "only suites with forward secrecy and AEAD";
  const results: CheckResult[] = accepted
    .filter((suite) => !isStrongCipherSuite(suite))
    .map((suite) => ({ host: target.host, check, ok: false, expected, got: `${suite.name} accepted (${describeCipherSuite(suite)})` }));
  if (unanswered.length > 0) {
    results.push({
      host: target.host,
      check,
      ok: false,
      expected: `an answer for each of the ${candidates.length} suites`,
      got: `${unanswered.length} not probed or unanswered (${unanswered.join(", ")})${stopReason ? `; stopped because ${stopReason}` : ""}`,
    });
  }
  if (results.length === 0) {
    const list = accepted.map((suite) => suite.name).join(", ") || "none";
    results.push({ host: target.host, check, ok: true, expected, got: `${accepted.length} of ${candidates.length} suites accepted: ${list}` });
  }
  return { results, accepted, tried: candidates.length };
}

/** The longest one probe can take: every attempt times out, with the pauses between them. */
export function probeBoundMs(timing: Timing): number {
  return (timing.retries + 1) * timing.timeoutMs + timing.retries * timing.retryDelayMs;
}

/** An outcome in a few words: "accepted (TLSv1, ECDHE-ECDSA-AES256-SHA)", "refused (tlsv1 alert protocol version)". */
export function describeOutcome(outcome: HandshakeOutcome): string {
  switch (outcome.kind) {
    case "accepted":
      return `accepted (${outcome.protocol}, ${outcome.cipher})`;
    case "refused":
      return `refused (${outcome.reason})`;
    case "no-answer":
      return `no answer after ${outcome.attempts} attempt(s) (${outcome.reason})`;
    case "not-offered":
      return `not probed: this machine's OpenSSL could not offer it (${outcome.reason})`;
  }
}

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight; results keep the input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
