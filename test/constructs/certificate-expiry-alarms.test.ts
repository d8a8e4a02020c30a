import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { CertificateExpiryAlarms, CertificateExpiryAlarmsProps } from "../../lib";

const CERTIFICATES = [
  { id: "Certificate", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/aaaa", domainName: "example.com" },
  { id: "Other", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/bbbb", domainName: "example.org" },
];
const TOPIC_ARN = "arn:aws:sns:us-east-1:111111111111:tls-test-certificate-expiry";
const RULE_ARN = "arn:aws:events:us-east-1:111111111111:rule/tls-test-certificate-events";

function synth(props: Partial<CertificateExpiryAlarmsProps> = {}): any {
  const stack = new TerraformStack(Testing.app(), "alarms");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new CertificateExpiryAlarms(stack, "ExpiryAlarms", { certificates: CERTIFICATES, namePrefix: "tls-test", accountId: "111111111111", region: "us-east-1", ...props });
  return JSON.parse(Testing.synth(stack)).resource;
}

const only = (resources: Record<string, any> | undefined): any => {
  const values = Object.values(resources ?? {});
  expect(values).toHaveLength(1);
  return values[0];
};

describe("CertificateExpiryAlarms", () => {
  test("watches each certificate's DaysToExpiry, once a day, below 30 days for certificates issued in the 200-day step", () => {
    // The tests read the schedule for 2026-12-01 (test/support/global-setup.cjs).
    const alarms = Object.values(synth().aws_cloudwatch_metric_alarm) as any[];
    expect(alarms).toHaveLength(2);
    expect(alarms.map((a) => [a.alarm_name, a.dimensions])).toEqual([
      ["tls-test-Certificate-expiry", { CertificateArn: CERTIFICATES[0].certificateArn }],
      ["tls-test-Other-expiry", { CertificateArn: CERTIFICATES[1].certificateArn }],
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        namespace: "AWS/CertificateManager",
        metric_name: "DaysToExpiry",
        statistic: "Minimum",
        period: 86400,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        comparison_operator: "LessThanThreshold",
        threshold: 30,
        treat_missing_data: "ignore",
      });
    }
    expect(alarms[1].alarm_description).toMatch(/^ACM certificate for example\.org has fewer than 30 days left/);
  });

  test("takes the configured threshold", () => {
    const alarms = Object.values(synth({ daysBeforeExpiry: 20 }).aws_cloudwatch_metric_alarm) as any[];
    expect(alarms.map((a) => a.threshold)).toEqual([20, 20]);
  });

  test("creates a topic encrypted with a rotating customer-managed key that CloudWatch and EventBridge may use, and notifies it on ALARM and OK", () => {
    const resource = synth();
    const topic = only(resource.aws_sns_topic);
    const key = only(resource.aws_kms_key);
    expect(topic.name).toBe("tls-test-certificate-expiry");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.ExpiryAlarms_Topic_Key_[0-9A-F]{8}\.arn\}$/);
    expect(key.enable_key_rotation).toBe(true);
    const policy = JSON.parse(key.policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*" }));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      }),
    );
    for (const alarm of Object.values(resource.aws_cloudwatch_metric_alarm) as any[]) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.ExpiryAlarms_Topic_[0-9A-F]{8}\.arn\}$/)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  test("lets the account's CloudWatch alarms and only the stack's renewal-event rule publish to the created topic", () => {
    const policy = JSON.parse(only(synth().aws_sns_topic_policy).policy);
    const publishers = policy.Statement.filter((s: any) => s.Principal.Service !== undefined).map((s: any) => [s.Principal.Service, s.Action, s.Resource, s.Condition]);
    expect(publishers).toEqual([
      ["cloudwatch.amazonaws.com", "sns:Publish", TOPIC_ARN, { StringEquals: { "aws:SourceAccount": "111111111111" } }],
      ["events.amazonaws.com", "sns:Publish", TOPIC_ARN, { ArnEquals: { "aws:SourceArn": RULE_ARN } }],
    ]);
    // Without renewal events, EventBridge may not publish at all.
    const quiet = JSON.parse(only(synth({ renewalEvents: false }).aws_sns_topic_policy).policy);
    expect(quiet.Statement.map((s: any) => s.Principal.Service).filter(Boolean)).toEqual(["cloudwatch.amazonaws.com"]);
  });

  test("forwards ACM's renewal-failure events of exactly these certificates to the topic", () => {
    const resource = synth();
    const rule = only(resource.aws_cloudwatch_event_rule);
    expect(rule.name).toBe("tls-test-certificate-events");
    expect(rule.event_pattern).toBe(
      '${jsonencode({"source" = ["aws.acm"], "detail-type" = ["ACM Certificate Renewal Action Required", "ACM Certificate Expired"], "resources" = ["arn:aws:acm:us-east-1:111111111111:certificate/aaaa", "arn:aws:acm:us-east-1:111111111111:certificate/bbbb"]})}',
    );
    const target = only(resource.aws_cloudwatch_event_target);
    expect(target.rule).toMatch(/^\$\{aws_cloudwatch_event_rule\.ExpiryAlarms_RenewalEvents_[0-9A-F]{8}\.name\}$/);
    expect(target.arn).toMatch(/^\$\{aws_sns_topic\.ExpiryAlarms_Topic_[0-9A-F]{8}\.arn\}$/);
  });

  test("makes no rule with renewalEvents false", () => {
    const resource = synth({ renewalEvents: false });
    expect([resource.aws_cloudwatch_event_rule, resource.aws_cloudwatch_event_target]).toEqual([undefined, undefined]);
  });

  test("subscribes no one to the created topic by default", () => {
    expect(synth().aws_sns_topic_subscription).toBeUndefined();
  });

  test("subscribes the e-mail address to the created topic", () => {
    const subscription = only(synth({ email: "ops@example.com" }).aws_sns_topic_subscription);
    expect(subscription).toEqual({ protocol: "email", endpoint: "ops@example.com", topic_arn: expect.stringMatching(/^\$\{aws_sns_topic\./) });
  });

  test("notifies an existing topic, alarms and events alike, and then creates no topic, key, policy or subscription", () => {
    const topicArn = "arn:aws:sns:us-east-1:111111111111:ops";
    const resource = synth({ snsTopicArn: topicArn });
    expect([resource.aws_sns_topic, resource.aws_kms_key, resource.aws_sns_topic_policy, resource.aws_sns_topic_subscription]).toEqual([undefined, undefined, undefined, undefined]);
    for (const alarm of Object.values(resource.aws_cloudwatch_metric_alarm) as any[]) expect(alarm.alarm_actions).toEqual([topicArn]);
    expect(only(resource.aws_cloudwatch_event_target).arn).toBe(topicArn);
  });

  test("uses the partition in the key policy, the topic policy and the rule's ARN", () => {
    const resource = synth({ partition: "aws-cn", region: "cn-north-1" });
    expect(only(resource.aws_kms_key).policy).toContain("arn:aws-cn:iam::111111111111:root");
    const policy = only(resource.aws_sns_topic_policy).policy;
    expect(policy).toContain("arn:aws-cn:sns:cn-north-1:111111111111:tls-test-certificate-expiry");
    expect(policy).toContain("arn:aws-cn:events:cn-north-1:111111111111:rule/tls-test-certificate-events");
  });
});
