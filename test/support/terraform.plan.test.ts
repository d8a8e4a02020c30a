import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, S3Backend, TerraformStack } from "cdktf";
// Never import from the package index "@cdktf/provider-aws": it loads every resource class (seconds, ~1 GB).
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  describeWithTerraform,
  findProviderMirror,
  planStackDirectory,
  PlanResult,
  planStacks,
  renderCliConfig,
  terraformAvailability,
} from "./terraform";

const STACK_ID = "harness-selftest";

/** Synthesizes a tiny stack (S3 backend, provider with guards and default tags, one certificate) into `outdir`. */
function synthTinyStack(outdir: string): string {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, STACK_ID);
  new AwsProvider(stack, "aws", {
    region: "eu-west-1",
    allowedAccountIds: ["123456789012"],
    defaultTags: [{ tags: { "managed-by": "cdktf" } }],
  });
  // The override must replace this backend: a plan that tried to reach S3 would fail offline.
  new S3Backend(stack, { bucket: "x", key: "y", region: "us-east-1", encrypt: true, dynamodbTable: "locks" });
  new AcmCertificate(stack, "certificate", { domainName: "example.com", validationMethod: "DNS" });
  app.synth();
  return path.join(outdir, "stacks", STACK_ID);
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("terraform harness configuration", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tf-harness-config-"));
  });
  afterEach(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("the provider mirror is the first candidate that contains hashicorp/aws", () => {
    const empty = path.join(scratch, "empty");
    const mirror = path.join(scratch, "mirror");
    fs.mkdirSync(empty);
    fs.mkdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    expect(findProviderMirror([path.join(scratch, "missing"), empty, mirror], {})).toBe(mirror);
    expect(findProviderMirror([empty], {})).toBeUndefined();
  });

  test("TF_PROVIDER_MIRROR wins over the candidates and must be a directory", () => {
    expect(findProviderMirror(["/nonexistent"], { TF_PROVIDER_MIRROR: scratch })).toBe(scratch);
    expect(() => findProviderMirror([], { TF_PROVIDER_MIRROR: path.join(scratch, "nope") })).toThrow(
      /TF_PROVIDER_MIRROR/,
    );
  });

  test("the CLI config installs registry providers only from the mirror when there is one", () => {
    const config = renderCliConfig("/opt/tf-plugins");
    expect(config).toContain('path    = "/opt/tf-plugins"');
    expect(config).toContain('include = ["registry.terraform.io/*/*"]');
    expect(config).toContain('exclude = ["registry.terraform.io/*/*"]');
  });

  test("the CLI config names the plugin cache only when one is given", () => {
    expect(renderCliConfig("/opt/tf-plugins", { pluginCacheDir: "/tmp/cache" })).toContain('plugin_cache_dir = "/tmp/cache"');
    expect(renderCliConfig("/opt/tf-plugins")).not.toContain("plugin_cache_dir");
  });

  test("the CLI config without a mirror leaves provider installation to the registry", () => {
    expect(renderCliConfig(undefined)).not.toContain("provider_installation");
  });

  test("terraform availability reports a version when terraform is found", () => {
    const availability = terraformAvailability();
    if (availability.available) {
      expect(availability.version).toMatch(/^\d+\.\d+\.\d+/);
    } else {
      expect(availability.reason).toBeTruthy();
    }
  });
});

