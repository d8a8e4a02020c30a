// Registers the cdktf jest matchers (toHaveResourceWithProperties, ...) and their types.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
// No telemetry from cdktf or Terraform in tests.
process.env.CHECKPOINT_DISABLE = "1";

// cdktf records the creation stack of every token (cdktf/lib/tokens/private/stack-trace.js, with
// Error.stackTraceLimit = MAX_SAFE_INTEGER) and formats it at once, and mapping each of those frames through source
// maps is costly: measured on 2 CPUs under jest's runner, the fast project went from 15.1 to 12.6 CPU-s with this.
// Errors keep the mapped stacks of the formatter in place (jest's under jest's runner; Node's own default, with source
// maps on, under the fast project's jest-light-runner); cdktf's creation stacks (plain objects, kept for its
// messages) list their frames unmapped. Same idea as lib/stack-traces.ts for the app.
const prepareStackTrace = Error.prepareStackTrace;
if (prepareStackTrace) {
  Error.prepareStackTrace = (error, frames) => (error instanceof Error ? prepareStackTrace(error, frames) : ["", ...frames.map((frame) => `    at ${frame}`)].join("\n"));
}
