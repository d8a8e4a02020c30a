import { z } from "zod";
import { parseSnsTopicArn } from "../../aws/arns";
import { ExpiryAlarmConfig } from "../environment-config";
import { FieldProblem, FieldSpec, isObject, problem } from "./field";

/** ACM starts the managed renewal of a DNS-validated certificate 60 days before it expires. */
export const ACM_RENEWAL_WINDOW_DAYS = 60;
const alarmShape = z
  .object({ daysBeforeExpiry: z.number().int().optional(), snsTopicArn: z.string().optional(), email: z.string().optional() })
  .strict();
const EMAIL = /^[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+$/;

/**
 * expiryAlarm: the threshold must lie inside ACM's renewal window. At 60 or more the alarm fires on every healthy
 * certificate before ACM has even tried to renew it (a false alarm every cycle, which teaches people to ignore it);
 * below 1 it fires after the certificate has expired. The topic must be one the alarm can notify: CloudWatch alarm
 * actions name a topic in the alarm's own region; its account is the stack's, whose alarms publish to it.
 */
export const expiryAlarm: FieldSpec<"expiryAlarm"> = {
  // false, or the object; a mistake inside the object keeps its own path and wording (a plain z.union would report
  // any of them as "invalid input" on expiryAlarm).
  schema: z.unknown().superRefine((value, context) => {
    if (value === undefined || value === false) return;
    if (!isObject(value)) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: "must be false (no alarms) or an object" });
      return;
    }
    const parsed = alarmShape.safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue(issue);
  }) as z.ZodType<ExpiryAlarmConfig | false | undefined, z.ZodTypeDef, unknown>,
  rules: (value, { region, accountId, agreeingLoadBalancer }) => {
    if (value === false) return [];
    const problems: FieldProblem[] = [];
    const days = value.daysBeforeExpiry;
    if (days !== undefined && (days < 1 || days >= ACM_RENEWAL_WINDOW_DAYS)) {
      problems.push(
        problem(
          "expiryAlarm.daysBeforeExpiry",
          days,
          `must be between 1 and ${ACM_RENEWAL_WINDOW_DAYS - 1}: ACM starts renewing ${ACM_RENEWAL_WINDOW_DAYS} days before expiry, so a higher threshold alarms on every healthy certificate`,
        ),
      );
    }
    const topicArn = value.snsTopicArn;
    if (topicArn !== undefined) {
      const topic = parseSnsTopicArn(topicArn);
      // The stack's account: accountId, else the load balancer's (the stack's resources live there).
      const account = accountId ?? agreeingLoadBalancer?.account;
      if (topic === undefined) {
        problems.push(problem("expiryAlarm.snsTopicArn", topicArn, "is not an SNS topic ARN (expected arn:aws:sns:<region>:<12-digit account>:<topic name>)"));
      } else {
        if (region !== undefined && topic.region !== region) {
          problems.push(problem("expiryAlarm.snsTopicArn", topicArn, `region ${topic.region} does not match environment region ${region} (alarms notify topics in their own region)`));
        }
        if (account !== undefined && topic.account !== account) {
          problems.push(problem("expiryAlarm.snsTopicArn", topicArn, `account ${topic.account} does not match the stack's account ${account}`));
        }
      }
    }
    if (value.email !== undefined) {
      if (topicArn !== undefined) {
        problems.push(problem("expiryAlarm.email", value.email, "only subscribes to the topic the stack creates; with snsTopicArn, subscribe where that topic is managed"));
      } else if (!EMAIL.test(value.email) || value.email.length > 254) {
        problems.push(problem("expiryAlarm.email", value.email, "is not an e-mail address"));
      }
    }
    return problems;
  },
};
