import { backoffUnion, FaultEvent, faultsNotRetried, tallyFaults } from "./emulator-faults";

/** A fault answered at `at` to attempt `attempt` of `invocation`. */
function injected(invocation: string, attempt: number, at: number, error = "Throttling", status = 400): FaultEvent {
  return { event: "injected", service: "route53", action: "GetChange", error, status, when: "before", invocation, attempt, at };
}

/** The next attempt of `invocation` arriving at `at`, `waited` seconds after the faulty answer. */
function retried(invocation: string, attempt: number, at: number, waited: number, error = "Throttling", status = 400): FaultEvent {
  return { event: "retried", service: "route53", action: "GetChange", error, status, when: "before", invocation, attempt, at, waited };
}

test("a fault counts as retried only when a later attempt of the same invocation arrived", () => {
  const events = [injected("a", 1, 1), retried("a", 2, 2, 1), injected("b", 1, 3), injected("c", 2, 4), retried("b", 3, 9, 6)];
  expect(faultsNotRetried(events)).toEqual(["route53 GetChange Throttling", "route53 GetChange Throttling"]);
  expect(faultsNotRetried(events.slice(0, 2))).toEqual([]);
});

test("the tally groups by service, status and error, summing the backoff of the retries", () => {
  const events = [injected("a", 1, 1), retried("a", 2, 2.5, 1.5), injected("b", 1, 3, "InternalFailure", 500), retried("b", 2, 3.1, 0.1, "InternalFailure", 500), injected("c", 1, 5)];
  expect(tallyFaults(events)).toEqual({
    "route53 400 Throttling": { injected: 2, retried: 1, waited: 1.5 },
    "route53 500 InternalFailure": { injected: 1, retried: 1, waited: 0.1 },
  });
});

test("the backoff union counts overlapping waits once and gaps not at all", () => {
  // a waits 1-3, b waits 2-4 (overlap: 1-4 is 3 s), c waits 10-11 (1 s); d was never retried.
  const events = [injected("a", 1, 1), injected("b", 1, 2), retried("a", 2, 3, 2), retried("b", 2, 4, 2), injected("c", 1, 10), retried("c", 2, 11, 1), injected("d", 1, 20)];
  expect(backoffUnion(events)).toBeCloseTo(4);
  // A wait inside another adds nothing.
  expect(backoffUnion([injected("a", 1, 0), injected("b", 1, 1), retried("b", 2, 2, 1), retried("a", 2, 5, 5)])).toBeCloseTo(5);
  expect(backoffUnion([])).toBe(0);
});
