import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { maxExpiryAlarmDays, scheduleDate } from "../aws/certificate-lifetimes";
import { AlarmTopic } from "./alarm-topic";

/** One certificate to watch. */
export interface WatchedCertificate {
  /** Readable, stable id (the certificate construct's id): names the alarm and its construct. */
  readonly id: string;
  /** ARN of the certificate (the `CertificateArn` dimension of the metric, and the resource of ACM's events). */
  readonly certificateArn: string;
  /** The certificate's primary name, for the alarm description. */
  readonly domainName: string;
}

/** The topic a stack's alarms notify when it is not given one: `<stack id>-certificate-expiry`. */
export function expiryTopicName(namePrefix: string): string {
  return `${namePrefix}-certificate-expiry`;
}

/** The alarm of one certificate: `<stack id>-<certificate construct id>-expiry`. */
export function expiryAlarmName(namePrefix: string, certificateId: string): string {
  return `${namePrefix}-${certificateId}-expiry`;
}

/** The EventBridge rule for ACM's renewal-failure events: `<stack id>-certificate-events`. */
export function renewalEventRuleName(namePrefix: string): string {
  return `${namePrefix}-certificate-events`;
}

/** The ARN of a rule on the account's default event bus. */
export function eventRuleArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
}

/**
 * ACM's EventBridge events that say a renewal needs someone: it could not complete by itself (a validation CNAME
 * missing, a CAA set refusing Amazon, DNS unreachable), or it never happened. "ACM Certificate Approaching
 * Expiration" is left out: it starts on a fixed day before expiry whether renewal is healthy or not.
 */
export const RENEWAL_FAILURE_EVENTS = ["ACM Certificate Renewal Action Required", "ACM Certificate Expired"] as const;

export interface CertificateExpiryAlarmsProps {
  /** The certificates, one alarm each. */
  readonly certificates: readonly WatchedCertificate[];
  /** Account of the stack: the alarms' and rule's account, and the created topic's. */
  readonly accountId: string;
  /** Region of the stack (for the names' ARNs). */
  readonly region: string;
  /**
   * AWS partition of the account.
   * @default "aws"
   */
  readonly partition?: string;
  /** Prefix of every alarm name, the rule's name and the created topic's name (the stack id), unique per account and region. */
  readonly namePrefix: string;
  /**
   * The alarm fires when a certificate has fewer days left than this.
   * @default the most that stays below ACM's renewal start for certificates issued on the day of synth (30 from
   * 2026-03-15, 15 from 2027-03-15, 7 from 2029-03-15; lib/aws/certificate-lifetimes.ts)
   */
  readonly daysBeforeExpiry?: number;
  /**
   * Existing SNS topic to notify (the bootstrap stack's, or one of your own).
   * @default - a topic created here, `<namePrefix>-certificate-expiry` (AlarmTopic)
   */
  readonly snsTopicArn?: string;
  /**
   * E-mail address subscribed to the created topic. Ignored with `snsTopicArn` (validation rejects the pair).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * An EventBridge rule for ACM's renewal-failure events of these certificates, to the same topic.
   * @default true
   */
  readonly renewalEvents?: boolean;
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
  public readonly topic?: AlarmTopic;
  /** The ARN the alarms and the rule notify. */
  public readonly topicArn: string;
  /** One alarm per certificate, in the order given. */
  public readonly alarms: readonly CloudwatchMetricAlarm[];
  /** With `renewalEvents`: the rule for ACM's renewal-failure events, and its target (the topic). */
  public readonly renewalEventRule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: CertificateExpiryAlarmsProps) {
    super(scope, id);
    const days = props.daysBeforeExpiry ?? maxExpiryAlarmDays(scheduleDate());
    const partition = props.partition ?? "aws";
    const renewalEvents = props.renewalEvents ?? true;
    const ruleName = renewalEventRuleName(props.namePrefix);
    if (props.snsTopicArn !== undefined) {
      this.topicArn = props.snsTopicArn;
    } else {
      this.topic = new AlarmTopic(this, "Topic", {
        name: expiryTopicName(props.namePrefix),
        accountId: props.accountId,
        region: props.region,
        partition,
        eventRuleArns: renewalEvents ? [eventRuleArn(partition, props.region, props.accountId, ruleName)] : [],
        email: props.email,
      });
      this.topicArn = this.topic.topic.arn;
    }
    this.alarms = props.certificates.map(
      (certificate) =>
        new CloudwatchMetricAlarm(this, `Alarm-${certificate.id}`, {
          alarmName: expiryAlarmName(props.namePrefix, certificate.id),
          alarmDescription:
            `ACM certificate for ${certificate.domainName} has fewer than ${days} days left: its managed renewal, which ` +
            "starts earlier, has not succeeded. Check its DNS validation CNAMEs and the zones' CAA records.",
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
    if (renewalEvents && props.certificates.length > 0) {
      this.renewalEventRule = new CloudwatchEventRule(this, "RenewalEvents", {
        name: ruleName,
        description: `ACM renewal-failure events of ${props.namePrefix}'s certificates`,
        eventPattern: Fn.jsonencode({
          source: ["aws.acm"],
          "detail-type": [...RENEWAL_FAILURE_EVENTS],
          resources: props.certificates.map((certificate) => certificate.certificateArn),
        }),
      });
      new CloudwatchEventTarget(this, "RenewalEventsTarget", { rule: this.renewalEventRule.name, targetId: "expiry-topic", arn: this.topicArn });
    }
  }
}
