import { reportSynthFailure, synthesizeEnvironments } from "./lib";

// Wiring only: one stack `tls-<name>` per environment, synthesized all-or-nothing. The environments are loaded
// inside the try, so a broken environment file is reported like any other bad input, not as a crash.
try {
  const { environments } = require("./environments") as typeof import("./environments");
  synthesizeEnvironments(environments);
} catch (error) {
  process.exitCode = reportSynthFailure(error);
}
