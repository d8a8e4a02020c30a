/**
 * The AWS API emulator for `*.emulator.test.ts` suites: moto (pinned in requirements-tools.txt, provisioned into
 * `<repo>/.venv-tools` by `npm test`) serving on a free loopback port, seeded by `test/support/emulator.py` with what an
 * environment presumes exists (VPC, two subnets, an ALB, a target group, hosted zones with fixed IDs, S3 buckets,
 * optionally listeners).
 *
 * Each suite starts its own emulator (suites run in parallel) and stops it in `afterAll`, also when a test failed:
 *
 *   const emulator = await startEmulator({ hostedZones: { "example.com": "Z0000000000000000001" } });
 *   spawn("terraform", [...], { env: emulator.env });           // terraform/cdktf talk to the emulator only
 *   const acm = emulator.client(ACMClient);                       // so do the assertions
 *   await emulator.stop();
 *
 * The Python process runs in its own process group; `stop()` ends it (SIGTERM, then SIGKILL to the group), and it also
 * stops by itself when this process dies, because its stdin (held open here) then reaches EOF.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCi } from "./ci";
import { REPO_ROOT, TOOLS_PYTHON } from "./project";
import { findProviderMirror, renderCliConfig, terraformAvailability } from "./terraform";

export { REPO_ROOT };
/** The emulator's Python: the pinned tools virtualenv `npm test` provisions (scripts/python-tools.js). */
export const EMULATOR_PYTHON = TOOLS_PYTHON;
const EMULATOR_SCRIPT = path.join(__dirname, "emulator.py");
/** moto's STS answers with this account for any credentials. */
export const EMULATOR_ACCOUNT = "123456789012";
const STATIC_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface EmulatorSpec {
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "edge-test" */
  readonly loadBalancerName?: string;
  /** @default "edge-test" */
  readonly targetGroupName?: string;
  /**
   * Zone apex -> the hosted zone ID moto must give it (IDs are fixed before creation, so configs can name them).
   * @default - no zones
   */
  readonly hostedZones?: Readonly<Record<string, string>>;
  /**
   * Account the hosted zones are created in, for a DNS account apart from the workload's (reach it with credentials
   * from an sts:AssumeRole of a role in that account: moto acts in the role's account).
   * @default - the emulator's account, 123456789012
   */
  readonly hostedZonesAccount?: string;
  /** @default - no buckets */
  readonly buckets?: readonly string[];
  /**
   * DynamoDB tables with the `LockID` hash key of Terraform's (deprecated) DynamoDB state lock.
   * @default - no tables
   */
  readonly dynamodbTables?: readonly string[];
  /**
   * Listeners that exist before the stack does: `http: true` creates HTTP :80 forwarding to the target group,
   * `https: "<policy>"` creates HTTPS :443 with that policy, forwarding, serving an imported certificate.
   * @default - none
   */
  readonly listeners?: { readonly http?: boolean; readonly https?: string };
  /**
   * Rules on the seeded listeners (`listeners` must create the one named): a path-pattern condition and a `forward` to
   * the target group, a `redirect` (301 to HTTPS) or a `fixed-response` (200).
   * @default - none
   */
  readonly listenerRules?: ReadonlyArray<{
    readonly listener: "http" | "https";
    readonly priority: number;
    /** @default "/*" */
    readonly pathPattern?: string;
    /** @default "forward" */
    readonly action?: "forward" | "redirect" | "fixed-response";
  }>;
  /**
   * Further certificates on the seeded HTTPS listener's list, for SNI: each imported into ACM for its names (a name,
   * or a list of names, the first as CN).
   * @default - none
   */
  readonly listenerCertificates?: { readonly https?: ReadonlyArray<string | readonly string[]> };
}

export interface EmulatorOptions {
  /**
   * Seconds a requested certificate stays PENDING_VALIDATION (moto's MOTO_ACM_VALIDATION_WAIT, read by the server
   * process, so it is per emulator).
   * @default 1 (moto's own default, 60, would make every first apply wait a minute)
   */
  readonly acmValidationWaitSeconds?: number;
  /**
   * File that receives one line per AWS API call after seeding: "<service> <IAM action> <account> <resource>
   * <IAM condition keys as JSON>"; read it with `readRequestLog` / `callsDuring` (emulator-aws.ts).
   * @default - no log
   */
  readonly requestLog?: string;
  /**
   * After seeding, answer a seeded share of the Terraform AWS provider's calls with AWS's throttling errors and 5xx
   * (test/support/emulator_faults.py); read what was injected and retried with `readFaultLog(emulator.faultLog!)`
   * (emulator-faults.ts).
   * @default - no faults
   */
  readonly faults?: FaultInjection;
  /** @default 60_000 */
  readonly startTimeoutMs?: number;
}

