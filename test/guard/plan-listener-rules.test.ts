import { listenerProtocolsIn, listenerRuleProblemsInPlan } from "../../lib";

const HTTP_ARN = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/1111111111111111";
const HTTPS_ARN = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/2222222222222222";
const FORWARD = [{ type: "forward", target_group_arn: "arn:tg" }];

/** The parts of `terraform show -json` the check reads: a plan that updates a stack whose listeners exist. */
function planWith(rules: Array<{ name: string; listenerArn: string; action: unknown[] }>) {
  const listeners = [
    { address: "aws_lb_listener.http", mode: "managed", type: "aws_lb_listener", values: { arn: HTTP_ARN, protocol: "HTTP" } },
    { address: "aws_lb_listener.https", mode: "managed", type: "aws_lb_listener", values: { arn: HTTPS_ARN, protocol: "HTTPS" } },
  ];
  return {
    prior_state: { values: { root_module: { resources: listeners } } },
    planned_values: {
      root_module: {
        resources: [
          ...listeners,
          ...rules.map((r) => ({ address: `aws_lb_listener_rule.${r.name}`, mode: "managed", type: "aws_lb_listener_rule", values: { listener_arn: r.listenerArn, action: r.action } })),
        ],
      },
    },
    configuration: { root_module: { resources: rules.map((r) => ({ address: `aws_lb_listener_rule.${r.name}`, type: "aws_lb_listener_rule", expressions: {} })) } },
  };
}

describe("listenerRuleProblemsInPlan", () => {
  test("finds a rule's listener by its known ARN among the listeners the plan shows", () => {
    const plan = planWith([
      { name: "api", listenerArn: HTTP_ARN, action: FORWARD },
      { name: "secure", listenerArn: HTTPS_ARN, action: FORWARD },
    ]);
    expect(listenerRuleProblemsInPlan(plan)).toEqual([
      { address: "aws_lb_listener_rule.api", kind: "http-listener-rule", message: `on HTTP listener ${HTTP_ARN}: action type is "forward", not a redirect to HTTPS` },
    ]);
  });

  test("accepts a single 301 redirect to HTTPS on an HTTP listener", () => {
    const plan = planWith([{ name: "old", listenerArn: HTTP_ARN, action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", status_code: "HTTP_301" }] }] }]);
    expect(listenerRuleProblemsInPlan(plan)).toEqual([]);
  });

  test("lists the listeners of a plan or state for the check of another stack", () => {
    expect(listenerProtocolsIn(planWith([]))).toEqual({ [HTTP_ARN]: "HTTP", [HTTPS_ARN]: "HTTPS" });
    expect(listenerProtocolsIn({ values: { root_module: { resources: [{ address: "aws_alb_listener.x", type: "aws_alb_listener", values: { arn: "arn:x" } }] } } })).toEqual({
      "arn:x": "HTTP",
    });
  });

  test("leaves out a rule that suppresses http-listener-rule, as the synth-time guard does, and no other", () => {
    const plan = planWith([
      { name: "health", listenerArn: HTTP_ARN, action: FORWARD },
      { name: "api", listenerArn: HTTP_ARN, action: FORWARD },
    ]);
    const suppressions = [
      { address: "aws_lb_listener_rule.health", rule: "http-listener-rule" },
      { address: "aws_lb_listener_rule.api", rule: "listener-tls-policy" },
    ];
    expect(listenerRuleProblemsInPlan(plan, { suppressions }).map((p) => p.address)).toEqual(["aws_lb_listener_rule.api"]);
  });

  test("fails closed on values known only after apply: an unknown listener protocol counts as HTTP, an unknown action is no redirect", () => {
    // GIVEN a listener whose protocol and a rule whose listener_arn and action are unknown in the plan (absent from
    // planned_values), the rule's listener known through the configuration's references
    const plan = {
      planned_values: {
        root_module: {
          resources: [
            { address: "aws_lb_listener.later", mode: "managed", type: "aws_lb_listener", values: {} },
            { address: "aws_lb_listener_rule.later", mode: "managed", type: "aws_lb_listener_rule", values: {} },
          ],
        },
      },
      configuration: {
        root_module: {
          resources: [{ address: "aws_lb_listener_rule.later", type: "aws_lb_listener_rule", expressions: { listener_arn: { references: ["aws_lb_listener.later.arn", "aws_lb_listener.later"] } } }],
        },
      },
    };
    expect(listenerRuleProblemsInPlan(plan)).toEqual([
      { address: "aws_lb_listener_rule.later", kind: "http-listener-rule", message: "on HTTP listener aws_lb_listener.later: action must be a single redirect to HTTPS, found 0 actions" },
    ]);
  });

  test("ignores plans without listener rules", () => {
    expect(listenerRuleProblemsInPlan({})).toEqual([]);
  });
});
