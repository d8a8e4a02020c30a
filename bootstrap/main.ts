/**
 * `npm run bootstrap:synth`: synthesizes the `tls-bootstrap` stack for the account in bootstrap/config.ts into
 * bootstrap.out/stacks/tls-bootstrap (apart from cdktf.out, so `npm run synth` never replaces it).
 */
import * as path from "path";
import { App } from "cdktf";
import { BOOTSTRAP_STACK_ID, BootstrapStack } from "../lib/bootstrap/bootstrap-stack";
import { bootstrap } from "./config";

const outdir = path.resolve(__dirname, "..", "bootstrap.out");
try {
  const app = new App({ outdir });
  new BootstrapStack(app, BOOTSTRAP_STACK_ID, bootstrap);
  app.synth();
  process.stdout.write(`Synthesized ${path.join(outdir, "stacks", BOOTSTRAP_STACK_ID)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\nNothing was deployed.\n`);
  process.exitCode = 1;
}
