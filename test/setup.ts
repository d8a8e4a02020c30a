// Registers the cdktf jest matchers (toHaveResourceWithProperties, ...) and their types.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import * as fs from "fs";
import * as path from "path";

Testing.setupJest();
// No telemetry from cdktf or Terraform in tests.
process.env.CHECKPOINT_DISABLE = "1";

// cdktf records the creation stack of every token (cdktf/lib/tokens/private/stack-trace.js, with
// Error.stackTraceLimit = MAX_SAFE_INTEGER) and formats it at once, and mapping each of those frames through source
// maps is costly: measured on 2 CPUs under jest's runner, the fast project went from 15.1 to 12.6 CPU-s with this.
// Errors keep the mapped stacks of the formatter in place (jest's under jest's runner; Node's own default, with source
// maps on, under the fast project's jest-light-runner); cdktf's creation stacks (plain objects, kept for its
// messages) list their frames unmapped. Same idea as lib/app/stack-traces.ts for the app.
const prepareStackTrace = Error.prepareStackTrace;
if (prepareStackTrace) {
  Error.prepareStackTrace = (error, frames) => (error instanceof Error ? prepareStackTrace(error, frames) : ["", ...frames.map((frame) => `    at ${frame}`)].join("\n"));
}

// Testing.app() and Testing.fullSynth() each make a temp output directory that cdktf never removes (~160 per fast run):
// they go into the jest run's own directory, which test/support/global-teardown.cjs removes. Wrapped once per cdktf
// module: under jest-light-runner a worker's test files share it (and this file runs once per worker).
const WRAPPED = Symbol.for("tls-edge-stack.testing-outdirs");
const run = process.env.TLS_EDGE_TEST_OUTDIRS;
if (run !== undefined && !(Testing as unknown as Record<symbol, boolean>)[WRAPPED]) {
  (Testing as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  const newOutdir = () => fs.mkdtempSync(path.join(run, "cdktf.outdir."));
  const app = Testing.app.bind(Testing);
  Testing.app = (options = {}) => app({ ...options, outdir: options.outdir ?? newOutdir() });
  const fullSynth = Testing.fullSynth.bind(Testing);
  Testing.fullSynth = (stack) => {
    // cdktf makes this one itself: moved into the run's directory (same file system) before anyone reads it.
    const outdir = path.join(newOutdir(), "out");
    fs.renameSync(fullSynth(stack), outdir);
    return outdir;
  };
}
