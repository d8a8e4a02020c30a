import { z } from "zod";
import { describeBadElbArn, parseTargetGroupArn } from "../../aws/arns";
import { FieldProblem, FieldSpec, problem } from "./field";

/**
 * targetGroupArn: in the load balancer's region and account. It is compared with the load balancer when that agrees
 * with the environment, else with the environment: a load balancer in the wrong region or account is reported on
 * loadBalancerArn, not again on a target group that is right.
 */
export const targetGroupArn: FieldSpec<"targetGroupArn"> = {
  schema: z.string().optional(),
  rules: (value, { region, accountId, loadBalancer: alb }) => {
    const tg = parseTargetGroupArn(value);
    if (tg === undefined) return [problem("targetGroupArn", value, describeBadElbArn(value, "targetgroup"))];
    const problems: FieldProblem[] = [];
    const add = (message: string) => problems.push(problem("targetGroupArn", value, message));
    const albRegionAgrees = alb !== undefined && (region === undefined || alb.region === region);
    if (albRegionAgrees && tg.region !== alb.region) add(`region ${tg.region} differs from the load balancer's region ${alb.region}`);
    else if (!albRegionAgrees && region !== undefined && tg.region !== region) add(`region ${tg.region} does not match environment region ${region}`);
    const albAccountAgrees = alb !== undefined && (accountId === undefined || alb.account === accountId);
    if (albAccountAgrees && tg.account !== alb.account) add(`account ${tg.account} differs from the load balancer's account ${alb.account}`);
    else if (!albAccountAgrees && accountId !== undefined && tg.account !== accountId) add(`account ${tg.account} does not match accountId ${accountId}`);
    return problems;
  },
};
