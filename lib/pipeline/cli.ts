/**
 * The logic behind `scripts/ci/plan`, `scripts/ci/apply` and `scripts/ci/drift` (the workflow calls only those).
 * Runs the real `terraform` on PATH with the caller's environment as is: in CI the credentials the OIDC step exported,
 * in tests the emulator's endpoint and a TF_CLI_CONFIG_FILE with the provider mirror.
 *
 * Exit codes follow `terraform plan -detailed-exitcode`: 0 no changes, 2 changes (or drift), 1 error.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AdoptionJudgement, adoptedListenersIn, judgeAdoptedListeners, stackCertificatesIn, UnresolvedAdoptionError } from "../guard/adopted-listeners";
import { listenerRuleProblemsInPlan } from "../guard/plan-listener-rules";
import { DNS_ROLE_VARIABLE, DnsRoleArns, METADATA_KEY } from "../stack-metadata";
import { InventoryError, inventoryListeners } from "./listener-inventory";
import { guardSuppressions, renderSummary } from "./plan-summary";

export const EXIT_NO_CHANGES = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

const PLAN_FILE = "tfplan";
const PLAN_JSON = "plan.json";
const SUMMARY = "summary.md";
const LOCK_FILE = ".terraform.lock.hcl";
/** A PR plan and a main apply of one stack may overlap; wait for the state lock rather than fail at once. */
const LOCK_TIMEOUT = "-lock-timeout=5m";

const USAGE: Record<string, string> = {
  plan: `Usage: scripts/ci/plan STACK_DIR OUT_DIR

Plans a synthesized stack (a directory with cdk.tf.json, e.g. cdktf.out/stacks/tls-prod):
terraform init, then terraform plan -out. Writes into OUT_DIR (created if missing):
  tfplan              the saved plan; scripts/ci/apply applies exactly this file
  plan.json           terraform show -json tfplan
  summary.md          the reviewer's summary (TLS events, guard suppressions), capped for a PR comment
  .terraform.lock.hcl the provider lock file the plan was made with (apply installs the same providers)

Runs the plan-time half of the TLS guard on the plan (listenerRuleProblemsInPlan: listener rules whose listener the
synth-time guard could not resolve), honouring the stack's suppressions. When it refuses the plan, summary.md says
why, tfplan is removed so nothing can apply it, and the exit status is 1.

Listeners the stack adopts (existingListeners: import blocks) keep the rules and SNI certificates already on them, and
no plan shows those: they are read from the ELB and ACM APIs (DescribeRules, DescribeListenerCertificates,
DescribeCertificate) with the caller's AWS credentials. A rule on an adopted HTTP listener that does anything but a
301 redirect to HTTPS is refused as above (rule http-listener-rule, suppressible on the listener); an SNI certificate
the stack does not manage is a WARNING in summary.md with its names and the stack's names it overlaps. When those
APIs cannot be read (no credentials, AccessDenied), tfplan is removed and the exit status is 1.

Uses the caller's environment for AWS credentials and Terraform settings. Waits up to 5 minutes for the state lock.
Set TLS_EDGE_SUMMARY_MAX_CHARS to change the summary's size cap (default 60000).

Exit status: 0 no changes, 2 changes, 1 error.`,
  apply: `Usage: scripts/ci/apply STACK_DIR PLAN_FILE

Applies exactly the saved plan PLAN_FILE (made by scripts/ci/plan) in the synthesized stack STACK_DIR, nothing else.
When PLAN_FILE's directory holds the .terraform.lock.hcl the plan was made with, it is installed into STACK_DIR first
and terraform init runs with -lockfile=readonly, so the same providers are used. Waits up to 5 minutes for the state
lock.

A stale plan (the state changed after the plan was made, e.g. another apply ran) is refused by Terraform's own check;
nothing is applied: plan again and review the new plan.

Exit status: 0 applied, 1 error (including a refused stale plan).`,
  drift: `Usage: scripts/ci/drift STACK_DIR OUT_DIR

Drift check of a deployed stack: terraform init, then terraform plan (which refreshes the state from AWS first).
Writes OUT_DIR/tfplan, OUT_DIR/plan.json and OUT_DIR/summary.md; the summary lists what changed outside Terraform
(with listener policies' minimum TLS versions) and what an apply would change back, and what adopted listeners keep
(their rules and SNI certificates, read from the ELB and ACM APIs as scripts/ci/plan does; reported, never refused).

Exit status: 0 no drift, 2 drift (reality differs from the configuration or the state), 1 error.`,
};

/** A usage or input error: printed without a stack trace, exit 1. */
class UsageError extends Error {}

