/**
 * The slow project's worker count (test/support/slow-runner.cjs): more workers than CPUs by default, a positive
 * integer from TLS_EDGE_SLOW_WORKERS, and a clear error for anything else.
 */
import * as os from "os";

const { slowWorkers } = require("./slow-runner.cjs") as { slowWorkers: () => number };

function withWorkers<T>(value: string | undefined, run: () => T): T {
  const saved = process.env.TLS_EDGE_SLOW_WORKERS;
  if (value === undefined) delete process.env.TLS_EDGE_SLOW_WORKERS;
  else process.env.TLS_EDGE_SLOW_WORKERS = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.TLS_EDGE_SLOW_WORKERS;
    else process.env.TLS_EDGE_SLOW_WORKERS = saved;
  }
}

describe("the slow project's workers", () => {
  test("are three per CPU when TLS_EDGE_SLOW_WORKERS is not set", () => {
    expect(withWorkers(undefined, slowWorkers)).toBe(3 * os.availableParallelism());
    expect(withWorkers("", slowWorkers)).toBe(3 * os.availableParallelism());
  });

  test("are the number TLS_EDGE_SLOW_WORKERS names", () => {
    expect(withWorkers("1", slowWorkers)).toBe(1);
    expect(withWorkers("7", slowWorkers)).toBe(7);
  });

  test.each(["0", "-2", "2.5", "two", "1e400"])("refuse TLS_EDGE_SLOW_WORKERS=%s, naming the variable and the value", (value) => {
    expect(() => withWorkers(value, slowWorkers)).toThrow(`TLS_EDGE_SLOW_WORKERS must be a positive integer, got "${value}"`);
  });
});
