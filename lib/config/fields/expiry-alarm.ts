import { z } from "zod";
import { parseSnsTopicArn } from "../../aws/arns";
import { maxExpiryAlarmDays, maxValidityDays, nextValidityStep, validityStepOn } from "../../aws/certificate-lifetimes";
import { EXPIRY_ALARM_TOPICS, ExpiryAlarmConfig } from "../environment-config";
import { FieldProblem, FieldSpec, isObject, problem, templateProblem } from "./field";

const alarmShape = z
  .object({
    daysBeforeExpiry: z.number().int().optional(),
    snsTopicArn: z.string().optional(),
    topic: z.enum(EXPIRY_ALARM_TOPICS).optional(),
    email: z.string().optional(),
    renewalEvents: z.boolean().optional(),
  })
  .strict();
const EMAIL = /^[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+$/;

/**
 * expiryAlarm: the threshold must stay below the day ACM starts renewing a certificate issued today, or the alarm
 * fires during every routine renewal (a false alarm each cycle, which teaches people to ignore it); below 1 it fires
 * after the certificate has expired. The most allowed follows the CA/Browser Forum's schedule of lifetimes
 * (lib/aws/certificate-lifetimes.ts): 30 days from 2026-03-15, 15 from 2027-03-15, 7 from 2029-03-15. The topic must
 * be one the alarm can notify: CloudWatch alarm actions name a topic in the alarm's own region; its account is the
 * stack's, whose alarms publish to it. `topic` says who creates the topic when no `snsTopicArn` is given.
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
  rules: (value, { region, accountId, agreeingLoadBalancer, asOf }) => {
    if (value === false) return [];
    const problems: FieldProblem[] = [];
    const days = value.daysBeforeExpiry;
    const max = maxExpiryAlarmDays(asOf);
    if (days !== undefined && (days < 1 || days > max)) {
      problems.push(problem("expiryAlarm.daysBeforeExpiry", days, days < 1 ? "must be at least 1: below it the alarm fires only after the certificate has expired" : thresholdTooHigh(days, asOf)));
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
      if (value.topic !== undefined) {
        problems.push(problem("expiryAlarm.topic", value.topic, "says who creates the topic, and with snsTopicArn nobody here does: drop one of the two"));
      }
    }
    if (value.email !== undefined) {
      if (topicArn !== undefined) {
        problems.push(problem("expiryAlarm.email", value.email, "only subscribes to a topic the stack or the bootstrap stack creates; with snsTopicArn, subscribe where that topic is managed"));
      } else if (!EMAIL.test(value.email) || value.email.length > 254) {
        problems.push(problem("expiryAlarm.email", value.email, "is not an e-mail address"));
      } else {
        const template = templateProblem("expiryAlarm.email", value.email);
        if (template !== undefined) problems.push(template);
      }
    }
    return problems;
  },
};

/** Why a threshold above today's maximum is refused, with the schedule's numbers. */
function thresholdTooHigh(days: number, asOf: Date): string {
  const step = validityStepOn(asOf);
  const next = nextValidityStep(asOf);
  const max = maxExpiryAlarmDays(asOf);
  return (
    `must be at most ${max}: certificates issued from ${step.from} live at most ${maxValidityDays(asOf)} days (CA/Browser Forum ` +
    `ballot SC-081v3), and ACM starts renewing at least 60/395 of a lifetime before expiry (${max} days here), so an alarm ` +
    `at ${days} would fire during routine renewals` +
    (next === undefined ? "" : `; from ${next.from} (${next.maxDays}-day certificates) the most is ${Math.floor(next.maxDays * 60 / 395)}`)
  );
}
