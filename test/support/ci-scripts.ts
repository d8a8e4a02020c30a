/**
 * Runs the CI scripts (scripts/ci/plan, apply, drift) as the workflow does, for the suites that drive them against the
 * AWS emulator, and reads what they write. TLS_EDGE_KEEP_SUMMARIES=<dir> keeps a copy of every summary.md read
 * (the docs quote them).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./emulator";

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The longest a CI script may run here before the suite fails (the workflow's own job timeouts are longer). */
const SCRIPT_TIMEOUT_MS = 540_000;

/**
 * Runs scripts/ci/<name> with `args` and `env`, from another working directory on purpose: the scripts must not
 * depend on the caller's cwd.
 */
export function runCiScript(name: "plan" | "apply" | "drift", args: readonly string[], env: NodeJS.ProcessEnv): ScriptResult {
  const result = spawnSync(path.join(REPO_ROOT, "scripts", "ci", name), args, { cwd: os.tmpdir(), env, encoding: "utf8", timeout: SCRIPT_TIMEOUT_MS });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The summary.md a script wrote into `outDir`; kept as `<name>.summary.md` under TLS_EDGE_KEEP_SUMMARIES when set. */
export function readSummary(outDir: string, name: string): string {
  const text = fs.readFileSync(path.join(outDir, "summary.md"), "utf8");
  const keep = process.env.TLS_EDGE_KEEP_SUMMARIES;
  if (keep) {
    fs.mkdirSync(keep, { recursive: true });
    fs.writeFileSync(path.join(keep, `${name}.summary.md`), text);
  }
  return text;
}

/** Fails with the end of the script's stdout and stderr unless it exited with `status`. */
export function expectStatus(result: ScriptResult, status: number): void {
  if (result.status !== status) throw new Error(`expected exit ${status}, got ${result.status}\n--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`);
}
