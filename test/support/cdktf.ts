/**
 * Runs the real cdktf CLI (node_modules/.bin/cdktf) in an app directory, the way a person deploys from a laptop:
 * `cdktf deploy|diff|destroy <stack> --auto-approve --skip-provider-lock`.
 *
 * `--skip-provider-lock`: offline (here, and on any machine that cannot reach registry.terraform.io) cdktf otherwise
 * stops at "Could not retrieve providers for locking", even with a filesystem mirror configured.
 *
 * Every run has a bounded timeout, captures stdout and stderr, and runs in its own process group, so a timeout or
 * `kill()` ends cdktf together with the terraform it started.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "./emulator";

const CDKTF = path.join(REPO_ROOT, "node_modules", ".bin", "cdktf");

export interface CdktfRunOptions {
  /** Directory with cdktf.json. */
  readonly cwd: string;
  /** The complete environment (e.g. an emulator's `env` plus the app's own variables). */
  readonly env: NodeJS.ProcessEnv;
  /** @default 480_000 */
  readonly timeoutMs?: number;
}

export interface CdktfResult {
  readonly command: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr without ANSI colour codes, for assertions on what a person would read. */
  readonly output: string;
  readonly timedOut: boolean;
}

export interface CdktfProcess {
  readonly command: string;
  readonly child: ChildProcess;
  /** Output so far (stdout + stderr, colours stripped). */
  output(): string;
  /** Signals cdktf and every process it started (terraform, the provider). */
  kill(signal?: NodeJS.Signals): void;
  readonly result: Promise<CdktfResult>;
}

/** The arguments a deploy-style command gets: stack, --auto-approve (deploy/destroy), --skip-provider-lock. */
export function cdktfArgs(command: "deploy" | "diff" | "destroy", stack: string): string[] {
  return [command, stack, ...(command === "diff" ? [] : ["--auto-approve"]), "--skip-provider-lock"];
}

/** Starts `cdktf <args>`; await `.result` for the outcome. */
export function startCdktf(args: readonly string[], options: CdktfRunOptions): CdktfProcess {
  const command = `cdktf ${args.join(" ")}`;
  const child = spawn(CDKTF, [...args], {
    cwd: options.cwd,
    env: {
      ...options.env,
      CHECKPOINT_DISABLE: "1",
      FORCE_COLOR: "0",
      CI: "1",
      // cdktf otherwise points every terraform at one shared plugin cache (~/.terraform.d/plugin-cache), and two
      // `terraform init` at once race on it ("failed to create directory ... file exists"), which suites running in
      // parallel (and the concurrent-apply test) do. The provider comes from the local mirror anyway.
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const kill = (signal: NodeJS.Signals = "SIGKILL") => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => kill("SIGKILL");
  process.once("exit", onExit);
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? 480_000;
  const timer = setTimeout(() => {
    timedOut = true;
    kill("SIGKILL");
  }, timeoutMs);
  const result = new Promise<CdktfResult>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      process.removeListener("exit", onExit);
      // terraform may outlive an interrupted cdktf: never leave it behind.
      kill("SIGKILL");
      resolve({ command, code, signal, stdout, stderr, output: stripAnsi(stdout + stderr), timedOut });
    };
    child.once("error", (error) => {
      stderr += `\n${command} could not start: ${error.message}`;
      finish(null, null);
    });
    child.once("close", finish);
  });
  return { command, child, output: () => stripAnsi(stdout + stderr), kill, result };
}

/** Runs `cdktf <args>` to the end and returns its result, whatever the exit code. */
export function runCdktf(args: readonly string[], options: CdktfRunOptions): Promise<CdktfResult> {
  return startCdktf(args, options).result;
}

/** Runs `cdktf <args>` and throws, naming the command and showing its output, unless it exited 0. */
export async function cdktf(args: readonly string[], options: CdktfRunOptions): Promise<CdktfResult> {
  const result = await runCdktf(args, options);
  if (result.code !== 0) throw new Error(describeFailure(result, options));
  return result;
}

export function describeFailure(result: CdktfResult, options: Pick<CdktfRunOptions, "cwd" | "timeoutMs">): string {
  const how = result.timedOut
    ? `timed out after ${(options.timeoutMs ?? 480_000) / 1000} s`
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.code}`;
  return `\`${result.command}\` in ${options.cwd} ${how}\n--- output ---\n${tail(result.output, 12_000)}`;
}

function tail(text: string, max: number): string {
  return text.length <= max ? text.trim() : `...${text.slice(-max).trim()}`;
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}