/** Output of one terraform run; stdout/stderr are also streamed to ours as they come. */
interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function terraform(args: readonly string[], options: { cwd: string; capture?: boolean; echo?: boolean; env?: Readonly<Record<string, string>> }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env };
    const child = spawn("terraform", [`-chdir=${options.cwd}`, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (options.capture) stdout += chunk.toString("utf8");
      if (options.echo !== false) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      process.stderr.write(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === "ENOENT" ? "terraform was not found on PATH" : `could not run terraform: ${error.message}`)),
    );
    child.on("close", (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), stdout, stderr }));
  });
}

function stackDirectory(dir: string | undefined): string {
  if (dir === undefined) throw new UsageError("missing STACK_DIR");
  const resolved = path.resolve(dir);
  if (!fs.existsSync(path.join(resolved, "cdk.tf.json"))) {
    throw new UsageError(`${dir} is not a synthesized stack (no cdk.tf.json in it; run npm run synth first)`);
  }
  return resolved;
}

/**
 * The variables a run of the stack needs: with `dnsRoleArn`, the DNS role to assume (lib/tls-stack.ts): the read-only
 * one for plans and drift checks, the writing one to apply. The variable is ephemeral, so the applied plan never
 * carries the plan's role; it must be given again, and is.
 */
function runVariables(stackDir: string, phase: "plan" | "apply"): Record<string, string> {
  const cdkTfJson = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const roles = cdkTfJson["//"]?.[METADATA_KEY]?.dns_role_arns as DnsRoleArns | undefined;
  return roles === undefined ? {} : { [`TF_VAR_${DNS_ROLE_VARIABLE}`]: roles[phase] };
}

async function init(stackDir: string, lockfileReadonly: boolean): Promise<void> {
  const args = ["init", "-input=false", "-no-color", ...(lockfileReadonly ? ["-lockfile=readonly"] : [])];
  const result = await terraform(args, { cwd: stackDir });
  if (result.status !== 0) throw new UsageError(`terraform init failed in ${stackDir} (exit ${result.status})`);
}

