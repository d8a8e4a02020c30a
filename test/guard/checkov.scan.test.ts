// An independent scanner (checkov, via scripts/scan.sh and .checkov.yaml) over the synthesized
// Terraform JSON: it must fail the deliberately weak fixture and pass a strong stack.
// checkov starts slowly (~3 s), so each case synthesizes its stacks into one temp outdir and
// scans them all in ONE scripts/scan.sh run.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { environments } from "../../environments";
import { everythingOn } from "../fixtures/everything-on";
import { buildWeakStack } from "../fixtures/weak-stack";
import { isCi } from "../support/ci";
import { synthToTemp } from "../support/synth";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SCAN_SCRIPT = path.join(REPO_ROOT, "scripts", "scan.sh");
const SETUP_HINT = "run npm test (or node scripts/python-tools.js scan), which provisions .venv-scan from requirements-scan.txt";

function checkovPath(): string | undefined {
  const configured = process.env.CHECKOV;
  if (configured && !configured.includes("/")) {
    const found = spawnSync("bash", ["-c", 'command -v -- "$0"', configured], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
  }
  const candidate = configured ? path.resolve(configured) : path.join(REPO_ROOT, ".venv-scan", "bin", "checkov");
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

const CHECKOV = checkovPath();
const IN_CI = isCi();
if (!CHECKOV && !IN_CI) {
  console.warn(
    "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
      `!!! checkov is not installed: SKIPPING test/guard/checkov.scan.test.ts. To run it, ${SETUP_HINT}\n` +
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
  );
}
const describeScan = CHECKOV || IN_CI ? describe : describe.skip;

// ---------------------------------------------------------------------------------------
// A "strong" stack shaped like the real ones, from raw provider classes (per-module imports).
const LOAD_BALANCER_ARN =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/strong/50dc6c495c0c9188";
const TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/strong/73e2d6bc24d8a067";

function buildStrongStack(scope: Construct, id: string, sslPolicy: string): TerraformStack {
  const stack = new TerraformStack(scope, id);
  new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
  new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: { Project: "scan-test" } }] });

  const certificate = new AcmCertificate(stack, "certificate", {
    domainName: "strong.example.com",
    validationMethod: "DNS",
    keyAlgorithm: "EC_prime256v1",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
    lifecycle: { createBeforeDestroy: true },
  });
  const dvo = certificate.domainValidationOptions.get(0);
  const record = new Route53Record(stack, "validation-record", {
    zoneId: "Z0123456789ABCDEFGHIJ",
    name: dvo.resourceRecordName,
    type: dvo.resourceRecordType,
    records: [dvo.resourceRecordValue],
    ttl: 60,
    allowOverwrite: true,
  });
  const validation = new AcmCertificateValidation(stack, "certificate-validation", {
    certificateArn: certificate.arn,
    validationRecordFqdns: [record.fqdn],
  });

  new LbListener(stack, "https", {
    loadBalancerArn: LOAD_BALANCER_ARN,
    port: 443,
    protocol: "HTTPS",
    sslPolicy,
    certificateArn: validation.certificateArn,
    defaultAction: [{ type: "forward", targetGroupArn: TARGET_GROUP_ARN }],
  });
  new LbListener(stack, "http", {
    loadBalancerArn: LOAD_BALANCER_ARN,
    port: 80,
    protocol: "HTTP",
    defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
  });
  return stack;
}

// ---------------------------------------------------------------------------------------
interface CheckResult {
  id: string;
  result: "PASSED" | "FAILED";
  /** "https", "http", "certificate", ... (checkov prints either "resource.x" or "aws_type.x"). */
  resource: string;
  /** The stack directory name the file lies in. */
  stack: string;
}

interface ScanRun {
  status: number | null;
  output: string;
  results: CheckResult[];
}

/** Parses checkov's compact CLI report: `Check: ID: "name"` / `\tPASSED for resource: x` / `\tFile: /p:1-2`. */
function parseReport(output: string): CheckResult[] {
  const results: CheckResult[] = [];
  let id: string | undefined;
  let pending: Omit<CheckResult, "stack"> | undefined;
  for (const line of output.split("\n")) {
    const check = /^Check: ([A-Z0-9_]+):/.exec(line);
    const outcome = /^\s+(PASSED|FAILED) for resource: (\S+)/.exec(line);
    const file = /^\s+File: (\S+?):\d+-\d+/.exec(line);
    if (check) id = check[1];
    else if (outcome && id) {
      pending = { id, result: outcome[1] as "PASSED" | "FAILED", resource: outcome[2].split(".").pop() ?? "" };
    } else if (file && pending) {
      results.push({ ...pending, stack: path.basename(path.dirname(file[1])) });
      pending = undefined;
    }
  }
  return results;
}

function synthAndScan(build: (app: App) => void, env: NodeJS.ProcessEnv = {}): { run: ScanRun; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-test-"));
  const app = new App({ outdir });
  build(app);
  app.synth();
  const stacksDir = path.join(outdir, "stacks");
  return { run: scanStackDirs(fs.readdirSync(stacksDir).map((name) => path.join(stacksDir, name)), env), outdir };
}

