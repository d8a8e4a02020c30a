/**
 * Whether a served certificate's validity fits the CA/Browser Forum's maximum for the day it was issued (its
 * notBefore): the schedule is lib/aws/certificate-lifetimes.ts's. "Validity period" is from notBefore through notAfter
 * inclusive (BR 1.6.1, RFC 5280 4.1.2.5), so a 200-day certificate ends one second before notBefore + 200 days.
 */
import { maxValidityDays } from "../aws/certificate-lifetimes";

export { maxValidityDays };

const DAY_SECONDS = 24 * 60 * 60;

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
