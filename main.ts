import { loadDependenciesAsPlainCommonJs } from "./lib/app/plain-dependencies";

// Before anything requires cdktf: the packages load as plain CommonJS, our .ts through tsx (see the function).
loadDependenciesAsPlainCommonJs();

// Wiring only: one stack `tls-<name>` per environment, plus whatever extend.ts adds to it, synthesized
// all-or-nothing. Everything is loaded inside the try, so a broken environment or extension file is reported like
// any other bad input, not as a crash.
const { reportSynthFailure, reportSynthWarnings, synthesizeEnvironments } = require("./lib") as typeof import("./lib");
try {
  const { environments } = require("./environments") as typeof import("./environments");
  const { extend } = require("./extend") as typeof import("./extend");
  synthesizeEnvironments(environments, { extend });
  // The cdktf CLI (which sets this variable for the app) prints the warnings itself; `npm run synth` does not.
  if (process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === undefined) reportSynthWarnings();
} catch (error) {
  process.exitCode = reportSynthFailure(error);
}
