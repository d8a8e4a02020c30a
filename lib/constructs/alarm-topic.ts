import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  /** Name of the topic, unique per account and region. */
  readonly name: string;
  /** Account of the topic: administers its key, and the only account whose alarms may publish to it. */
  readonly accountId: string;
  /** Region of the topic (for its ARN in the policies). */
  readonly region: string;
  /**
   * AWS partition of the account.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * EventBridge rules (ARNs) that may publish to the topic.
   * @default - none: only CloudWatch alarms of the account publish
   */
  readonly eventRuleArns?: readonly string[];
  /**
   * E-mail address subscribed to the topic (the address must confirm the subscription).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Provider the topic, its key and its subscription are created with (one for `region`).
   * @default - the scope's default aws provider
   */
  readonly provider?: TerraformProvider;
}

/** The ARN of an SNS topic, from its parts (plain text, so policies naming it are plain JSON). */
export function snsTopicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${name}`;
}

/**
 * An SNS topic that CloudWatch alarms and EventBridge rules can publish to, encrypted with a customer-managed KMS key
 * of its own, optionally with an e-mail subscription.
 *
 * Why its own key: CloudWatch and EventBridge cannot publish to a topic encrypted with the AWS-managed `alias/aws/sns`
 * (its key policy admits no service principal), and an unencrypted topic fails checkov's CKV_AWS_26. The key costs
 * about $1 a month. Why a topic policy: EventBridge publishes only where the topic's policy lets `events.amazonaws.com`
 * (here: only the given rules, by `aws:SourceArn`); CloudWatch alarms are admitted for the topic's own account.
 *
 * Used by the TLS stack (expiryAlarm.topic "stack") and by the bootstrap stack (expiryAlarm.topic "bootstrap"): the
 * pipeline's deploy role cannot create the key (see lib/bootstrap/bootstrap-policies.ts).
 */
export class AlarmTopic extends Construct {
  public readonly key: KmsKey;
  public readonly topic: SnsTopic;
  public readonly policy: SnsTopicPolicy;
  public readonly subscription?: SnsTopicSubscription;
  /** The topic's ARN, as plain text. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const partition = props.partition ?? "aws";
    this.arn = snsTopicArn(partition, props.region, props.accountId, props.name);
    this.key = new KmsKey(this, "Key", {
      description: `Encrypts the SNS topic ${props.name} (ACM certificate expiry alarms and renewal events)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(alarmTopicKeyPolicy(partition, props.accountId)),
      provider: props.provider,
    });
    this.topic = new SnsTopic(this, "Topic", { name: props.name, kmsMasterKeyId: this.key.arn, provider: props.provider });
    this.policy = new SnsTopicPolicy(this, "Policy", {
      provider: props.provider,
      arn: this.topic.arn,
      policy: JSON.stringify(alarmTopicPolicy(partition, props.accountId, this.arn, props.eventRuleArns ?? [])),
    });
    if (props.email !== undefined) {
      this.subscription = new SnsTopicSubscription(this, "EmailSubscription", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
        provider: props.provider,
      });
    }
  }
}

/**
 * The account administers the key (so it can never become unmanageable); CloudWatch and EventBridge may only use it to
 * publish for this account.
 */
export function alarmTopicKeyPolicy(partition: string, accountId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AlarmsAndEventsPublishToTopic",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** The account manages the topic; its CloudWatch alarms, and the given EventBridge rules only, publish to it. */
export function alarmTopicPolicy(partition: string, accountId: string, topicArn: string, eventRuleArns: readonly string[]): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountManagesTopic",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: topicArn,
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      ...(eventRuleArns.length === 0
        ? []
        : [
            {
              Sid: "RenewalEventsPublish",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { ArnEquals: { "aws:SourceArn": eventRuleArns.length === 1 ? eventRuleArns[0] : [...eventRuleArns] } },
            },
          ]),
    ],
  };
}