/** What emulator_faults.py injects, and into which calls. */
export interface FaultInjection {
  /** Fraction of eligible calls answered with a fault, in (0, 1]. */
  readonly share: number;
  /** Seeds the per-call decisions (the same seed fails the same calls of the same call sequence). */
  readonly seed: number;
  /** @default ["route53", "elbv2", "acm"] */
  readonly services?: ReadonlyArray<"route53" | "elbv2" | "acm">;
  /**
   * Only requests whose User-Agent contains this are eligible (so never the harness's seeding or read-back).
   * @default "terraform-provider-aws"
   */
  readonly userAgent?: string;
  /**
   * Most faults injected into one SDK invocation, its retries included.
   * @default 2
   */
  readonly maxPerCall?: number;
  /**
   * Calls whose 500 refuses the request rather than losing the answer of a completed one: "<service> <action>", or
   * "route53 ChangeResourceRecordSets CREATE" (a change batch with a CREATE).
   * @default - every 500 is injected after the call completed
   */
  readonly keepAnswers?: readonly string[];
}

export interface SeededResources {
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly hostedZones: Record<string, string>;
  readonly buckets: string[];
  readonly dynamodbTables: string[];
  readonly listeners: { http?: string; https?: string };
  /** Certificates the seed created (the one an existing HTTPS listener serves). */
  readonly certificateArns: string[];
  /** ARNs of the `listenerRules`, in order. */
  readonly listenerRules: string[];
  /** ARNs of the `listenerCertificates`, in order. */
  readonly listenerCertificates: { https?: string[] };
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly seeded: SeededResources;
  /** The fault injection's event log (EmulatorOptions.faults), in the emulator's own directory; undefined without faults. */
  readonly faultLog?: string;
  /**
   * Environment for terraform / cdktf child processes: the caller's environment without any TF_* or AWS_* variable
   * (no real credentials, profiles or CLI args leak in), plus AWS_ENDPOINT_URL, static test credentials, the region,
   * TF_CLI_CONFIG_FILE with the provider mirror, telemetry off.
   */
  readonly env: NodeJS.ProcessEnv;
  /** An AWS SDK v3 client pointed at the emulator, e.g. `emulator.client(ACMClient)`. */
  client<C>(ClientClass: new (config: any) => C): C;
  /**
   * Changes how long certificates requested from now on (and pending ones, counted from their request) stay
   * PENDING_VALIDATION, e.g. to let a deliberately stuck certificate issue so a re-run can converge.
   */
  setAcmValidationWait(seconds: number): Promise<void>;
  /** Stops the server (idempotent). */
  stop(): Promise<void>;
}

export interface EmulatorAvailability {
  readonly available: boolean;
  readonly reason?: string;
}

let cachedAvailability: EmulatorAvailability | undefined;

/** Python with moto, terraform and the cdktf CLI: everything an emulator suite runs. Cached per process. */
export function emulatorAvailability(): EmulatorAvailability {
  if (cachedAvailability) return cachedAvailability;
  const missing: string[] = [];
  if (!fs.existsSync(EMULATOR_PYTHON)) {
    missing.push(`${EMULATOR_PYTHON} does not exist (run \`node scripts/python-tools.js tools\`)`);
  } else {
    const probe = spawnSync(EMULATOR_PYTHON, ["-c", "import moto.server, boto3"], { encoding: "utf8", timeout: 60_000 });
    if (probe.status !== 0) missing.push(`moto[server]/boto3 cannot be imported by ${EMULATOR_PYTHON}: ${(probe.stderr ?? "").trim().split("\n").pop()}`);
  }
  const terraform = terraformAvailability();
  if (!terraform.available) missing.push(terraform.reason ?? "terraform is not available");
  if (!fs.existsSync(path.join(REPO_ROOT, "node_modules", ".bin", "cdktf"))) missing.push("node_modules/.bin/cdktf is missing (npm ci)");
  cachedAvailability = missing.length === 0 ? { available: true } : { available: false, reason: missing.join("; ") };
  return cachedAvailability;
}

/**
 * `describe` for suites that need the emulator, terraform and the cdktf CLI. Missing tools: a loud warning and
 * `describe.skip` locally; under CI (see isCi) a failing test instead, so CI never passes by skipping.
 */
