/**
 * The longest validity a publicly trusted TLS server certificate may have, by the date it is issued (its notBefore):
 * CA/Browser Forum Baseline Requirements 6.3.2, as amended by ballot SC-081v3. "Validity period" is from notBefore
 * through notAfter inclusive (BR 1.6.1, RFC 5280 4.1.2.5), so a 200-day certificate ends one second before
 * notBefore + 200 days.
 */
export const MAX_VALIDITY_SCHEDULE: readonly { readonly issuedFrom: string; readonly maxDays: number }[] = [
  { issuedFrom: "2029-03-15T00:00:00Z", maxDays: 47 },
  { issuedFrom: "2027-03-15T00:00:00Z", maxDays: 100 },
  { issuedFrom: "2026-03-15T00:00:00Z", maxDays: 200 },
  { issuedFrom: "0000-01-01T00:00:00Z", maxDays: 398 },
];

const DAY_SECONDS = 24 * 60 * 60;

/** The maximum validity in days for a certificate whose notBefore is `notBefore`. */
export function maxValidityDays(notBefore: Date): number {
  return MAX_VALIDITY_SCHEDULE.find((step) => notBefore.getTime() >= Date.parse(step.issuedFrom))!.maxDays;
}

/** The validity period in seconds, both ends included. */
export function validitySeconds(notBefore: Date, notAfter: Date): number {
  return Math.round((notAfter.getTime() - notBefore.getTime()) / 1000) + 1;
}

/** Whether the period fits the maximum for its notBefore, and both in days for a report. */
export function judgeValidity(notBefore: Date, notAfter: Date): { ok: boolean; days: number; maxDays: number } {
  const seconds = validitySeconds(notBefore, notAfter);
  const maxDays = maxValidityDays(notBefore);
  return { ok: seconds <= maxDays * DAY_SECONDS, days: seconds / DAY_SECONDS, maxDays };
}
