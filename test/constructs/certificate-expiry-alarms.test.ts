import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { CertificateExpiryAlarms, CertificateExpiryAlarmsProps } from "../../lib";

const CERTIFICATES = [
  { id: "Certificate", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/aaaa", domainName: "example.com" },
  { id: "Other", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/bbbb", domainName: "example.org" },
];

function synth(props: Partial<CertificateExpiryAlarmsProps> = {}): any {
  const stack = new TerraformStack(Testing.app(), "alarms");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new CertificateExpiryAlarms(stack, "ExpiryAlarms", { certificates: CERTIFICATES, namePrefix: "tls-test", accountId: "111111111111", ...props });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe("CertificateExpiryAlarms", () => {
  test("watches each certificate's DaysToExpiry, once a day, below 45 days by default", () => {
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
        threshold: 45,
        treat_missing_data: "ignore",
      });
    }
    expect(alarms[1].alarm_description).toMatch(/^ACM certificate for example\.org has fewer than 45 days left/);
  });

  test("takes the configured threshold", () => {
    const alarms = Object.values(synth({ daysBeforeExpiry: 30 }).aws_cloudwatch_metric_alarm) as any[];
    expect(alarms.map((a) => a.threshold)).toEqual([30, 30]);
  });

  test("creates a topic encrypted with a rotating customer-managed key that CloudWatch may use, and notifies it on ALARM and OK", () => {
    const resource = synth();
    const [topic] = Object.values(resource.aws_sns_topic) as any[];
    const [key] = Object.values(resource.aws_kms_key) as any[];
    expect(topic.name).toBe("tls-test-certificate-expiry");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.ExpiryAlarms_TopicKey_[0-9A-F]{8}\.arn\}$/);
    expect(key.enable_key_rotation).toBe(true);
    const policy = JSON.parse(key.policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*" }));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      }),
    );
    for (const alarm of Object.values(resource.aws_cloudwatch_metric_alarm) as any[]) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.ExpiryAlarms_Topic_[0-9A-F]{8}\.arn\}$/)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  test("subscribes no one to the created topic by default", () => {
    expect(synth().aws_sns_topic_subscription).toBeUndefined();
  });

  test("subscribes the e-mail address to the created topic", () => {
    const [subscription] = Object.values(synth({ email: "ops@example.com" }).aws_sns_topic_subscription) as any[];
    expect(subscription).toEqual({ protocol: "email", endpoint: "ops@example.com", topic_arn: expect.stringMatching(/^\$\{aws_sns_topic\./) });
  });

  test("notifies an existing topic and then creates no topic, key or subscription", () => {
    const topicArn = "arn:aws:sns:us-east-1:111111111111:ops";
    const resource = synth({ snsTopicArn: topicArn });
    expect(resource.aws_sns_topic).toBeUndefined();
    expect(resource.aws_kms_key).toBeUndefined();
    expect(resource.aws_sns_topic_subscription).toBeUndefined();
    for (const alarm of Object.values(resource.aws_cloudwatch_metric_alarm) as any[]) expect(alarm.alarm_actions).toEqual([topicArn]);
  });

  test("uses the partition in the key policy", () => {
    const [key] = Object.values(synth({ partition: "aws-cn" }).aws_kms_key) as any[];
    expect(key.policy).toContain("arn:aws-cn:iam::111111111111:root");
  });
});
