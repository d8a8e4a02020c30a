import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LbListener, LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Aspects, Fn, TerraformStack } from "cdktf";
import { listenerRuleProblemsInPlan, TlsGuard } from "../../lib";
import { describeWithTerraform, planStackDirectory, PlanResult } from "../support/terraform";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
/** A listener of another stack: its protocol is in no plan of this one. */
const EXTERNAL_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/f2f7dc8efc522ab2";
const FORWARD: LbListenerRuleAction[] = [{ type: "forward", targetGroupArn: TARGET_GROUP }];
const REDIRECT: LbListenerRuleAction[] = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
const path_ = (p: string) => [{ pathPattern: { values: [p] } }];

/**
 * A stack the synth-time guard passes (with warnings): the rules whose listener it cannot resolve reach the plan.
 * `hidden` forwards on the HTTP listener through an expression; `external` forwards on a listener of another stack.
 */
function synthRulesStack(outdir: string): string {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "rules");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  Aspects.of(stack).add(new TlsGuard());
  const listener = (id: string, config: Partial<LbListenerConfig>) => new LbListener(stack, id, { loadBalancerArn: ALB, defaultAction: REDIRECT, ...config });
  const http = listener("http", { port: 80, protocol: "HTTP" });
  const https = listener("https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT, defaultAction: FORWARD });
  new LbListenerRule(stack, "secure", { listenerArn: https.arn, priority: 10, action: FORWARD, condition: path_("/api/*") });
  new LbListenerRule(stack, "hidden", { listenerArn: Fn.element([http.arn], 0), priority: 20, action: FORWARD, condition: path_("/api/*") });
  new LbListenerRule(stack, "legacy", { listenerArn: Fn.element([http.arn], 0), priority: 30, action: REDIRECT, condition: path_("/old/*") });
  new LbListenerRule(stack, "external", { listenerArn: EXTERNAL_LISTENER, priority: 40, action: FORWARD, condition: path_("/api/*") });
  app.synth();
  return path.join(outdir, "stacks", "rules");
}

describeWithTerraform("plan-time listener-rule check on a real plan (real Terraform, offline)", () => {
  let outdir: string;
  let result: PlanResult;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "listener-rules-plan-"));
    result = planStackDirectory(synthRulesStack(outdir));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("the synth-time guard let every rule through (it could not resolve two listeners)", () => {
    expect(Object.keys(result.resources).filter((a) => a.startsWith("aws_lb_listener_rule.")).sort()).toEqual([
      "aws_lb_listener_rule.external",
      "aws_lb_listener_rule.hidden",
      "aws_lb_listener_rule.legacy",
      "aws_lb_listener_rule.secure",
    ]);
  });

  test("flags the rule that forwards on the HTTP listener through an expression, and the one whose listener is in no plan", () => {
    expect(listenerRuleProblemsInPlan(result.plan)).toEqual([
      {
        address: "aws_lb_listener_rule.external",
        kind: "unresolved-listener",
        message: `listener ${EXTERNAL_LISTENER} is not in the plan: pass its protocol in options.listeners so the rule can be checked`,
      },
      {
        address: "aws_lb_listener_rule.hidden",
        kind: "http-listener-rule",
        message: 'on HTTP listener aws_lb_listener.http: action type is "forward", not a redirect to HTTPS',
      },
    ]);
  });

  test("checks the external listener's rule once its protocol is known: flagged on HTTP, allowed on HTTPS", () => {
    const onHttp = listenerRuleProblemsInPlan(result.plan, { listeners: { [EXTERNAL_LISTENER]: "HTTP" } });
    expect(onHttp.map((p) => [p.address, p.kind, p.message])).toEqual([
      ["aws_lb_listener_rule.external", "http-listener-rule", `on HTTP listener ${EXTERNAL_LISTENER}: action type is "forward", not a redirect to HTTPS`],
      ["aws_lb_listener_rule.hidden", "http-listener-rule", expect.stringMatching(/^on HTTP listener aws_lb_listener\.http:/)],
    ]);
    const onHttps = listenerRuleProblemsInPlan(result.plan, { listeners: { [EXTERNAL_LISTENER]: "HTTPS" } });
    expect(onHttps.map((p) => p.address)).toEqual(["aws_lb_listener_rule.hidden"]);
  });
});
