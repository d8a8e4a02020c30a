/** The tls-bootstrap stack applied on the AWS emulator as the pipeline applies it: synth, scripts/ci/plan, scripts/ci/apply. */
import { spawnSync } from "child_process";
import * as path from "path";
import { App } from "cdktf";
import { BOOTSTRAP_STACK_ID, BootstrapConfig, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import { Emulator, REPO_ROOT } from "./emulator";

/**
 * Synthesizes the bootstrap stack for `config` into `<dir>/cdktf.out`, plans it with `scripts/ci/plan` (exit 2: changes)
 * and applies that plan with `scripts/ci/apply`, against the emulator. Its local state ends in `<dir>`. Throws with
 * the script's output on any other exit.
 */
export function applyBootstrap(emulator: Emulator, config: BootstrapConfig, dir: string): void {
  const app = new App({ outdir: path.join(dir, "cdktf.out") });
  new BootstrapStack(app, BOOTSTRAP_STACK_ID, config);
  app.synth();
  const stackDir = path.join(dir, "cdktf.out", "stacks", BOOTSTRAP_STACK_ID);
  for (const [name, args, status] of [
    ["plan", [stackDir, path.join(dir, "out")], 2],
    ["apply", [stackDir, path.join(dir, "out", "tfplan")], 0],
  ] as const) {
    const result = spawnSync(path.join(REPO_ROOT, "scripts", "ci", name), args, { env: emulator.env, encoding: "utf8", timeout: 540_000 });
    if (result.status !== status) throw new Error(`scripts/ci/${name} (bootstrap) exited ${result.status}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  }
}
