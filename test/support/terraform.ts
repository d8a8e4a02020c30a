/**
 * Test harness that runs the REAL Terraform CLI (init / plan / show) against a synthesized cdktf stack,
 * offline.
 *
 * How it stays offline:
 * - It always writes its own Terraform CLI config (the environment's TF_CLI_CONFIG_FILE may point at a missing file)
 *   and passes it to terraform via TF_CLI_CONFIG_FILE. When a filesystem provider mirror is found (TF_PROVIDER_MIRROR,
 *   else /opt/tf-plugins, ~/.terraform.d/plugins, /usr/share/terraform/plugins) every registry.terraform.io provider is
 *   installed from it and never from the network; with no mirror the config has no provider_installation block and
 *   terraform falls back to the public registry.
 * - It copies the stack into a temp dir and adds the override file `zz_test_override.tf.json`, which
 *   - gives every `aws` provider block (the default one and each alias) dummy static credentials plus every skip_* flag,
 *     so configuring a provider makes no AWS call (no STS GetCallerIdentity, no IMDS, no region check), and unsets
 *     `allowed_account_ids` (the account ID is unknown offline, and the provider rejects "" when the list is set), and
 *   - replaces whatever backend the stack declares (local, s3, ...) with a local backend inside the temp dir.
 * - It plans with -refresh=false, so resources are never read from AWS. Data sources are still read during plan and
 *   WOULD call AWS; stacks planned with this harness must not use them.
 *
 * Regions: the default provider gets `options.region`, else keeps the stack's own literal region, else "us-east-1";
 * aliased providers keep their own literal region.
 *
 * Limitations (Terraform override-file semantics merge argument by argument, per provider name + alias):
 * - Only `aws` providers are overridden; other providers keep their configuration.
 * - Nested blocks in the original provider that the override does not mention (e.g. `default_tags`) are kept.
 *   `assume_role` would call STS and fail offline, so a provider that declares one gets `assume_role { role_arn = null }`
 *   in the override, which replaces it and makes the provider assume nothing: the role is NOT exercised by the plan;
 *   assert it on cdk.tf.json (the plan still shows which provider alias manages each resource).
 * - The allowed_account_ids guard is therefore NOT exercised by the plan; assert it on cdk.tf.json instead.
 * - `.terraform/`, `.terraform.lock.hcl`, state files and old plan files are not copied: provider versions come from
 *   the stack's own `required_providers` constraints and are resolved against the mirror each time.
 *
 * Speed: with the filesystem mirror (unpacked), `terraform init` links each working directory straight to the mirror;
 * without one, every plan's CLI config names one plugin cache (`plugin_cache_dir`, one directory per process unless
 * `pluginCacheDir` says otherwise), so a provider is downloaded once and linked into each working directory.
 * `planStacks` plans many stacks at once (one per CPU by default; `terraform init` runs one at a time so the cache is
 * never written concurrently); `planStackDirectory` is the same plan, synchronous.
 */
import { execFile, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCi } from "./ci";

/** Per-step timeout for terraform subprocesses. */
const STEP_TIMEOUT_MS = 240_000;
/** `terraform show -json` of a big plan can be several MB. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const OVERRIDE_FILE_NAME = "zz_test_override.tf.json";
/** Only written when the stack has no default aws provider block (see offlineConfigFiles). */
const DEFAULT_PROVIDER_FILE_NAME = "zz_test_default_provider.tf.json";
/** Not a `.tf`/`.tf.json` file, so terraform never reads it as configuration. */
const CLI_CONFIG_FILE_NAME = "terraform-cli-config.tfrc";
const PLAN_FILE_NAME = "tfplan";
const STATE_FILE_NAME = "terraform.tfstate";
/** Things a stack directory may contain from earlier cdktf/terraform runs that must not leak into the temp dir. */
const SKIPPED_ENTRIES = new Set([
  ".terraform",
  ".terraform.lock.hcl",
  PLAN_FILE_NAME,
  OVERRIDE_FILE_NAME,
  DEFAULT_PROVIDER_FILE_NAME,
]);

