import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentConfig, synthesizeEnvironments } from "../../lib";

/**
 * Synthesizes environments into a fresh temp outdir; returns it with a reader for each stack's cdk.tf.json. When synth
 * throws, the temp directory is removed before the error goes on.
 */
export function synthToTemp(environments: readonly EnvironmentConfig[]) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tls-synth-")), "cdktf.out");
  try {
    synthesizeEnvironments(environments, { outdir });
  } catch (error) {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
    throw error;
  }
  return {
    outdir,
    stackDir: (name: string) => path.join(outdir, "stacks", `tls-${name}`),
    stackJson: (name: string): any => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `tls-${name}`, "cdk.tf.json"), "utf8")),
    cleanup: () => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }),
  };
}
