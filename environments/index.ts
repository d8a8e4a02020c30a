import { EnvironmentConfig } from "../lib";

/**
 * Every environment main.ts synthesizes, one stack `tls-<name>` each, in this order. One line per environment
 * file: adding an environment is its file plus its line here (typed through the file's own export).
 */
export const environments: EnvironmentConfig[] = [
  (require("./dev") as typeof import("./dev")).dev,
  (require("./staging") as typeof import("./staging")).staging,
  (require("./prod") as typeof import("./prod")).prod,
];