export interface TerraformAvailability {
  readonly available: boolean;
  readonly reason?: string;
  readonly version?: string;
}

let cachedAvailability: TerraformAvailability | undefined;

/** Finds `terraform` on PATH (result cached per process). */
export function terraformAvailability(): TerraformAvailability {
  if (cachedAvailability) {
    return cachedAvailability;
  }
  const result = spawnSync("terraform", ["version", "-json"], {
    encoding: "utf8",
    timeout: 30_000,
    env: terraformEnv(undefined),
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    cachedAvailability = {
      available: false,
      reason:
        code === "ENOENT"
          ? "`terraform` was not found on PATH"
          : `running \`terraform version\` failed: ${result.error.message}`,
    };
  } else if (result.status !== 0) {
    cachedAvailability = {
      available: false,
      reason: `\`terraform version -json\` exited with ${result.status}: ${result.stderr.trim()}`,
    };
  } else {
    let version: string | undefined;
    try {
      version = JSON.parse(result.stdout).terraform_version;
    } catch {
      version = /Terraform v(\S+)/.exec(result.stdout)?.[1];
    }
    cachedAvailability = { available: true, version };
  }
  return cachedAvailability;
}

/**
 * Use in a test file instead of `describe` for suites that need the terraform binary.
 *
 * - terraform available: `describe(name, fn)`.
 * - terraform missing, not in CI: logs a loud warning banner (console.warn) and registers `describe.skip(name, fn)`.
 * - terraform missing and `process.env.CI` is set (anything but "", "0" or "false"): registers a describe whose single
 *   test fails, saying terraform is required in CI — a CI run must never silently skip the real-plan tests.
 */
export function describeWithTerraform(name: string, fn: () => void): void {
  const availability = terraformAvailability();
  if (availability.available) {
    describe(name, fn);
    return;
  }
  const reason = availability.reason ?? "terraform is not available";
  if (isCi()) {
    describe(name, () => {
      test("terraform is available (required in CI)", () => {
        throw new Error(
          `terraform is required in CI (process.env.CI is set) but ${reason}. ` +
            `Install Terraform on the CI runner so the real-plan tests in "${name}" run.`,
        );
      });
    });
    return;
  }
  const bar = "!".repeat(100);
  console.warn(
    [
      bar,
      `!!! SKIPPING "${name}": ${reason}.`,
      "!!! These tests run real `terraform plan` against the synthesized stacks; install Terraform to run them.",
      "!!! (With CI set they fail instead of being skipped.)",
      bar,
    ].join("\n"),
  );
  describe.skip(name, fn);
}

/**
 * The directory of a filesystem provider mirror, or undefined when there is none.
 *
 * TF_PROVIDER_MIRROR wins when set (it must be a directory); otherwise the first candidate containing
 * `registry.terraform.io/hashicorp/aws`.
 */
export function findProviderMirror(
  candidates: readonly string[] = [
    "/opt/tf-plugins",
    path.join(os.homedir(), ".terraform.d", "plugins"),
    "/usr/share/terraform/plugins",
  ],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromEnv = env.TF_PROVIDER_MIRROR;
  if (fromEnv) {
    const resolved = path.resolve(fromEnv);
    if (!isDirectory(resolved)) {
      throw new Error(`TF_PROVIDER_MIRROR=${fromEnv} is not a directory`);
    }
    return resolved;
  }
  return candidates.find((dir) => isDirectory(path.join(dir, "registry.terraform.io", "hashicorp", "aws")));
}

export interface CliConfigOptions {
  /**
   * Terraform's plugin cache (`plugin_cache_dir`): the first `terraform init` installs each provider there and every
   * later init links it from there, instead of installing it again per working directory.
   * @default - no cache: every init installs from the mirror (or the registry) itself
   */
  readonly pluginCacheDir?: string;
}

/**
 * Terraform CLI config (HCL): filesystem mirror only for registry.terraform.io when `mirror` is given, and the
 * plugin cache when `options.pluginCacheDir` is.
 */
export function renderCliConfig(mirror: string | undefined, options: CliConfigOptions = {}): string {
  const lines = ["# Written by test/support/terraform.ts", "disable_checkpoint = true"];
  if (options.pluginCacheDir !== undefined) {
    lines.push(`plugin_cache_dir = ${JSON.stringify(options.pluginCacheDir)}`);
    // Link from the cache even though a fresh working directory has no lock file yet; otherwise every init installs
    // the package into the cache again, replacing it under plans that are running the provider from it.
    lines.push("plugin_cache_may_break_dependency_lock_file = true");
  }
  if (mirror !== undefined) {
    // JSON string escaping is valid HCL string escaping for paths.
    lines.push(
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/*/*"]`,
      "  }",
      "  direct {",
      `    exclude = ["registry.terraform.io/*/*"]`,
      "  }",
      "}",
    );
  }
  return lines.join("\n") + "\n";
}

export interface PlanOptions {
  /**
   * Region for the dummy provider override of the default aws provider.
   * @default - the stack's own region when its default aws provider sets a literal one, else "us-east-1"
   */
  readonly region?: string;
  /** Keep the temp dir (for debugging). @default false */
  readonly keepWorkDir?: boolean;
  /**
   * Plugin cache directory shared by every plan (see CliConfigOptions.pluginCacheDir).
   * @default - sharedPluginCacheDir(): one directory per process, so a test file installs each provider once
   */
  readonly pluginCacheDir?: string;
}

export interface PlanResult {
  /** `terraform show -json` of the saved plan, parsed. */
  readonly plan: any;
  /** resource address -> planned `values` (from plan.planned_values, including child modules) */
  readonly resources: Record<string, { type: string; values: Record<string, unknown> }>;
  /** resource address -> after_unknown from resource_changes */
  readonly unknown: Record<string, Record<string, unknown>>;
  readonly workDir: string;
}

/**
 * Copies a synthesized stack directory (containing cdk.tf.json) to a fresh temp dir, adds `zz_test_override.tf.json`
 * (dummy credentials + skip_* flags on every aws provider, local backend inside the temp dir), then runs
 * `terraform init`, `plan -refresh=false -out=tfplan` and `show -json tfplan`. `plan` validates the configuration first,
 * exactly as `terraform validate` would (Terraform's local backend runs the same validation walk before planning), so an
 * invalid stack fails at the plan step; a separate `validate` would only start the provider once more (~2-3 CPU-s).
 *
 * Note: `plan.configuration.provider_config` shows the provider configuration AFTER the override (dummy keys,
 * allowed_account_ids null); assert the stack's own provider settings on cdk.tf.json instead.
 *
 * Each failing step throws an Error naming the step, with its exit code, stdout and stderr. The temp dir is removed
 * afterwards (also on failure) unless `keepWorkDir`; `workDir` in the result is then only informative.
 */
export function planStackDirectory(stackDir: string, options: PlanOptions = {}): PlanResult {
  const { workDir, env } = prepareWorkDir(stackDir, options);
  try {
    const run = (step: string, args: string[]): string => runStep(step, args, workDir, env, options.keepWorkDir);
    for (const [step, args] of PLAN_STEPS.slice(0, -1)) run(step, args);
    const [showStep, showArgs] = PLAN_STEPS[PLAN_STEPS.length - 1];
    return planResult(run(showStep, showArgs), workDir);
  } finally {
    if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The same as planStackDirectory, with terraform run asynchronously, so several stacks can plan at once. */
export async function planStackDirectoryAsync(stackDir: string, options: PlanOptions = {}): Promise<PlanResult> {
  const { workDir, env } = prepareWorkDir(stackDir, options);
  try {
    const run = (step: string, args: string[]): Promise<string> => runStepAsync(step, args, workDir, env, options.keepWorkDir);
    // Installs go one at a time, so the shared plugin cache is filled once and never written by two inits at once.
    await installs.run(() => run(PLAN_STEPS[0][0], PLAN_STEPS[0][1]));
    for (const [step, args] of PLAN_STEPS.slice(1, -1)) await run(step, args);
    const [showStep, showArgs] = PLAN_STEPS[PLAN_STEPS.length - 1];
    return planResult(await run(showStep, showArgs), workDir);
  } finally {
    if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export interface PlanStacksOptions extends PlanOptions {
  /**
   * How many stacks plan at once. Each plan is CPU-bound in the provider (~0.4 GB RSS per running step).
   * @default - the number of CPUs
   */
  readonly concurrency?: number;
}

/**
 * Plans every stack directory, `concurrency` at a time, all sharing one plugin cache. Never rejects: each stack gets
 * its PlanResult or the Error its plan failed with, so one broken stack fails only its own tests.
 */
export async function planStacks(stackDirs: readonly string[], options: PlanStacksOptions = {}): Promise<Map<string, PlanResult | Error>> {
  const concurrency = Math.max(1, options.concurrency ?? os.cpus().length);
  const results = new Map<string, PlanResult | Error>();
  const queue = [...stackDirs];
  const worker = async (): Promise<void> => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      try {
        results.set(dir, await planStackDirectoryAsync(dir, options));
      } catch (error) {
        results.set(dir, error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, stackDirs.length) }, worker));
  return new Map(stackDirs.map((dir) => [dir, results.get(dir)!]));
}

let sharedCache: string | undefined;

/**
 * One plugin cache directory for this process (created on first use, removed at exit). With the unpacked mirror the
 * cache only holds links into it; without a mirror it holds the one download every plan of the process links to.
 */
export function sharedPluginCacheDir(): string {
  if (sharedCache === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-plugin-cache-"));
    sharedCache = dir;
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return sharedCache;
}

/** init, plan, show: the steps of every plan, in order. */
const PLAN_STEPS: ReadonlyArray<readonly [string, string[]]> = [
  ["init", ["init", "-input=false", "-no-color"]],
  ["plan", ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", `-out=${PLAN_FILE_NAME}`]],
  ["show", ["show", "-json", PLAN_FILE_NAME]],
];

/** Runs one task at a time, in call order. */
class Mutex {
  private last: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.last.then(task, task);
    this.last = next.catch(() => undefined);
    return next;
  }
}
const installs = new Mutex();

/** Copies the stack into a fresh temp dir with the offline override files and the CLI config. */
function prepareWorkDir(stackDir: string, options: PlanOptions): { workDir: string; env: NodeJS.ProcessEnv } {
  const source = path.resolve(stackDir);
  if (!fs.existsSync(path.join(source, "cdk.tf.json"))) {
    throw new Error(`planStackDirectory: ${source} does not contain cdk.tf.json (synthesize the app first)`);
  }
  const mirror = findProviderMirror();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-plan-"));
  try {
    fs.cpSync(source, workDir, {
      recursive: true,
      filter: (src) => {
        const base = path.basename(src);
        return src === source || !(SKIPPED_ENTRIES.has(base) || /\.tfstate(\.|$)/.test(base));
      },
    });

    const cliConfigFile = path.join(workDir, CLI_CONFIG_FILE_NAME);
    // With the unpacked mirror, init links each working directory straight to the mirror (0.4 s), so a cache adds
    // nothing; it only serves registry downloads. (A shared cache under concurrent plans also raced here: an init
    // re-installed the package into the cache while another plan ran the provider from it, "no package ... cached".)
    const pluginCacheDir = options.pluginCacheDir ?? (mirror === undefined ? sharedPluginCacheDir() : undefined);
    fs.writeFileSync(cliConfigFile, renderCliConfig(mirror, { pluginCacheDir }));
    const config = JSON.parse(fs.readFileSync(path.join(source, "cdk.tf.json"), "utf8")) as Json;
    const files = offlineConfigFiles(config, options.region, path.join(workDir, STATE_FILE_NAME));
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(workDir, name), JSON.stringify(content, null, 2) + "\n");
    }
    return { workDir, env: terraformEnv(cliConfigFile) };
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

function planResult(shown: string, workDir: string): PlanResult {
  let plan: any;
  try {
    plan = JSON.parse(shown);
  } catch (e) {
    throw new Error(`terraform step "show" printed invalid JSON (${(e as Error).message}):\n${shown.slice(0, 2000)}`);
  }
  return { plan, resources: plannedResources(plan), unknown: afterUnknown(plan), workDir };
}

type Json = Record<string, unknown>;

/** The stack's `aws` provider blocks; cdktf writes them as an array, hand-written JSON may use a single object. */
function awsProviderBlocks(config: Json): Json[] {
  const aws = (config.provider as Json | undefined)?.aws;
  if (aws === undefined || aws === null) {
    return [];
  }
  return (Array.isArray(aws) ? aws : [aws]) as Json[];
}

/** A literal (non-interpolated) string, or undefined. */
function literal(value: unknown): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

/** Arguments that make an aws provider configure without any AWS call. */
function offlineProviderArguments(region: string | undefined): Json {
  return {
    ...(region !== undefined ? { region } : {}),
    access_key: "test",
    secret_key: "test",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // With skip_requesting_account_id the provider's account ID is "", which allowed_account_ids rejects
    // ("AWS account ID not allowed: "); null unsets it. forbidden_account_ids never matches "" and is kept.
    allowed_account_ids: null,
  };
}

/**
 * The override file, plus (only when the stack declares no default aws provider but requires aws) a plain provider
 * file: an override block needs an original block to merge into ("Missing base provider configuration for override").
 *
 * Override semantics (verified with Terraform 1.11): provider entries merge into the stack's provider with the same
 * name and alias argument by argument, whether cdktf wrote `provider.aws` as an array or an object; nested blocks the
 * override does not mention (default_tags, ...) are kept, and `assume_role` is replaced (see withoutAssumeRole). The
 * `backend` block replaces the stack's backend block entirely, whatever its type (s3 with use_lockfile/dynamodb_table
 * included).
 */
function offlineConfigFiles(config: Json, regionOption: string | undefined, statePath: string): Record<string, Json> {
  const blocks = awsProviderBlocks(config);
  const defaultBlock = blocks.find((b) => b.alias === undefined || b.alias === null);
  const defaultRegion = regionOption ?? literal(defaultBlock?.region) ?? "us-east-1";
  const overrides: Json[] = [];
  if (defaultBlock) {
    overrides.push({ ...offlineProviderArguments(defaultRegion), ...withoutAssumeRole(defaultBlock) });
  }
  for (const block of blocks) {
    const alias = literal(block.alias);
    if (alias !== undefined) {
      // Aliases usually exist for another region: keep theirs when it is a literal.
      overrides.push({ alias, ...offlineProviderArguments(literal(block.region) ?? defaultRegion), ...withoutAssumeRole(block) });
    }
  }
  const files: Record<string, Json> = {
    [OVERRIDE_FILE_NAME]: {
      ...(overrides.length > 0 ? { provider: { aws: overrides } } : {}),
      terraform: { backend: { local: { path: statePath } } },
    },
  };
  const requiredProviders = (config.terraform as Json | undefined)?.required_providers as Json | undefined;
  if (!defaultBlock && requiredProviders?.aws !== undefined) {
    files[DEFAULT_PROVIDER_FILE_NAME] = { provider: { aws: [offlineProviderArguments(defaultRegion)] } };
  }
  return files;
}

/**
 * Override arguments that stop a provider block from assuming its `assume_role` (offline, STS is unreachable). An
 * override's nested block replaces the original's, and the provider skips a role whose role_arn is null. Measured with
 * Terraform 1.11.4 and hashicorp/aws 5.100.0: `assume_role = []` or `null` in the override leave the original block in
 * place and the plan fails at "Cannot assume IAM Role".
 */
function withoutAssumeRole(block: Json): Json {
  return block.assume_role === undefined || block.assume_role === null ? {} : { assume_role: [{ role_arn: null }] };
}

function terraformEnv(cliConfigFile: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // TF_CLI_ARGS*, TF_WORKSPACE, TF_DATA_DIR, TF_VAR_* ... from the caller's shell must not change the plan; AWS_*
    // credentials/profiles must not be picked up. TF_LOG* (debugging) and AWS_CA_BUNDLE are harmless and kept.
    const keep = key.startsWith("TF_LOG") || key === "AWS_CA_BUNDLE";
    if (!keep && (key.startsWith("TF_") || key.startsWith("AWS_"))) {
      continue;
    }
    env[key] = value;
  }
  if (cliConfigFile !== undefined) {
    env.TF_CLI_CONFIG_FILE = cliConfigFile;
  } else {
    // terraformAvailability(): no config needed, but never point at a missing file (terraform warns about it).
    env.TF_CLI_CONFIG_FILE = os.devNull;
  }
  env.CHECKPOINT_DISABLE = "1";
  env.TF_IN_AUTOMATION = "1";
  env.TF_INPUT = "0";
  env.AWS_EC2_METADATA_DISABLED = "true";
  return env;
}

type StepOutcome = Pick<SpawnSyncReturns<string>, "error" | "status" | "signal" | "stdout" | "stderr">;

function runStep(
  step: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  keepWorkDir: boolean | undefined,
): string {
  const result: StepOutcome = spawnSync("terraform", args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: STEP_TIMEOUT_MS,
    killSignal: "SIGKILL",
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  return stepOutput(step, args, cwd, keepWorkDir, result);
}

/** runStep without blocking the event loop, with the same timeout and the same error. */
function runStepAsync(
  step: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  keepWorkDir: boolean | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "terraform",
      args,
      { cwd, env, encoding: "utf8", timeout: STEP_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: MAX_OUTPUT_BYTES },
      (error, stdout, stderr) => {
        const timedOut = error !== null && error.killed && error.signal === "SIGKILL";
        const outcome: StepOutcome = {
          error: timedOut ? Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }) : typeof error?.code === "string" ? error : undefined,
          status: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          signal: (error?.signal as NodeJS.Signals | undefined) ?? null,
          stdout,
          stderr,
        };
        try {
          resolve(stepOutput(step, args, cwd, keepWorkDir, outcome));
        } catch (failure) {
          reject(failure);
        }
      },
    );
  });
}