function scanStackDirs(stackDirs: readonly string[], env: NodeJS.ProcessEnv = {}): ScanRun {
  const child = spawnSync("bash", [SCAN_SCRIPT, ...stackDirs], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...(CHECKOV ? { CHECKOV } : {}), ...env },
    timeout: 240_000,
  });
  const output = `${child.stdout ?? ""}\n${child.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "");
  return { status: child.status, output, results: parseReport(output) };
}

function outcomes(run: ScanRun, stack: string, result: "PASSED" | "FAILED"): string[] {
  return run.results.filter((r) => r.stack === stack && r.result === result).map((r) => `${r.id} ${r.resource}`);
}

function requireCheckov(): void {
  if (!CHECKOV) throw new Error(`checkov is not installed but CI is set: ${SETUP_HINT}`);
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describeScan("the checkov scan of synthesized stacks (scripts/scan.sh + .checkov.yaml)", () => {
  describe("on the weak fixture and a stack whose TLS 1.3 policy still allows TLS 1.0", () => {
    let run: ScanRun;

    beforeAll(() => {
      requireCheckov();
      const scan = synthAndScan((app) => {
        buildWeakStack(app, "weak");
        // Passes checkov's own CKV_AWS_103 (a prefix match on "ELBSecurityPolicy-TLS13"):
        // only our checkov-policies/ check catches it.
        buildStrongStack(app, "lax", "ELBSecurityPolicy-TLS13-1-0-2021-06");
      });
      outdirs.push(scan.outdir);
      run = scan.run;
    }, 300_000);

    it("exits non-zero because checks failed", () => {
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/scan\.sh: FAILED/);
    });

    it("reports the HTTPS listener's TLS 1.0 policy (ELBSecurityPolicy-2016-08) under every TLS check", () => {
      expect(outcomes(run, "weak", "FAILED")).toEqual(
        expect.arrayContaining(["CKV_AWS_103 https", "CKV2_AWS_74 https", "CKV2_TLSEDGE_1 https"]),
      );
    });

    it("reports the HTTP listener that forwards instead of redirecting to HTTPS", () => {
      expect(outcomes(run, "weak", "FAILED")).toEqual(expect.arrayContaining(["CKV_AWS_2 http", "CKV_AWS_103 http"]));
    });

    it("reports the ACM certificate's disabled transparency logging, EMAIL validation and missing create_before_destroy", () => {
      expect(outcomes(run, "weak", "FAILED")).toEqual(
        expect.arrayContaining(["CKV_AWS_234 certificate", "CKV2_TLSEDGE_2 certificate", "CKV_AWS_233 certificate"]),
      );
    });

    it("reports ELBSecurityPolicy-TLS13-1-0-2021-06 through the custom minimum-TLS-1.2 check", () => {
      expect(outcomes(run, "lax", "FAILED")).toContain("CKV2_TLSEDGE_1 https");
    });
  });

  describe("on strong stacks (TLS13-1-2-Res-2021-06 and the post-quantum TLS13-1-2-Res-PQ-2025-09)", () => {
    let run: ScanRun;

    beforeAll(() => {
      requireCheckov();
      const scan = synthAndScan(
        (app) => {
          buildStrongStack(app, "strong", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
          buildStrongStack(app, "strong-pq", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
        },
        { SCAN_VERBOSE: "1" },
      );
      outdirs.push(scan.outdir);
      run = scan.run;
    }, 300_000);

    it("exits zero with zero failed checks", () => {
      expect(run.output).toMatch(/Failed checks: 0\b/);
      expect(run.results.filter((r) => r.result === "FAILED")).toEqual([]);
      expect(run.status).toBe(0);
    });

    it.each(["strong", "strong-pq"])(
      "actually runs and passes the TLS, redirect and ACM checks on %s, so the config does not skip them",
      (stack) => {
        expect(outcomes(run, stack, "PASSED")).toEqual(
          expect.arrayContaining([
            "CKV_AWS_103 https",
            "CKV_AWS_103 http",
            "CKV2_AWS_74 https",
            "CKV2_TLSEDGE_1 https",
            "CKV_AWS_2 https",
            "CKV_AWS_2 http",
            "CKV_AWS_234 certificate",
            "CKV2_TLSEDGE_2 certificate",
            "CKV_AWS_233 certificate",
          ]),
        );
      },
    );
  });

  describe("on the shipped environments and the everything-on fixture, as npm run scan sees them", () => {
    let run: ScanRun;
    let synth: ReturnType<typeof synthToTemp>;

    beforeAll(() => {
      requireCheckov();
      synth = synthToTemp([...environments, everythingOn]);
      run = scanStackDirs([...environments, everythingOn].map((e) => synth.stackDir(e.name)), { SCAN_VERBOSE: "1" });
    }, 300_000);
    afterAll(() => synth?.cleanup());

    it("parses every stack and fails no check", () => {
      expect(run.output).not.toMatch(/Failed to parse|Parsing errors: [1-9]/);
      expect(run.results.filter((r) => r.result === "FAILED")).toEqual([]);
      expect(run.status).toBe(0);
    });

    it("checks every stack's listeners and certificates", () => {
      for (const stack of [...environments, everythingOn].map((e) => `tls-${e.name}`)) {
        const passed = run.results.filter((r) => r.stack === stack && r.result === "PASSED").map((r) => r.id);
        expect(passed).toEqual(expect.arrayContaining(["CKV_AWS_103", "CKV2_TLSEDGE_1", "CKV_AWS_2", "CKV2_TLSEDGE_2"]));
      }
    });
  });
});