/** init + plan -detailed-exitcode -out, then plan.json, summary.md and the lock file. Returns 0 or 2. */
async function planInto(stackDir: string, outDir: string, mode: "plan" | "drift"): Promise<number> {
  fs.mkdirSync(outDir, { recursive: true });
  const planFile = path.join(outDir, PLAN_FILE);
  // A plan left from an earlier run must never be mistaken for this one's.
  for (const name of [PLAN_FILE, PLAN_JSON, SUMMARY, LOCK_FILE]) fs.rmSync(path.join(outDir, name), { force: true });
  await init(stackDir, false);
  const variables = runVariables(stackDir, "plan");
  const plan = await terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode", LOCK_TIMEOUT, `-out=${planFile}`], { cwd: stackDir, env: variables });
  if (plan.status !== EXIT_NO_CHANGES && plan.status !== EXIT_CHANGES) {
    throw new UsageError(`terraform plan failed for ${stackDir} (exit ${plan.status}); nothing was written to ${outDir}`);
  }
  const shown = await terraform(["show", "-json", "-no-color", planFile], { cwd: stackDir, capture: true, echo: false, env: variables });
  if (shown.status !== 0) throw new UsageError(`terraform show -json failed (exit ${shown.status})`);
  fs.writeFileSync(path.join(outDir, PLAN_JSON), shown.stdout);
  const planJson = JSON.parse(shown.stdout);
  const cdkTfJson = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const suppressions = guardSuppressions(cdkTfJson);
  const adoption = await adoptedListenerCheck(planJson, cdkTfJson, mode, suppressions, planFile);
  // The guard leaves rules it cannot resolve at synth to this check: a plan it refuses must never reach apply.
  const refused = [...(mode === "plan" ? listenerRuleProblemsInPlan(planJson, { suppressions }) : []), ...adoption.refusals];
  if (refused.length > 0) fs.rmSync(planFile, { force: true });
  const maxChars = process.env.TLS_EDGE_SUMMARY_MAX_CHARS ? Number(process.env.TLS_EDGE_SUMMARY_MAX_CHARS) : undefined;
  if (maxChars !== undefined && !(Number.isInteger(maxChars) && maxChars > 0)) {
    throw new UsageError(`TLS_EDGE_SUMMARY_MAX_CHARS must be a positive integer, got ${JSON.stringify(process.env.TLS_EDGE_SUMMARY_MAX_CHARS)}`);
  }
  const refusals = refused.map((p) => `\`${p.address}\` [${p.kind}]: ${p.message}`);
  const summary = renderSummary(planJson, cdkTfJson, { stack: path.basename(stackDir), mode, maxChars, refusals, adoptedListeners: adoption.lines });
  fs.writeFileSync(path.join(outDir, SUMMARY), summary);
  const lock = path.join(stackDir, LOCK_FILE);
  if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(outDir, LOCK_FILE));
  const written = (refused.length > 0 ? [PLAN_JSON, SUMMARY, LOCK_FILE] : [PLAN_FILE, PLAN_JSON, SUMMARY, LOCK_FILE]).map((n) => path.join(outDir, n));
  process.stdout.write(`\n${summary}\nWrote ${written.join(", ")}\n`);
  if (refused.length > 0) {
    const adoptedAdvice =
      adoption.refusals.length > 0
        ? " A rule on an adopted listener is not the stack's: delete it or make it a 301 redirect to HTTPS, or suppress " +
          "http-listener-rule on the adopted listener (suppressTlsGuard(stack.httpRedirect.listener, rule, reason), e.g. in extend.ts)."
        : "";
    throw new UsageError(
      `REFUSED by the plan-time TLS guard: ${refused.length} listener rule problem${refused.length === 1 ? "" : "s"}:\n` +
        refusals.map((r) => `  - ${r.replace(/`/g, "")}`).join("\n") +
        `\n${PLAN_FILE} was removed, so nothing can be applied from this plan. Fix each rule, or suppress http-listener-rule on it ` +
        "with suppressTlsGuard(resource, rule, reason); for a rule on a listener outside the stack, read that listener with an " +
        `aws_lb_listener data source so the plan shows its protocol.${adoptedAdvice}`,
    );
  }
  return plan.status;
}

/**
 * What the listeners the stack adopts keep (lib/guard/adopted-listeners.ts), read from the ELB and ACM APIs: refusals
 * in a plan, summary lines either way. A failure to read them removes the plan: an unchecked adoption is never applied.
 */
async function adoptedListenerCheck(
  planJson: unknown,
  cdkTfJson: unknown,
  mode: "plan" | "drift",
  suppressions: ReturnType<typeof guardSuppressions>,
  planFile: string,
): Promise<AdoptionJudgement> {
  try {
    const adopted = adoptedListenersIn(planJson, cdkTfJson);
    if (adopted.length === 0) return { refusals: [], lines: [] };
    const inventories = await inventoryListeners(adopted);
    return judgeAdoptedListeners(inventories, { mode, suppressions, stack: stackCertificatesIn(planJson) });
  } catch (error) {
    if (!(error instanceof InventoryError || error instanceof UnresolvedAdoptionError)) throw error;
    fs.rmSync(planFile, { force: true });
    throw new UsageError(
      `could not check the listeners this stack adopts (existingListeners): ${error.message}. ` +
        `${PLAN_FILE} was removed, so nothing can be applied from this plan; no summary was written.`,
    );
  }
}

/** Terraform's own message for a saved plan whose state has moved on (internal/backend/local/backend_apply.go). */
const STALE_PLAN = /Saved plan is stale/;

async function apply(stackDir: string, planFile: string): Promise<number> {
  const resolvedPlan = path.resolve(planFile);
  if (!fs.existsSync(resolvedPlan)) throw new UsageError(`plan file ${planFile} does not exist`);
  const savedLock = path.join(path.dirname(resolvedPlan), LOCK_FILE);
  const haveSavedLock = fs.existsSync(savedLock);
  if (haveSavedLock && path.resolve(savedLock) !== path.join(stackDir, LOCK_FILE)) fs.copyFileSync(savedLock, path.join(stackDir, LOCK_FILE));
  await init(stackDir, haveSavedLock);
  const result = await terraform(["apply", "-input=false", "-no-color", LOCK_TIMEOUT, resolvedPlan], { cwd: stackDir, env: runVariables(stackDir, "apply") });
  if (result.status === 0) return 0;
  if (STALE_PLAN.test(result.stderr)) {
    throw new UsageError(
      `REFUSED: ${planFile} is a stale plan. The state of ${path.basename(stackDir)} changed after this plan was made ` +
        "(another apply ran since), so Terraform will not apply it. Nothing was changed. Run scripts/ci/plan again and review the new plan.",
    );
  }
  throw new UsageError(`terraform apply of ${planFile} failed (exit ${result.status})`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  const usage = command === undefined ? undefined : USAGE[command];
  if (usage === undefined) {
    process.stderr.write(`usage: cli.ts plan|apply|drift ARGS (see scripts/ci/<command> --help)\n`);
    return EXIT_ERROR;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    if (args.length !== 2) throw new UsageError(`expected 2 arguments, got ${args.length}`);
    const stackDir = stackDirectory(args[0]);
    if (command === "apply") return await apply(stackDir, args[1]);
    return await planInto(stackDir, path.resolve(args[1]), command === "drift" ? "drift" : "plan");
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`scripts/ci/${command}: ${error.message}\n`);
      if (/^expected|^missing/.test(error.message)) process.stderr.write(`\n${usage}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
