import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { describeWithTerraform, planStackDirectory, PlanResult } from "./terraform";

const ROLE = "arn:aws:iam::210987654321:role/route53-records";

/** A stack whose providers assume roles, as a cross-account DNS setup does: offline, STS cannot be reached. */
function synthAssumeRoleStack(outdir: string): string {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "assume-role");
  new AwsProvider(stack, "aws", { region: "eu-west-1", assumeRole: [{ roleArn: "arn:aws:iam::123456789012:role/deploy" }] });
  const dns = new AwsProvider(stack, "aws-dns", { alias: "dns", region: "eu-west-1", assumeRole: [{ roleArn: ROLE, sessionName: "dns" }] });
  new Route53Record(stack, "record", { provider: dns, zoneId: "Z0EXAMPLECOM00000001", name: "example.com", type: "CAA", ttl: 300, records: ['0 issue "amazon.com"'] });
  app.synth();
  return path.join(outdir, "stacks", "assume-role");
}

describeWithTerraform("planStackDirectory with providers that assume roles (real terraform)", () => {
  let outdir: string;
  let stackDir: string;
  let result: PlanResult;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-harness-assume-role-"));
    stackDir = synthAssumeRoleStack(outdir);
    result = planStackDirectory(stackDir, { keepWorkDir: true });
  });

  afterAll(() => {
    if (result) fs.rmSync(result.workDir, { recursive: true, force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test("plans offline although both the default provider and the alias declare assume_role", () => {
    const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    expect(synthesized.provider.aws.map((p: any) => p.assume_role[0].role_arn)).toEqual(["arn:aws:iam::123456789012:role/deploy", ROLE]);
    expect(result.plan.resource_changes.map((c: any) => [c.type, c.change.actions])).toEqual([["aws_route53_record", ["create"]]]);
  });

  test("replaces each assume_role in the override with one whose role_arn is null", () => {
    const override = JSON.parse(fs.readFileSync(path.join(result.workDir, "zz_test_override.tf.json"), "utf8"));
    expect(override.provider.aws.map((p: any) => [p.alias ?? "default", p.assume_role])).toEqual([
      ["default", [{ role_arn: null }]],
      ["dns", [{ role_arn: null }]],
    ]);
  });

  test("still shows which provider alias manages each resource", () => {
    const [record] = result.plan.configuration.root_module.resources;
    expect(record.provider_config_key).toBe("aws.dns");
  });
});
