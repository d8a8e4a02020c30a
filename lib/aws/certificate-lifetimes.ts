/**
 * How long public TLS certificates may live, and what that means for an expiry alarm.
 *
 * CA/Browser Forum ballot SC-081v3 (Baseline Requirements 6.3.2) caps a certificate's validity by the date it is
 * issued: 398 days before 2026-03-15, 200 days from then, 100 days from 2027-03-15, 47 days from 2029-03-15. ACM
 * issues public certificates for 198 days since 2026-02-18.
 *
 * ACM renews a DNS-validated certificate by itself some time before it expires. For 395-day certificates it started
 * 60 days before expiry, 15.2% of the lifetime; for 198-day certificates published reports say 45 or 60 days, 23% or
 * 30%; for shorter certificates it has published nothing. The share has never been smaller than 60/395, so an alarm on
 * ACM's `DaysToExpiry` metric that fires below 60/395 of the longest lifetime allowed on a day fires only when a
 * renewal that should have started has not succeeded, never during a routine one.
 */

/** One step of the schedule: certificates issued on or after `from` may be valid for at most `maxDays`. */
export interface ValidityStep {
  /** First day of the step (UTC), `YYYY-MM-DD`. */
  readonly from: string;
  readonly maxDays: number;
}

/** CA/Browser Forum ballot SC-081v3: the longest validity allowed, by issue date. */
export const MAX_VALIDITY_SCHEDULE: readonly ValidityStep[] = [
  { from: "2018-03-01", maxDays: 825 },
  { from: "2020-09-01", maxDays: 398 },
  { from: "2026-03-15", maxDays: 200 },
  { from: "2027-03-15", maxDays: 100 },
  { from: "2029-03-15", maxDays: 47 },
];

/** The least share of a certificate's lifetime before expiry at which ACM has started renewing: 60 of 395 days. */
export const ACM_RENEWAL_LEAD_SHARE = 60 / 395;

/** The schedule step in force on `date` (the first step for dates before the schedule). */
export function validityStepOn(date: Date): ValidityStep {
  const day = date.toISOString().slice(0, 10);
  return [...MAX_VALIDITY_SCHEDULE].reverse().find((step) => step.from <= day) ?? MAX_VALIDITY_SCHEDULE[0];
}

/** The longest validity, in days, of a certificate issued on `date`. */
export function maxValidityDays(date: Date): number {
  return validityStepOn(date).maxDays;
}

/** The next step of the schedule after `date`, if any. */
export function nextValidityStep(date: Date): ValidityStep | undefined {
  const day = date.toISOString().slice(0, 10);
  return MAX_VALIDITY_SCHEDULE.find((step) => step.from > day);
}

/**
 * The largest `DaysToExpiry` alarm threshold that stays below ACM's renewal start for certificates issued on `date`:
 * 30 days from 2026-03-15, 15 from 2027-03-15, 7 from 2029-03-15.
 */
export function maxExpiryAlarmDays(date: Date): number {
  return Math.floor(maxValidityDays(date) * ACM_RENEWAL_LEAD_SHARE);
}

/**
 * The day the schedule is read for: today, or `TLS_EDGE_AS_OF` (`YYYY-MM-DD`) when set, to preview what a later
 * step of the schedule changes (`TLS_EDGE_AS_OF=2027-03-15 npm run synth`) and to keep tests independent of the day
 * they run. A malformed value is an error, not silently today.
 */
export function scheduleDate(env: Readonly<Record<string, string | undefined>> = process.env): Date {
  const asOf = env.TLS_EDGE_AS_OF;
  if (asOf === undefined || asOf === "") return new Date();
  const date = new Date(`${asOf}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== asOf) {
    throw new Error(`TLS_EDGE_AS_OF ${JSON.stringify(asOf)}: not a date (YYYY-MM-DD)`);
  }
  return date;
}
