/**
 * Run by `npm run check:cdktn` in both copies of the project (cdktf as it is, and moved to cdktn), with the same
 * code: synthesizes the test fixtures the shipped environments do not cover, and records what the TLS guard says about
 * stacks it must refuse. Writes, below the directory given as the only argument:
 *   fixtures/   two zones, every optional edge feature on (everything-on), and adopted listeners (import blocks)
 *   extended/   the shipped environments plus the README's extension (a listener exempted with a reason: a warning)
 *   guard.json  the guard's message for the shipped environments plus an unexempted weak listener, and for the weak
 *               stack (both must fail synth; the messages are compared)
 */
import * as fs from "fs";
import * as path from "path";
import { loadDependenciesAsPlainCommonJs } from "../../lib/app/plain-dependencies";

loadDependenciesAsPlainCommonJs();

const { App, Aspects } = require("cdktf") as typeof import("cdktf");
const lib = require("../../lib") as typeof import("../../lib");
const { environments } = require("../../environments") as typeof import("../../environments");
const { twoZones } = require("../../test/fixtures/environments") as typeof import("../../test/fixtures/environments");
const { everythingOn } = require("../../test/fixtures/everything-on") as typeof import("../../test/fixtures/everything-on");
const { extend, weakListener } = require("../../test/fixtures/extensions") as typeof import("../../test/fixtures/extensions");
const { buildWeakStack } = require("../../test/fixtures/weak-stack") as typeof import("../../test/fixtures/weak-stack");

const out = path.resolve(process.argv[2] ?? "fixtures.out");
fs.mkdirSync(out, { recursive: true });

// The same adopted-listener environment as the real-Terraform plan gate (test/stack/environments.plan.test.ts).
const adopting: import("../../lib").EnvironmentConfig = {
  ...twoZones,
  name: "adopting",
  existingListeners: { http: `${twoZones.loadBalancerArn.replace(":loadbalancer/", ":listener/")}/0123456789abcdef` },
};
lib.synthesizeEnvironments([twoZones, everythingOn, adopting], { outdir: path.join(out, "fixtures") });
lib.synthesizeEnvironments(environments, { outdir: path.join(out, "extended"), extend });

/** The message synth fails with (a guard error is expected); "synthesized" when it did not fail. */
function failure(build: () => void): string {
  try {
    build();
    return "synthesized";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
const scratch = fs.mkdtempSync(path.join(out, ".guard-"));
try {
  const verdicts = {
    weakListener: failure(() => lib.synthesizeEnvironments(environments, { outdir: path.join(scratch, "weak-listener"), extend: weakListener })),
    weakStack: failure(() => {
      const app = new App({ outdir: path.join(scratch, "weak-stack") });
      Aspects.of(buildWeakStack(app, "weak")).add(new lib.TlsGuard());
      app.synth();
    }),
  };
  fs.writeFileSync(path.join(out, "guard.json"), `${JSON.stringify(verdicts, null, 2)}\n`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
