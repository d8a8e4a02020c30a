import { environments } from "./environments";
import { reportSynthFailure, synthesizeEnvironments } from "./lib";

// Wiring only: one stack `tls-<name>` per environment, synthesized all-or-nothing.
try {
  synthesizeEnvironments(environments);
} catch (error) {
  process.exitCode = reportSynthFailure(error);
}
