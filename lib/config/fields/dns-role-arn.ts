import { z } from "zod";
import { describeBadIamRoleArn, parseIamRoleArn } from "../../aws/arns";
import { defaultDnsReadRoleArn } from "./dns-read-role-arn";
import { FieldSpec, problem } from "./field";

/**
 * dnsRoleArn: an IAM role ARN (the provider's assume_role takes nothing else), in the load balancer's partition:
 * credentials of one partition cannot assume a role in another. Its account is free: it is usually another one.
 */
export const dnsRoleArn: FieldSpec<"dnsRoleArn"> = {
  schema: z.string().optional(),
  rules: (value, { loadBalancer, raw }) => {
    const role = parseIamRoleArn(value);
    if (role === undefined) return [problem("dnsRoleArn", value, describeBadIamRoleArn(value))];
    if (loadBalancer !== undefined && role.partition !== loadBalancer.partition) {
      return [problem("dnsRoleArn", value, `partition ${role.partition} differs from the load balancer's partition ${loadBalancer.partition}`)];
    }
    if (raw.dnsReadRoleArn === undefined && defaultDnsReadRoleArn(value) === undefined) {
      return [problem("dnsRoleArn", value, `role name is too long for the default read-only role "<name>-read" (IAM allows 64 characters); set dnsReadRoleArn`)];
    }
    return [];
  },
};
