import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { EnvironmentConfig, EnvironmentConfigError, TlsGuardError, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

function synthStack(config: EnvironmentConfig = baseEnvironment()) {
  const stack = new TlsStack(Testing.app(), `tls-${config.name}`, config);
  const json = Testing.synth(stack);
  return { stack, json, parsed: JSON.parse(json) };
}

function only(parsed: any, type: string, predicate: (r: any) => boolean = () => true): any {
  const matches = Object.values(parsed.resource[type] ?? {}).filter(predicate as (r: unknown) => boolean);
  expect(matches).toHaveLength(1);
  return matches[0];
}

describe("TlsStack", () => {
  test("configures the AWS provider for the region, pinned to the account, with default tags", () => {
    const { json } = synthStack(baseEnvironment({ tags: { owner: "platform", environment: "spoofed" } }));
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      default_tags: [{ tags: { owner: "platform", environment: "test", "managed-by": "cdktf", stack: "tls-test" } }],
    });
  });

  test("leaves allowed_account_ids unset when no account is configured", () => {
    const { accountId: _omitted, ...config } = baseEnvironment();
    const { parsed } = synthStack(config);
    expect(parsed.provider.aws[0]).not.toHaveProperty("allowed_account_ids");
  });

  test("points the HTTPS listener at the validation resource's ARN, so it only ever serves an issued certificate", () => {
    const { parsed } = synthStack();
    const https = only(parsed, "aws_lb_listener", (r) => r.protocol === "HTTPS");
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\.[A-Za-z0-9_]+\.certificate_arn\}$/);
    expect(https.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
  });

  test("adds an HTTP listener that redirects to HTTPS", () => {
    const { json } = synthStack();
    expect(json).toHaveResourceWithProperties(LbListener, { port: 80, protocol: "HTTP" });
  });

  test("outputs the certificate ARN, both listener ARNs and the validation record FQDNs", () => {
    const { parsed } = synthStack();
    expect(Object.keys(parsed.output).sort()).toEqual([
      "certificate_arn",
      "http_listener_arn",
      "https_listener_arn",
      "validation_record_fqdns",
    ]);
    expect(parsed.output.certificate_arn.value).toMatch(/aws_acm_certificate_validation\..*\.certificate_arn/);
    expect(parsed.output.validation_record_fqdns.value).toEqual([expect.stringMatching(/^\$\{aws_route53_record\..*\.fqdn\}$/)]);
  });

  test("keeps local state outside cdktf.out under a relative path", () => {
    const { parsed } = synthStack();
    expect(parsed.terraform.backend).toEqual({ local: { path: "../../../terraform.tls-test.tfstate" } });
  });

  test("stores state in S3 with encryption and S3-native locking, defaulting key and region", () => {
    const { parsed } = synthStack(baseEnvironment({ stateBackend: { s3: { bucket: "state-bucket" } } }));
    expect(parsed.terraform.backend).toEqual({
      s3: { bucket: "state-bucket", key: "tls-edge/test/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });

  test("passes the S3 key, region and DynamoDB lock table through when given", () => {
    const { parsed } = synthStack(
      baseEnvironment({ stateBackend: { s3: { bucket: "b-1", key: "k/state", region: "eu-west-1", dynamodbTable: "locks" } } }),
    );
    expect(parsed.terraform.backend.s3).toMatchObject({ key: "k/state", region: "eu-west-1", dynamodb_table: "locks", encrypt: true, use_lockfile: true });
  });

  test("writes no absolute path of this machine into the synthesized stack", () => {
    const { json } = synthStack();
    expect(json).not.toContain(process.cwd());
    expect(json).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
  });

  test("rejects an invalid configuration before creating anything", () => {
    const app = Testing.app();
    expect(() => new TlsStack(app, "tls-bad", baseEnvironment({ domainName: "Bad..Name" }))).toThrow(EnvironmentConfigError);
    expect(app.node.children).toHaveLength(0);
  });

  test("applies the TLS guard to resources added outside its constructs", () => {
    // GIVEN a valid stack plus a raw listener with a TLS 1.0 policy
    const stack = new TlsStack(Testing.app(), "tls-test", baseEnvironment());
    new LbListener(stack, "Extra", {
      loadBalancerArn: baseEnvironment().loadBalancerArn,
      port: 8443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-2016-08",
      certificateArn: stack.certificate.certificateArn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    });
    // THEN
    expect(() => Testing.synth(stack)).toThrow(TlsGuardError);
    expect(() => Testing.synth(stack)).toThrow(/tls-test\/Extra \(aws_lb_listener\) \[listener-tls-policy\]: ssl_policy "ELBSecurityPolicy-2016-08" allows TLSv1/);
  });
});
