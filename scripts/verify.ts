/**
 * `npm run verify -- [<environment>] [--host <name>]... [--json] ...`: checks a deployed TLS edge from outside.
 * Usage and exit codes: lib/verify/verify-options.ts (USAGE) and the README, "Verify a deployed edge".
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { environments } from "../environments";
import { validateEnvironments } from "../lib/config/validate-environments";
import { edgeExpectations } from "../lib/verify/edge-expectations";
import { EXIT_CODES, exitCode, formatJson, formatText } from "../lib/verify/report";
import { loadTrustStore } from "../lib/verify/trust-store";
import { verifyEdge } from "../lib/verify/verify-edge";
import { parseVerifyArgs, USAGE, UsageError } from "../lib/verify/verify-options";

/** Pause before a retry; with --timeout and --retries it bounds every probe (see the README). */
const RETRY_DELAY_MS = 1000;

async function main(argv: readonly string[]): Promise<number> {
  let options;
  let expectations;
  let trust;
  try {
    options = parseVerifyArgs(argv);
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_CODES.ok;
    }
    const name = options.environment;
    // The same validation as synth: a verifier must not judge an edge by a configuration synth would reject.
    if (name !== undefined) validateEnvironments(environments);
    const config = name === undefined ? undefined : environments.find((env) => env.name === name);
    if (name !== undefined && !config) {
      throw new Error(`unknown environment "${name}"; known: ${environments.map((env) => env.name).join(", ")}`);
    }
    expectations = edgeExpectations(config, options.hosts);
    const unknown = [...options.resolve.keys()].filter((host) => !expectations!.hosts.includes(host));
    if (unknown.length > 0) throw new Error(`--resolve names host(s) not being verified: ${unknown.join(", ")} (verifying ${expectations.hosts.join(", ")})`);
    trust = loadTrustStore(options.caFile);
    provisionScanner();
  } catch (error) {
    if (error instanceof ProvisioningFailed) return EXIT_CODES.usage; // python-tools.js already said why, in one line
    const hint = error instanceof UsageError ? `\n${USAGE}` : "(npm run verify -- --help for usage)";
    process.stderr.write(`verify: ${(error as Error).message}\n${hint}\n`);
    return EXIT_CODES.usage;
  }
  const report = await verifyEdge({
    expectations,
    environment: options.environment,
    trust,
    resolve: options.resolve,
    httpsPort: options.httpsPort,
    httpPort: options.httpPort,
    timing: { timeoutMs: options.timeoutSeconds * 1000, retries: options.retries, retryDelayMs: RETRY_DELAY_MS },
    scanBudgetMs: options.scanTimeoutSeconds * 1000,
  });
  process.stdout.write(options.json ? formatJson(report) : formatText(report));
  return exitCode(report);
}

class ProvisioningFailed extends Error {}

/**
 * The TLS scanner (sslyze) lives in .venv-verify, provisioned from requirements-verify.txt by scripts/python-tools.js
 * once per requirements hash (a few milliseconds when it is current). Its messages go to stderr; stdout stays the report.
 */
function provisionScanner(): void {
  const result = spawnSync(process.execPath, [path.join(__dirname, "python-tools.js"), "verify"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new ProvisioningFailed();
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`verify: internal error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = EXIT_CODES.usage;
  },
);