function stepOutput(step: string, args: string[], cwd: string, keepWorkDir: boolean | undefined, result: StepOutcome): string {
  if (result.error || result.status !== 0) {
    const how = result.error
      ? (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT"
        ? `timed out after ${STEP_TIMEOUT_MS / 1000} s`
        : `failed to run (${result.error.message})`
      : result.signal
        ? `was killed by ${result.signal}`
        : `exited with code ${result.status}`;
    throw new Error(
      [
        `terraform step "${step}" (terraform ${args.join(" ")}) ${how}` +
          (keepWorkDir ? ` in ${cwd}` : " (pass keepWorkDir: true to keep the work dir)"),
        `--- stdout ---\n${(result.stdout ?? "").trim()}`,
        `--- stderr ---\n${(result.stderr ?? "").trim()}`,
      ].join("\n"),
    );
  }
  return result.stdout;
}

interface PlanModule {
  resources?: Array<{ address: string; type: string; values?: Record<string, unknown> }>;
  child_modules?: PlanModule[];
}

function plannedResources(plan: any): PlanResult["resources"] {
  const out: PlanResult["resources"] = {};
  const visit = (module: PlanModule | undefined): void => {
    for (const resource of module?.resources ?? []) {
      out[resource.address] = { type: resource.type, values: resource.values ?? {} };
    }
    for (const child of module?.child_modules ?? []) {
      visit(child);
    }
  };
  visit(plan?.planned_values?.root_module);
  return out;
}

function afterUnknown(plan: any): PlanResult["unknown"] {
  const out: PlanResult["unknown"] = {};
  for (const change of (plan?.resource_changes ?? []) as Array<{
    address: string;
    change?: { after_unknown?: Record<string, unknown> };
  }>) {
    out[change.address] = change.change?.after_unknown ?? {};
  }
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