describeWithTerraform("planStackDirectory (real terraform)", () => {
  let outdir: string;
  let stackDir: string;
  let result: PlanResult;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-harness-selftest-"));
    stackDir = synthTinyStack(outdir);
    result = planStackDirectory(stackDir, { keepWorkDir: true });
  });

  afterAll(() => {
    if (result) {
      fs.rmSync(result.workDir, { recursive: true, force: true });
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test("the synthesized stack really declares an S3 backend and an account guard", () => {
    const synthesized = readJson(path.join(stackDir, "cdk.tf.json"));
    expect(synthesized.terraform.backend.s3).toMatchObject({ bucket: "x", key: "y" });
    expect(synthesized.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
  });

  test("the certificate is planned with its domain name", () => {
    const address = Object.keys(result.resources).find((a) => a.startsWith("aws_acm_certificate."));
    expect(address).toBeDefined();
    const certificate = result.resources[address!];
    expect(certificate.type).toBe("aws_acm_certificate");
    expect(certificate.values.domain_name).toBe("example.com");
    expect(certificate.values.validation_method).toBe("DNS");
    expect(certificate.values.tags_all).toEqual({ "managed-by": "cdktf" });
    expect(result.unknown[address!].arn).toBe(true);
    expect(result.plan.resource_changes.map((c: any) => c.change.actions)).toEqual([["create"]]);
  });

  test("the override replaces the S3 backend with a local one inside the work dir", () => {
    const override = readJson(path.join(result.workDir, "zz_test_override.tf.json"));
    expect(override.terraform.backend).toEqual({ local: { path: path.join(result.workDir, "terraform.tfstate") } });
    const backendState = readJson(path.join(result.workDir, ".terraform", "terraform.tfstate"));
    expect(backendState.backend.type).toBe("local");
  });

  test("the stack's own provider region is kept when no region is given", () => {
    expect(result.plan.configuration.provider_config.aws.expressions.region.constant_value).toBe("eu-west-1");
  });

  test("an invalid stack fails at the plan step, with the validation error, and leaves no temp dir behind", () => {
    const broken = path.join(outdir, "broken");
    fs.cpSync(stackDir, broken, { recursive: true });
    const config = readJson(path.join(broken, "cdk.tf.json"));
    const certificates = config.resource.aws_acm_certificate;
    const name = Object.keys(certificates)[0];
    certificates[name].tags = { broken: "${aws_s3_bucket.undeclared.id}" };
    fs.writeFileSync(path.join(broken, "cdk.tf.json"), JSON.stringify(config, null, 2));

    // os.tmpdir() honours TMPDIR, so a private TMPDIR shows whether the harness cleaned up after the failure.
    const tmp = fs.mkdtempSync(path.join(outdir, "tmp-"));
    const previousTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let error: unknown;
    try {
      planStackDirectory(broken);
    } catch (e) {
      error = e;
    } finally {
      if (previousTmpdir === undefined) {
        delete process.env.TMPDIR;
      } else {
        process.env.TMPDIR = previousTmpdir;
      }
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('terraform step "plan"');
    expect(message).toContain("exited with code 1");
    expect(message).toMatch(/undeclared resource/i);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describeWithTerraform("planStacks (real terraform, concurrent, one plugin cache)", () => {
  let outdir: string;
  let cache: string;
  let stackDir: string;
  let broken: string;
  let results: Map<string, PlanResult | Error>;

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-harness-stacks-"));
    cache = path.join(outdir, "plugin-cache");
    fs.mkdirSync(cache);
    stackDir = synthTinyStack(path.join(outdir, "good"));
    broken = path.join(outdir, "broken");
    fs.cpSync(stackDir, broken, { recursive: true });
    const config = readJson(path.join(broken, "cdk.tf.json"));
    Object.values(config.resource.aws_acm_certificate as Record<string, any>)[0].tags = { broken: "${aws_s3_bucket.undeclared.id}" };
    fs.writeFileSync(path.join(broken, "cdk.tf.json"), JSON.stringify(config));
    // Work dirs are kept for inspection; a private TMPDIR puts them (the failed one too) inside outdir.
    const previousTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = fs.mkdtempSync(path.join(outdir, "tmp-"));
    try {
      results = await planStacks([stackDir, broken], { pluginCacheDir: cache, keepWorkDir: true, concurrency: 2 });
    } finally {
      if (previousTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmpdir;
    }
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("returns each stack's plan, and a broken stack's error without failing the others", () => {
    const good = results.get(stackDir) as PlanResult;
    expect(good).not.toBeInstanceOf(Error);
    expect(Object.values(good.resources).map((r) => r.type)).toEqual(["aws_acm_certificate"]);
    const error = results.get(broken);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('terraform step "plan"');
    expect((error as Error).message).toMatch(/undeclared resource/i);
  });

  test("installs the provider once into the shared plugin cache and links each working directory to it", () => {
    const version = fs.readdirSync(path.join(cache, "registry.terraform.io", "hashicorp", "aws"));
    expect(version).toHaveLength(1);
    const good = results.get(stackDir) as PlanResult;
    const installed = path.join(good.workDir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", version[0]);
    const [platform] = fs.readdirSync(installed);
    expect(fs.realpathSync(path.join(installed, platform))).toBe(fs.realpathSync(path.join(cache, "registry.terraform.io", "hashicorp", "aws", version[0], platform)));
  });
});
