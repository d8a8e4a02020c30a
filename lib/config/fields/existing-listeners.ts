import { z } from "zod";
import { describeBadListenerArn, parseListenerArn } from "../../aws/arns";
import { FieldProblem, FieldSpec, problem, ValidationContext } from "./field";

/**
 * existingListeners: each ARN is a listener of `loadBalancerArn` itself (same region, account, name and id), so the
 * import adopts a listener of this load balancer and no other. Without a valid load balancer ARN they are compared with
 * the environment's region and account instead (the load balancer's own mistake is reported on loadBalancerArn).
 */
export const existingListeners: FieldSpec<"existingListeners"> = {
  schema: z.object({ http: z.string().optional(), https: z.string().optional() }).strict().optional(),
  rules: (value, context) => {
    if (value.http === undefined && value.https === undefined) {
      return [problem("existingListeners", value, "names no listener (give http, https or both, or leave it out)")];
    }
    const problems: FieldProblem[] = [];
    for (const protocol of ["http", "https"] as const) {
      const arn = value[protocol];
      if (arn !== undefined) problems.push(...listenerProblems(`existingListeners.${protocol}`, arn, context));
    }
    if (value.http !== undefined && value.http === value.https) {
      problems.push(problem("existingListeners.https", value.https, "is the same listener as existingListeners.http (one listener has one port)"));
    }
    return problems;
  },
};

function listenerProblems(path: string, arn: string, { region, accountId, loadBalancer: alb }: ValidationContext): FieldProblem[] {
  const listener = parseListenerArn(arn);
  if (listener === undefined) return [problem(path, arn, describeBadListenerArn(arn))];
  const problems: FieldProblem[] = [];
  const add = (message: string) => problems.push(problem(path, arn, message));
  if (alb !== undefined) {
    if (listener.region !== alb.region) add(`region ${listener.region} differs from the load balancer's region ${alb.region}`);
    if (listener.account !== alb.account) add(`account ${listener.account} differs from the load balancer's account ${alb.account}`);
    if (listener.loadBalancerName !== alb.name || listener.loadBalancerId !== alb.id) {
      add(`belongs to load balancer ${listener.loadBalancerName}/${listener.loadBalancerId}, not to loadBalancerArn's ${alb.name}/${alb.id}`);
    }
    return problems;
  }
  if (region !== undefined && listener.region !== region) add(`region ${listener.region} does not match environment region ${region}`);
  if (accountId !== undefined && listener.account !== accountId) add(`account ${listener.account} does not match accountId ${accountId}`);
  return problems;
}
