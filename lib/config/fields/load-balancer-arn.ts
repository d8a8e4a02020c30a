import { z } from "zod";
import { describeBadElbArn, parseAlbArn } from "../../aws/arns";
import { FieldProblem, FieldSpec, problem } from "./field";

/** loadBalancerArn: an Application Load Balancer in the environment's region and account. */
export const loadBalancerArn: FieldSpec<"loadBalancerArn"> = {
  schema: z.string(),
  rules: (value, context) => {
    const alb = parseAlbArn(value);
    if (alb === undefined) return [problem("loadBalancerArn", value, describeBadElbArn(value, "loadbalancer/app"))];
    const problems: FieldProblem[] = [];
    if (context.region !== undefined && alb.region !== context.region) {
      problems.push(problem("loadBalancerArn", value, `region ${alb.region} does not match environment region ${context.region}`));
    }
    if (context.accountId !== undefined && alb.account !== context.accountId) {
      problems.push(problem("loadBalancerArn", value, `account ${alb.account} does not match accountId ${context.accountId}`));
    }
    return problems;
  },
};
