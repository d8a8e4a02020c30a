import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { DEFAULTS } from "../config/environment-config";

/** One certificate to watch. */
export interface WatchedCertificate {
  /** Readable, stable id (the certificate construct's id): names the alarm and its construct. */
  readonly id: string;
  /** ARN of the certificate (the `CertificateArn` dimension of the metric). */
  readonly certificateArn: string;
  /** The certificate's primary name, for the alarm description. */
  readonly domainName: string;
}

export interface CertificateExpiryAlarmsProps {
  /** The certificates, one alarm each. */
  readonly certificates: readonly WatchedCertificate[];
  /** Account of the stack: administers the created topic's KMS key, and the only account CloudWatch may use it for. */
  readonly accountId: string;
  /**
   * AWS partition of the account.
   * @default "aws"
   */
  readonly partition?: string;
  /** Prefix of every alarm name and of the created topic's name (the stack id), unique per account and region. */
  readonly namePrefix: string;
  /**
   * The alarm fires when a certificate has fewer days left than this.
   * @default 45 (ACM starts renewing 60 days before expiry: 15 days of its retries pass before anyone is told)
   */
  readonly daysBeforeExpiry?: number;
  /**
   * Existing SNS topic to notify.
   * @default - a topic created here, `<namePrefix>-certificate-expiry`
   */
  readonly snsTopicArn?: string;
  /**
   * E-mail address subscribed to the created topic. Ignored with `snsTopicArn` (validation rejects the pair).
   * @default - no subscription
   */
  readonly email?: string;
}

/** ACM publishes `DaysToExpiry` once a day. */
export const DAYS_TO_EXPIRY_PERIOD_SECONDS = 86400;

/**
 * A CloudWatch alarm per certificate on ACM's `AWS/CertificateManager` `DaysToExpiry` metric (dimension
 * `CertificateArn`), notifying an SNS topic when fewer than `daysBeforeExpiry` days are left, and again (OK) once the
 * renewed certificate pushes the metric back up.
 *
 * Evaluation: ACM publishes the metric once a day, so one 1-day period with the `Minimum` statistic is one datapoint;
 * a single breaching day alarms (there is nothing to smooth: the value only falls until a renewal). Missing data is
 * `ignore`d: a day ACM skipped must not flip the alarm to INSUFFICIENT_DATA and back (a second notification for one
 * problem), and once a certificate has expired and ACM stops publishing, the alarm stays in ALARM. A brand-new alarm
 * sits in INSUFFICIENT_DATA until the first datapoint arrives (within a day of issue), without notifying.
 */
export class CertificateExpiryAlarms extends Construct {
  /** The created topic, when no `snsTopicArn` was given. */
  public readonly topic?: SnsTopic;
  /** The customer-managed key the created topic is encrypted with. */
  public readonly topicKey?: KmsKey;
  public readonly subscription?: SnsTopicSubscription;
  /** The ARN the alarms notify. */
  public readonly topicArn: string;
  /** One alarm per certificate, in the order given. */
  public readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: CertificateExpiryAlarmsProps) {
    super(scope, id);
    const days = props.daysBeforeExpiry ?? DEFAULTS.expiryAlarm.daysBeforeExpiry!;
    if (props.snsTopicArn !== undefined) {
      this.topicArn = props.snsTopicArn;
    } else {
      // A customer-managed key, not the AWS-managed alias/aws/sns: CloudWatch cannot publish to a topic encrypted with
      // that one (its key policy admits no service principal), and an unencrypted topic fails checkov's CKV_AWS_26.
      this.topicKey = new KmsKey(this, "TopicKey", {
        description: `Encrypts the SNS topic ${props.namePrefix}-certificate-expiry (ACM certificate expiry alarms)`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(topicKeyPolicy(props.partition ?? "aws", props.accountId)),
      });
      this.topic = new SnsTopic(this, "Topic", { name: `${props.namePrefix}-certificate-expiry`, kmsMasterKeyId: this.topicKey.arn });
      this.topicArn = this.topic.arn;
      if (props.email !== undefined) {
        this.subscription = new SnsTopicSubscription(this, "EmailSubscription", {
          topicArn: this.topic.arn,
          protocol: "email",
          endpoint: props.email,
        });
      }
    }
    this.alarms = props.certificates.map(
      (certificate) =>
        new CloudwatchMetricAlarm(this, `Alarm-${certificate.id}`, {
          alarmName: `${props.namePrefix}-${certificate.id}-expiry`,
          alarmDescription:
            `ACM certificate for ${certificate.domainName} has fewer than ${days} days left: its managed renewal, which ` +
            "starts 60 days before expiry, has not succeeded. Check its DNS validation CNAMEs and the zones' CAA records.",
          namespace: "AWS/CertificateManager",
          metricName: "DaysToExpiry",
          dimensions: { CertificateArn: certificate.certificateArn },
          statistic: "Minimum",
          period: DAYS_TO_EXPIRY_PERIOD_SECONDS,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          comparisonOperator: "LessThanThreshold",
          threshold: days,
          treatMissingData: "ignore",
          alarmActions: [this.topicArn],
          okActions: [this.topicArn],
        }),
    );
  }
}

/** The account administers the key (so it can never become unmanageable); CloudWatch may only encrypt for it. */
function topicKeyPolicy(partition: string, accountId: string): object {
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
        Sid: "CloudWatchAlarmsPublishToTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}
