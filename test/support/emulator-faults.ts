/**
 * What the emulator's fault injection did (EmulatorOptions.faults, test/support/emulator_faults.py), read from its event
 * log: which calls were answered with a throttling error or a 5xx, and which of them the client retried, after how long.
 */
import * as fs from "fs";

/** One line of the fault log. */
export interface FaultEvent {
  /** "injected": a call was answered with the fault; "retried": the same SDK invocation came back with a later attempt. */
  readonly event: "injected" | "retried";
  /** moto's service name: "route53", "elbv2", "acm". */
  readonly service: string;
  readonly action: string;
  /** The AWS error code sent: "Throttling", "ThrottlingException", "PriorRequestNotComplete", "ServiceUnavailable", "InternalFailure". */
  readonly error: string;
  readonly status: number;
  /** "before": the request was refused, nothing happened; "after": the action ran and its answer was replaced. */
  readonly when: "before" | "after";
  /** The SDK's amz-sdk-invocation-id: one API call, all its attempts. */
  readonly invocation: string;
  /** The attempt that was answered with the fault ("injected") or that came back ("retried"). */
  readonly attempt: number;
  /** Seconds since the fault injection was installed. */
  readonly at: number;
  /** "retried" only: seconds between the faulty answer and the retry, i.e. the SDK's backoff. */
  readonly waited?: number;
}

/**
 * Every error the fault injection sends (the CATALOGUE of test/support/emulator_faults.py), as "<service> <status> <code>",
 * sorted: what a test that meets them all expects to have seen.
 */
export const FAULT_KINDS: readonly string[] = [
  "acm 400 ThrottlingException",
  "acm 500 InternalFailure",
  "acm 503 ServiceUnavailable",
  "elbv2 400 Throttling",
  "elbv2 500 InternalFailure",
  "elbv2 503 ServiceUnavailable",
  "route53 400 PriorRequestNotComplete",
  "route53 400 Throttling",
  "route53 500 InternalFailure",
  "route53 503 ServiceUnavailable",
];

/** The events in a fault log, from character `offset` on. */
export function readFaultLog(file: string, offset = 0): FaultEvent[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(offset) : "";
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as FaultEvent);
}

/** The fault events written while `work` ran (the log grows only by appends), and how long `work` took. */
export async function faultsDuring<T>(file: string, work: () => Promise<T>): Promise<{ result: T; events: FaultEvent[]; seconds: number }> {
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8").length : 0;
  const started = Date.now();
  const result = await work();
  return { result, events: readFaultLog(file, before), seconds: (Date.now() - started) / 1000 };
}

export interface FaultTally {
  readonly injected: number;
  readonly retried: number;
  /** Sum of the retries' backoffs, in seconds (calls run in parallel, so this is not wall time). */
  readonly waited: number;
}

/** Injected and retried faults per "<service> <status> <error>", e.g. "route53 400 PriorRequestNotComplete". */
export function tallyFaults(events: readonly FaultEvent[]): Record<string, FaultTally> {
  const tally: Record<string, { injected: number; retried: number; waited: number }> = {};
  for (const event of events) {
    const key = `${event.service} ${event.status} ${event.error}`;
    const entry = (tally[key] ??= { injected: 0, retried: 0, waited: 0 });
    if (event.event === "injected") entry.injected += 1;
    else {
      entry.retried += 1;
      entry.waited += event.waited ?? 0;
    }
  }
  return Object.fromEntries(Object.entries(tally).sort(([a], [b]) => a.localeCompare(b)));
}

/** Faults no later attempt of the same invocation followed: "<service> <action> <error>" each (empty when all were retried). */
export function faultsNotRetried(events: readonly FaultEvent[]): string[] {
  const retried = new Set(events.filter((e) => e.event === "retried").map((e) => `${e.invocation} ${e.attempt - 1}`));
  return events
    .filter((e) => e.event === "injected" && !retried.has(`${e.invocation} ${e.attempt}`))
    .map((e) => `${e.service} ${e.action} ${e.error}`);
}

/**
 * Seconds during which at least one faulted call was waiting for its retry: the union of the intervals from each faulty
 * answer to the retry of the same invocation. An upper bound of the wall time the faults added, less when other work
 * went on meanwhile; unlike a wall-clock comparison, it does not move with the machine's load.
 */
export function backoffUnion(events: readonly FaultEvent[]): number {
  const answered = new Map(events.filter((e) => e.event === "injected").map((e) => [`${e.invocation} ${e.attempt}`, e.at]));
  const intervals = events
    .filter((e) => e.event === "retried" && answered.has(`${e.invocation} ${e.attempt - 1}`))
    .map((e) => [answered.get(`${e.invocation} ${e.attempt - 1}`)!, e.at] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of intervals) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** A table of the tally for test output, one row per kind of fault plus the total. */
export function formatFaultReport(title: string, events: readonly FaultEvent[], seconds?: number): string {
  const rows = Object.entries(tallyFaults(events)).map(([kind, t]) => [kind, t.injected, t.retried, t.waited.toFixed(1)]);
  const total = rows.reduce((sum, row) => [sum[0], +sum[1] + +row[1], +sum[2] + +row[2], (+sum[3] + +row[3]).toFixed(1)], ["total", 0, 0, "0.0"]);
  const table = [["fault", "injected", "retried", "backoff s"], ...rows, total].map((row) => row.map(String));
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
  const heading = `${title}${seconds === undefined ? "" : ` (${seconds.toFixed(1)} s)`}: some call waiting to retry for ${backoffUnion(events).toFixed(1)} s`;
  return [heading, ...lines].join("\n");
}
