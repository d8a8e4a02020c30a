import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { EnvironmentConfig } from "./environment-config";
import { TlsGuardError } from "./tls-guard";
import { stackId, TlsStack } from "./tls-stack";
import { EnvironmentConfigError, validateEnvironments } from "./validate-environments";

export interface SynthesizeOptions {
  /**
   * Output directory.
   * @default - `$CDKTF_OUTDIR` (set by the cdktf CLI), else "cdktf.out"
   */
  readonly outdir?: string;
}

/**
 * Validates every environment, synthesizes one `TlsStack` each into a staging directory beside the output
 * directory, and only when everything succeeded swaps it in. A failed synth (bad configuration, a guard violation,
 * a cdktf validation) leaves an existing output directory exactly as it was. Returns the stack ids.
 */
export function synthesizeEnvironments(environments: readonly EnvironmentConfig[], options: SynthesizeOptions = {}): string[] {
  validateEnvironments(environments);
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  // Beside the output directory, not in /tmp: same filesystem, so the final rename is atomic, and the same depth,
  // so relative paths in the stacks (the local state path) mean the same thing.
  const staging = fs.mkdtempSync(path.join(path.dirname(outdir), ".cdktf-staging-"));
  try {
    const app = new App({ outdir: staging });
    const ids = environments.map((environment) => new TlsStack(app, stackId(environment.name), environment).node.id);
    app.synth();
    replaceDirectory(outdir, staging);
    return ids;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function replaceDirectory(target: string, replacement: string): void {
  const previous = `${replacement}-previous`;
  if (fs.existsSync(target)) fs.renameSync(target, previous);
  fs.renameSync(replacement, target);
  fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * Prints a synth failure for a person and returns the exit code. Configuration, policy and environment-file syntax
 * errors are the user's input, so they get their message alone; anything else is a bug and keeps its stack trace.
 */
export function reportSynthFailure(error: unknown): number {
  // TSError: ts-node could not compile an edited environment file; its message names the file, line and column.
  const userInput = error instanceof Error && ["TSError", "SyntaxError"].includes(error.name);
  if (error instanceof EnvironmentConfigError || error instanceof TlsGuardError || userInput) {
    process.stderr.write(`${error.message}\n\nNothing was written: the output directory is unchanged.\n`);
  } else {
    process.stderr.write(`Synth failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  return 1;
}
