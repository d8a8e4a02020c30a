import { z } from "zod";
import { describeBadIamRoleArn, parseIamRoleArn } from "../../aws/arns";
import { FieldProblem, FieldSpec, problem } from "./field";

/** IAM's longest role name. */
const MAX_ROLE_NAME = 64;

/**
 * The read-only role plans assume when `dnsReadRoleArn` is not set: `dnsRoleArn`'s path and name with `-read`.
 * Undefined when dnsRoleArn is not a role ARN or the name would be too long.
 */
export function defaultDnsReadRoleArn(dnsRoleArn: string): string | undefined {
  const role = parseIamRoleArn(dnsRoleArn);
  if (role === undefined) return undefined;
  const name = role.name.split("/").pop()!;
  return name.length + "-read".length > MAX_ROLE_NAME ? undefined : `${dnsRoleArn}-read`;
}

/** The role a plan of the environment's stack assumes for its records (undefined without dnsRoleArn). */
export function effectiveDnsReadRoleArn(config: { readonly dnsRoleArn?: string; readonly dnsReadRoleArn?: string }): string | undefined {
  return config.dnsRoleArn === undefined ? undefined : (config.dnsReadRoleArn ?? defaultDnsReadRoleArn(config.dnsRoleArn));
}

/**
 * dnsReadRoleArn: with dnsRoleArn, the role in the zones' account that plans and drift checks assume: it may only read
 * the records, so a pull request's plan job (which anyone who can open one runs) can never change DNS. A role ARN in the
 * same account as dnsRoleArn and not dnsRoleArn itself. Without dnsRoleArn it would do nothing, so it is refused.
 */
export const dnsReadRoleArn: FieldSpec<"dnsReadRoleArn"> = {
  schema: z.string().optional(),
  rules: (value, { raw }) => {
    const problems: FieldProblem[] = [];
    const role = parseIamRoleArn(value);
    if (role === undefined) return [problem("dnsReadRoleArn", value, describeBadIamRoleArn(value))];
    if (typeof raw.dnsRoleArn !== "string") {
      return [problem("dnsReadRoleArn", value, "only means something with dnsRoleArn (the records are otherwise read with the stack's own credentials)")];
    }
    const write = parseIamRoleArn(raw.dnsRoleArn);
    if (write !== undefined) {
      if (value === raw.dnsRoleArn) problems.push(problem("dnsReadRoleArn", value, "is dnsRoleArn itself: plans would assume the role that can write the records"));
      else if (role.account !== write.account || role.partition !== write.partition) {
        problems.push(problem("dnsReadRoleArn", value, `account ${role.account} differs from dnsRoleArn's account ${write.account} (both read the same zones)`));
      }
    }
    return problems;
  },
};
