import { maxExpiryAlarmDays, maxValidityDays, nextValidityStep, scheduleDate } from "../../lib/aws/certificate-lifetimes";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("the certificate lifetime schedule (CA/Browser Forum ballot SC-081v3)", () => {
  test("allows 398 days before 2026-03-15, 200 from then, 100 from 2027-03-15 and 47 from 2029-03-15", () => {
    expect(["2026-03-14", "2026-03-15", "2027-03-14", "2027-03-15", "2029-03-14", "2029-03-15", "2035-01-01"].map((d) => maxValidityDays(day(d)))).toEqual([
      398, 200, 200, 100, 100, 47, 47,
    ]);
  });

  test("puts the expiry alarm's highest threshold below ACM's renewal start (60/395 of a lifetime): 60, 30, 15, 7 days", () => {
    expect(["2026-03-14", "2026-12-04", "2027-03-15", "2029-03-15"].map((d) => maxExpiryAlarmDays(day(d)))).toEqual([60, 30, 15, 7]);
    // Every threshold stays below the lead ACM took for 395-day certificates, scaled to the lifetime.
    for (const d of ["2026-12-04", "2027-03-15", "2029-03-15"]) expect(maxExpiryAlarmDays(day(d))).toBeLessThan((maxValidityDays(day(d)) * 60) / 395 + 1e-9);
  });

  test("names the next step, and none after the last", () => {
    expect(nextValidityStep(day("2026-12-04"))).toEqual({ from: "2027-03-15", maxDays: 100 });
    expect(nextValidityStep(day("2029-03-15"))).toBeUndefined();
  });

  test("is read for TLS_EDGE_AS_OF when set, for today otherwise, and refuses a malformed date", () => {
    expect(scheduleDate({ TLS_EDGE_AS_OF: "2027-03-15" }).toISOString()).toBe("2027-03-15T00:00:00.000Z");
    const before = Date.now();
    expect(scheduleDate({}).getTime()).toBeGreaterThanOrEqual(before);
    for (const bad of ["2027-3-15", "2027-02-30", "tomorrow"]) expect(() => scheduleDate({ TLS_EDGE_AS_OF: bad })).toThrow(`TLS_EDGE_AS_OF ${JSON.stringify(bad)}: not a date (YYYY-MM-DD)`);
  });
});
