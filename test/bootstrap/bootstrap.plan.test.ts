import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { BOOTSTRAP_STACK_ID, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import { bootstrap } from "../../bootstrap/config";
import { describeWithTerraform, planStackDirectory, PlanResult } from "../support/terraform";

describeWithTerraform("bootstrap stack under a real terraform plan", () => {
  let result: PlanResult;
  let tmp: string;

  beforeAll(() => {
    // GIVEN the shipped bootstrap configuration, synthesized
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-plan-"));
    const app = new App({ outdir: path.join(tmp, "cdktf.out") });
    new BootstrapStack(app, BOOTSTRAP_STACK_ID, bootstrap);
    app.synth();
    // WHEN terraform validates and plans it
    result = planStackDirectory(path.join(tmp, "cdktf.out", "stacks", BOOTSTRAP_STACK_ID));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("plans the bucket with its controls, the OIDC provider, two roles per environment with a managed policy each, the alarm topic of each environment that asks for it, and nothing else", () => {
    const types = Object.values(result.resources).map((r) => r.type).sort();
    const withTopic = bootstrap.environments.filter((e) => e.expiryAlarm !== false && e.expiryAlarm?.topic === "bootstrap");
    expect(withTopic.length).toBeGreaterThan(0);
    expect(types).toEqual(
      [
        "aws_iam_openid_connect_provider",
        ...bootstrap.environments.flatMap(() => ["aws_iam_role", "aws_iam_role", "aws_iam_policy", "aws_iam_policy", "aws_iam_role_policy_attachment", "aws_iam_role_policy_attachment"]),
        ...withTopic.flatMap((e) => ["aws_kms_key", "aws_sns_topic", "aws_sns_topic_policy", ...(e.expiryAlarm && e.expiryAlarm.email ? ["aws_sns_topic_subscription"] : [])]),
        "aws_s3_bucket",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
      ].sort(),
    );
    expect(result.plan.resource_changes.every((c: any) => c.change.actions.join() === "create")).toBe(true);
  });

  test("the planned role policies are known at plan time; the trust waits only for the OIDC provider's ARN", () => {
    for (const environment of bootstrap.environments) {
      expect(result.unknown[`aws_iam_role.DeployRole-${environment.name}`].assume_role_policy).toBe(true);
      expect(result.resources[`aws_iam_role.DeployRole-${environment.name}`].values.name).toBe(`tls-edge-deploy-${environment.name}`);
      const policy = JSON.parse(String(result.resources[`aws_iam_policy.DeployRole-${environment.name}Policy1`].values.policy));
      expect(policy.Statement.map((s: any) => s.Sid)).toContain("ValidationRecordsWrite");
    }
    expect(result.resources["aws_s3_bucket_versioning.StateBucketVersioning"].values.versioning_configuration).toEqual([expect.objectContaining({ status: "Enabled" })]);
  });
});
