import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { certificateNamesIn, certificatesIn, DnsValidatedCertificate, EnvironmentConfig, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

const ROLE = "arn:aws:iam::222222222222:role/dns/route53-records";

function synth(config: EnvironmentConfig): any {
  return JSON.parse(Testing.synth(new TlsStack(Testing.app(), `tls-${config.name}`, config)));
}

const twoZones = (overrides: Partial<EnvironmentConfig> = {}) =>
  baseEnvironment({
    subjectAlternativeNames: ["*.example.com", "shop.example.org"],
    hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" },
    ...overrides,
  });

describe("TlsStack: expiryAlarm", () => {
  test("by default alarms below 30 days (the 200-day step's most) for the certificate, to a topic the stack creates", () => {
    const { resource } = synth(baseEnvironment());
    const alarms = Object.values(resource.aws_cloudwatch_metric_alarm) as any[];
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ alarm_name: "tls-test-Certificate-expiry", threshold: 30, metric_name: "DaysToExpiry" });
    // The certificate's own ARN: the alarm exists even while validation is stuck.
    expect(alarms[0].dimensions.CertificateArn).toMatch(/^\$\{aws_acm_certificate\.Certificate_[0-9A-F]{8}\.arn\}$/);
    expect(Object.values(resource.aws_sns_topic)).toEqual([expect.objectContaining({ name: "tls-test-certificate-expiry" })]);
    // The default subscribes no one.
    expect(resource.aws_sns_topic_subscription).toBeUndefined();
  });

  test("takes the key policy's account from accountId, else from the load balancer ARN", () => {
    const { accountId: _omitted, ...withoutAccount } = baseEnvironment();
    const [key] = Object.values(synth(withoutAccount).resource.aws_kms_key) as any[];
    expect(key.policy).toContain("arn:aws:iam::111111111111:root");
  });

  test("false builds no alarm, rule, topic or key", () => {
    const { resource } = synth(baseEnvironment({ expiryAlarm: false }));
    expect(resource.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(resource.aws_cloudwatch_event_rule).toBeUndefined();
    expect(resource.aws_sns_topic).toBeUndefined();
    expect(resource.aws_kms_key).toBeUndefined();
  });

  test("follows the schedule of shorter certificates by itself: 15 days from 2027-03-15, 7 from 2029-03-15", () => {
    const threshold = (asOf: string) => {
      const previous = process.env.TLS_EDGE_AS_OF;
      process.env.TLS_EDGE_AS_OF = asOf;
      try {
        return (Object.values(synth(baseEnvironment()).resource.aws_cloudwatch_metric_alarm)[0] as any).threshold;
      } finally {
        process.env.TLS_EDGE_AS_OF = previous;
      }
    };
    expect([threshold("2027-03-14"), threshold("2027-03-15"), threshold("2029-03-14"), threshold("2029-03-15")]).toEqual([30, 15, 15, 7]);
  });

  test("with topic bootstrap notifies the bootstrap stack's topic and creates no topic, key, policy or subscription", () => {
    const { resource } = synth(baseEnvironment({ expiryAlarm: { topic: "bootstrap", email: "ops@example.com" } }));
    const topicArn = "arn:aws:sns:us-east-1:111111111111:tls-test-certificate-expiry";
    expect((Object.values(resource.aws_cloudwatch_metric_alarm)[0] as any).alarm_actions).toEqual([topicArn]);
    expect((Object.values(resource.aws_cloudwatch_event_target)[0] as any).arn).toBe(topicArn);
    for (const type of ["aws_sns_topic", "aws_kms_key", "aws_sns_topic_policy", "aws_sns_topic_subscription"]) expect([type, resource[type]]).toEqual([type, undefined]);
  });

  test("passes threshold, e-mail and an existing topic through", () => {
    const withEmail = synth(baseEnvironment({ expiryAlarm: { daysBeforeExpiry: 20, email: "ops@example.com" } })).resource;
    expect((Object.values(withEmail.aws_cloudwatch_metric_alarm)[0] as any).threshold).toBe(20);
    expect(Object.values(withEmail.aws_sns_topic_subscription)).toEqual([expect.objectContaining({ endpoint: "ops@example.com" })]);
    const topicArn = "arn:aws:sns:us-east-1:111111111111:ops";
    const existing = synth(baseEnvironment({ expiryAlarm: { snsTopicArn: topicArn } })).resource;
    expect((Object.values(existing.aws_cloudwatch_metric_alarm)[0] as any).alarm_actions).toEqual([topicArn]);
    expect(existing.aws_sns_topic).toBeUndefined();
  });
});

describe("TlsStack: caa", () => {
  test("builds no CAA record by default", () => {
    const records = Object.values(synth(baseEnvironment()).resource.aws_route53_record) as any[];
    expect(records.filter((r) => r.type === "CAA")).toEqual([]);
  });

  test("puts a CAA set on the apex of every zone the certificate names use", () => {
    const records = Object.values(synth(twoZones({ caa: { iodef: "https://example.com/caa" } })).resource.aws_route53_record) as any[];
    const caa = Object.fromEntries(records.filter((r) => r.type === "CAA").map((r) => [r.name, r.records]));
    expect(caa).toEqual({
      "example.com": ['0 issue "amazon.com"', '0 issuewild "amazon.com"', '0 iodef "https://example.com/caa"'],
      "example.org": ['0 issue "amazon.com"', '0 iodef "https://example.com/caa"'],
    });
  });
});

