import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { EnvironmentConfig } from "../config/environment-config";
import { withCheapStackTraces } from "./stack-traces";
import { TlsGuardError } from "../guard/tls-guard";
import { stackId, TlsStack } from "../tls-stack";
import { EnvironmentConfigError, validateEnvironments } from "../config/validate-environments";

/**
 * A team's own additions to an environment's stack: called once per environment, after the TLS edge is built and
 * before synth. Whatever it adds is checked by the stack's TLS guard and is written all-or-nothing with the rest.
 */
export type StackExtension = (stack: TlsStack, config: EnvironmentConfig) => void;

export interface SynthesizeOptions {
  /**
   * Output directory.
   * @default - `$CDKTF_OUTDIR` (set by the cdktf CLI), else "cdktf.out"
   */
  readonly outdir?: string;
  /**
   * Adds a team's own resources to each environment's stack (`extend.ts` at the project root, wired by main.ts).
   * @default - nothing is added
   */
  readonly extend?: StackExtension;
}

/**
 * Validates every environment, synthesizes one `TlsStack` each (plus what `options.extend` adds to it) into a staging
 * directory beside the output directory, and only when everything succeeded swaps it in, keeping each surviving
 * stack's Terraform working state. A failed synth (bad configuration, a guard violation, an error in `extend`, a
 * cdktf validation) leaves an existing output directory exactly as it was. Returns the stack ids.
 */
export function synthesizeEnvironments(environments: readonly EnvironmentConfig[], options: SynthesizeOptions = {}): string[] {
  validateEnvironments(environments);
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  // Beside the output directory, not in /tmp: same filesystem, so the final rename is atomic, and the same depth,
  // so relative paths in the stacks (the local state path) mean the same thing.
  const staging = fs.mkdtempSync(path.join(path.dirname(outdir), ".cdktf-staging-"));
  try {
    const ids = withCheapStackTraces(() => {
      const app = new App({ outdir: staging });
      const built = environments.map((environment) => {
        const stack = new TlsStack(app, stackId(environment.name), environment);
        options.extend?.(stack, environment);
        return stack.node.id;
      });
      app.synth();
      return built;
    });
    replaceDirectory(outdir, staging);
    return ids;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Terraform's working state in a stack directory: the installed providers and modules, and the provider lock file.
 * Carried from the old output into the new one for every stack that still exists, so `cdktf diff`/`deploy` after a
 * synth neither re-installs the provider (hundreds of MB) nor re-locks it.
 */
export const TERRAFORM_WORKING_STATE = [".terraform", ".terraform.lock.hcl"] as const;

function replaceDirectory(target: string, replacement: string): void {
  const previous = `${replacement}-previous`;
  const carried = carryWorkingState(target, replacement);
  let movedAside = false;
  try {
    if (fs.existsSync(target)) {
      fs.renameSync(target, previous);
      movedAside = true;
    }
    fs.renameSync(replacement, target);
  } catch (error) {
    // Nothing was swapped: put the old output and its working state back as they were.
    if (movedAside) fs.renameSync(previous, target);
    for (const [from, to] of carried) fs.renameSync(to, from);
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * Moves each surviving stack's working state from the old output into the new one (renames on one filesystem: no
 * copy). A stack that is no longer synthesized keeps nothing. Returns the moves made, [from, to].
 */
function carryWorkingState(target: string, replacement: string): Array<[string, string]> {
  const newStacks = path.join(replacement, "stacks");
  const oldStacks = path.join(target, "stacks");
  if (!fs.existsSync(newStacks) || !fs.existsSync(oldStacks)) return [];
  const carried: Array<[string, string]> = [];
  for (const stack of fs.readdirSync(newStacks)) {
    for (const entry of TERRAFORM_WORKING_STATE) {
      const from = path.join(oldStacks, stack, entry);
      const to = path.join(newStacks, stack, entry);
      if (fs.existsSync(to) || !lexists(from)) continue;
      fs.renameSync(from, to);
      carried.push([from, to]);
    }
  }
  return carried;
}

/** True when the path exists, also as a dangling symlink. */
function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Prints a synth failure for a person and returns the exit code. Configuration, policy and environment-file syntax
 * errors are the user's input, so they get their message alone; anything else is a bug and keeps its stack trace.
 */
export function reportSynthFailure(error: unknown): number {
  // TransformError: tsx (esbuild) could not compile an edited environment file. TSError/SyntaxError: ts-node or
  // Node itself could not; their messages already name the file, line and column.
  const userInput = error instanceof Error && ["TransformError", "TSError", "SyntaxError"].includes(error.name);
  if (error instanceof EnvironmentConfigError || error instanceof TlsGuardError || userInput) {
    const message = error.name === "TransformError" ? describeTransformError(error.message) : error.message;
    process.stderr.write(`${message}\n\nNothing was written: the output directory is unchanged.\n`);
  } else {
    process.stderr.write(`Synth failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  return 1;
}

/**
 * Rewrites esbuild's "Transform failed with N errors:\n/abs/file.ts:3:7: ERROR: text" as `file.ts:3:8: text` lines:
 * the path relative to the working directory and the column 1-based (esbuild counts columns from 0, editors and tsc
 * from 1), so `environments/dev.ts:3:8` opens at the mistake.
 */
export function describeTransformError(message: string, cwd: string = process.cwd()): string {
  const located = /^(.+):(\d+):(\d+): (?:ERROR|error): (.*)$/;
  const lines = message.split("\n").flatMap((line) => {
    const match = located.exec(line);
    if (match === null) return [];
    const [, file, lineNumber, column, text] = match;
    const relative = path.relative(cwd, file);
    const shown = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    return [`${shown}:${lineNumber}:${Number(column) + 1}: ${text}`];
  });
  return lines.length === 0 ? message : ["A TypeScript file does not compile:", ...lines].join("\n");
}