export function describeWithEmulator(name: string, fn: () => void): void {
  const availability = emulatorAvailability();
  if (availability.available) {
    describe(name, fn);
    return;
  }
  const reason = availability.reason ?? "the emulator is not available";
  if (isCi()) {
    describe(name, () => {
      test("the AWS emulator, terraform and cdktf are available (required in CI)", () => {
        throw new Error(`"${name}" needs the AWS emulator, terraform and cdktf in CI, but ${reason}.`);
      });
    });
    return;
  }
  const bar = "!".repeat(100);
  console.warn([bar, `!!! SKIPPING "${name}": ${reason}.`, "!!! (With CI set this fails instead of skipping.)", bar].join("\n"));
  describe.skip(name, fn);
}

/** Starts moto on a free loopback port, seeds it from `spec` and resolves once it answers. */
export async function startEmulator(spec: EmulatorSpec = {}, options: EmulatorOptions = {}): Promise<Emulator> {
  const region = spec.region ?? "us-east-1";
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-emulator-"));
  const faultLog = options.faults ? path.join(workDir, "faults.log") : undefined;
  const pythonSpec = {
    ...spec,
    region,
    ...(options.requestLog ? { requestLog: options.requestLog } : {}),
    ...(options.faults ? { faults: { ...options.faults, log: faultLog } } : {}),
  };
  const child = spawn(EMULATOR_PYTHON, [EMULATOR_SCRIPT, JSON.stringify(pythonSpec)], {
    cwd: workDir,
    // Own process group, so stop() can end the server and anything it started in one signal.
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...withoutToolVariables(process.env),
      MOTO_ACM_VALIDATION_WAIT: String(options.acmValidationWaitSeconds ?? 1),
      PYTHONUNBUFFERED: "1",
    },
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 200) stderr.shift();
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // Last resort if the test process exits without calling stop().
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  let ready: { port: number; seeded: SeededResources };
  try {
    ready = await firstJsonLine(child, options.startTimeoutMs ?? 60_000, () => stderr.join(""));
  } catch (error) {
    killGroup("SIGKILL");
    process.removeListener("exit", onExit);
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }

  const endpoint = `http://127.0.0.1:${ready.port}`;
  const cliConfigFile = path.join(workDir, "terraform-cli-config.tfrc");
  fs.writeFileSync(cliConfigFile, renderCliConfig(findProviderMirror()));
  const env: NodeJS.ProcessEnv = {
    ...withoutToolVariables(process.env),
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: STATIC_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: STATIC_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        process.removeListener("exit", onExit);
        fs.rmSync(workDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      child.once("exit", finish);
      child.stdin!.end();
      killGroup("SIGTERM");
    });
    return stopped;
  };

  const setAcmValidationWait = (seconds: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the emulator did not acknowledge acm-validation-wait")), 30_000);
      child.stdout!.once("data", (chunk: string) => {
        clearTimeout(timer);
        if (chunk.trim() === "ok") resolve();
        else reject(new Error(`unexpected answer to acm-validation-wait: ${chunk}`));
      });
      child.stdin!.write(`acm-validation-wait ${Math.round(seconds)}\n`);
    });

  return {
    endpoint,
    port: ready.port,
    region,
    seeded: ready.seeded,
    faultLog,
    env,
    client: <C>(ClientClass: new (config: any) => C): C =>
      new ClientClass({ endpoint, region, credentials: STATIC_CREDENTIALS, forcePathStyle: true, maxAttempts: 2 }),
    setAcmValidationWait,
    stop,
  };
}

/** The caller's environment minus anything that would point terraform/AWS tools elsewhere or change their behaviour. */
export function withoutToolVariables(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(source)) {
    // TF_LOG* (debugging) is kept; AWS_*, TF_* (CLI args, workspace, data dir, the CLI config) and MOTO_* are not.
    if (key.startsWith("TF_LOG") || !(key.startsWith("AWS_") || key.startsWith("TF_") || key.startsWith("MOTO_"))) env[key] = value;
  }
  return env;
}

function firstJsonLine(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<{ port: number; seeded: SeededResources }> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`AWS emulator (${EMULATOR_PYTHON} ${EMULATOR_SCRIPT}) ${why}\n--- stderr ---\n${stderr().trim()}`));
    };
    const timer = setTimeout(() => fail(`did not report ready within ${timeoutMs / 1000} s`), timeoutMs);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout!.removeAllListeners("data");
      try {
        resolve(JSON.parse(buffer.slice(0, newline)));
      } catch (error) {
        fail(`printed an unreadable ready line: ${buffer.slice(0, 500)}`);
      }
    });
  });
}