describe("TlsStack: dnsRoleArn", () => {
  test("adds no second provider by default and leaves the records on the default one", () => {
    const parsed = synth(twoZones({ caa: {} }));
    expect(parsed.provider.aws).toHaveLength(1);
    for (const record of Object.values(parsed.resource.aws_route53_record) as any[]) expect(record).not.toHaveProperty("provider");
  });

  test("adds an aws.dns provider that assumes the role the run names, pinned to the role's account, with the stack's tags", () => {
    const { provider, variable } = synth(baseEnvironment({ dnsRoleArn: ROLE, tags: { owner: "edge" } }));
    expect(provider.aws).toHaveLength(2);
    expect(provider.aws[1]).toEqual({
      alias: "dns",
      region: "us-east-1",
      assume_role: [{ role_arn: "${var.dns_role_arn}", session_name: "tls-test-dns" }],
      allowed_account_ids: ["222222222222"],
      default_tags: [{ tags: { owner: "edge", environment: "test", "managed-by": "cdktf", stack: "tls-test" } }],
    });
    // Ephemeral (a saved plan never carries the plan's role to the apply), the writing role unless a run says otherwise,
    // and only the environment's two DNS roles.
    expect(variable.dns_role_arn).toEqual({
      type: "string",
      ephemeral: true,
      default: ROLE,
      description: "IAM role the dns provider assumes: dnsRoleArn (writes, the default) or dnsReadRoleArn (plans)",
      validation: [
        {
          condition: `\${contains(["${ROLE}","${ROLE}-read"], var.dns_role_arn)}`,
          error_message: `Must be one of the environment's DNS roles: ${ROLE} or ${ROLE}-read.`,
        },
      ],
    });
  });

  test("tells the pipeline scripts which DNS role plans and applies assume, in the stack's // metadata", () => {
    const stack = new TlsStack(Testing.app(), "tls-test", baseEnvironment({ dnsRoleArn: ROLE, dnsReadRoleArn: "arn:aws:iam::222222222222:role/dns/viewer" }));
    const json = JSON.parse(fs.readFileSync(path.join(Testing.fullSynth(stack), "stacks", "tls-test", "cdk.tf.json"), "utf8"));
    expect(json["//"].tls_edge).toEqual({ dns_role_arns: { plan: "arn:aws:iam::222222222222:role/dns/viewer", apply: ROLE } });
    const without = new TlsStack(Testing.app(), "tls-test", baseEnvironment());
    expect(JSON.parse(fs.readFileSync(path.join(Testing.fullSynth(without), "stacks", "tls-test", "cdk.tf.json"), "utf8"))["//"]).not.toHaveProperty("tls_edge");
  });

  test("manages every Route53 record (validation and CAA) through aws.dns and nothing else", () => {
    const { resource } = synth(twoZones({ caa: {}, dnsRoleArn: ROLE }));
    const records = Object.values(resource.aws_route53_record) as any[];
    expect(records).toHaveLength(4);
    for (const record of records) expect(record.provider).toBe("aws.dns");
    for (const [type, byId] of Object.entries(resource)) {
      if (type === "aws_route53_record") continue;
      for (const other of Object.values(byId as object)) expect(other).not.toHaveProperty("provider");
    }
  });
});

describe("certificatesIn / certificateNamesIn", () => {
  test("find every DnsValidatedCertificate of a scope in construction order, and their names once each", () => {
    const stack = new TerraformStack(Testing.app(), "certs");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const zones = { "example.com": "Z0123456789ABCDEFGHIJ" };
    const first = new DnsValidatedCertificate(stack, "First", { domainName: "example.com", hostedZones: zones });
    const second = new DnsValidatedCertificate(stack, "Second", { domainName: "api.example.com", subjectAlternativeNames: ["example.com"], hostedZones: zones });
    expect(certificatesIn(stack)).toEqual([first, second]);
    expect(certificateNamesIn(stack)).toEqual(["example.com", "*.example.com", "api.example.com"]);
  });
});

describe("DnsValidatedCertificate: dnsProvider", () => {
  test("puts its validation records, and only them, on the given provider", () => {
    const stack = new TerraformStack(Testing.app(), "cert");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const dns = new AwsProvider(stack, "aws-dns", { region: "us-east-1", alias: "dns" });
    new DnsValidatedCertificate(stack, "Certificate", { domainName: "example.com", hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ" }, dnsProvider: dns });
    const { resource } = JSON.parse(Testing.synth(stack));
    expect((Object.values(resource.aws_route53_record) as any[]).map((r) => r.provider)).toEqual(["aws.dns"]);
    expect(Object.values(resource.aws_acm_certificate)[0]).not.toHaveProperty("provider");
    expect(Object.values(resource.aws_acm_certificate_validation)[0]).not.toHaveProperty("provider");
  });
});
