import { AlbListenerRule } from "@cdktf/provider-aws/lib/alb-listener-rule";
import { LbListener, LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Fn, TerraformStack, Testing } from "cdktf";
import { suppressTlsGuard, TlsGuardError, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";
import { guardedStack } from "../support/guard";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
const EXTERNAL_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/f2f7dc8efc522ab2";
const FORWARD: LbListenerRuleAction[] = [{ type: "forward", targetGroupArn: TARGET_GROUP }];
const API = [{ pathPattern: { values: ["/api/*"] } }];
const REDIRECT = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };


function listener(stack: TerraformStack, id: string, config: Partial<LbListenerConfig>): LbListener {
  return new LbListener(stack, id, { loadBalancerArn: ALB, defaultAction: [REDIRECT], ...config });
}

const http = (stack: TerraformStack) => listener(stack, "http", { port: 80, protocol: "HTTP" });
const https = (stack: TerraformStack) =>
  listener(stack, "https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT, defaultAction: FORWARD });

function violationsOf(stack: TerraformStack): string[] {
  try {
    Testing.synth(stack);
  } catch (error) {
    if (error instanceof TlsGuardError) return error.violations.map((v) => `${v.path} (${v.resourceType}) [${v.rule}] ${v.message}`);
    throw error;
  }
  return [];
}

describe("TlsGuard: listener rules", () => {
  test("rejects a rule that forwards /api/* on the HTTP listener of the same stack", () => {
    // GIVEN the measured case: plain-HTTP content served beside the redirect
    const stack = guardedStack();
    new LbListenerRule(stack, "api", { listenerArn: http(stack).arn, priority: 10, action: FORWARD, condition: API });
    // THEN
    expect(violationsOf(stack)).toEqual([
      'user/api (aws_lb_listener_rule) [http-listener-rule] on HTTP listener user/http: action type is "forward", not a redirect to HTTPS',
    ]);
  });

  test("checks the aws_alb_listener_rule alias too", () => {
    const stack = guardedStack();
    new AlbListenerRule(stack, "api", { listenerArn: http(stack).arn, action: FORWARD, condition: API });
    expect(violationsOf(stack)).toEqual([expect.stringMatching(/^user\/api \(aws_alb_listener_rule\) \[http-listener-rule\]/)]);
  });

  test.each([
    ["a 302 redirect", [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_302" } }], /status_code is "HTTP_302", not HTTP_301/],
    ["a redirect to plain HTTP", [{ type: "redirect", redirect: { protocol: "HTTP", statusCode: "HTTP_301" } }], /redirect protocol is "HTTP", not HTTPS/],
    ["a fixed response", [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200", messageBody: "ok" } }], /action type is "fixed-response"/],
  ])("rejects %s on an HTTP listener", (_case, action, message) => {
    const stack = guardedStack();
    new LbListenerRule(stack, "rule", { listenerArn: http(stack).arn, action, condition: API });
    expect(violationsOf(stack)).toEqual([expect.stringMatching(message)]);
  });

  test("treats a rule's listener without a protocol as HTTP, AWS's default for an ALB", () => {
    const stack = guardedStack();
    const noProtocol = listener(stack, "noproto", { port: 8080, protocol: undefined });
    suppressTlsGuard(noProtocol, "http-redirect", "Listener under test: only its rule is being checked here.");
    new LbListenerRule(stack, "rule", { listenerArn: noProtocol.arn, action: FORWARD, condition: API });
    expect(violationsOf(stack)).toEqual([expect.stringMatching(/^user\/rule .*\[http-listener-rule\] on HTTP listener user\/noproto/)]);
  });

  test("accepts a 301 redirect to HTTPS on an HTTP listener and any rule on an HTTPS listener", () => {
    const stack = guardedStack();
    new LbListenerRule(stack, "legacy", { listenerArn: http(stack).arn, action: [REDIRECT], condition: [{ pathPattern: { values: ["/old/*"] } }] });
    new LbListenerRule(stack, "api", { listenerArn: https(stack).arn, action: FORWARD, condition: API });
    expect(violationsOf(stack)).toEqual([]);
  });

  test("resolves a listener_arn written through an escape-hatch override", () => {
    const stack = guardedStack();
    const httpListener = http(stack);
    const rule = new LbListenerRule(stack, "api", { listenerArn: https(stack).arn, action: FORWARD, condition: API });
    rule.addOverride("listener_arn", httpListener.arn);
    expect(violationsOf(stack)).toEqual([expect.stringMatching(/^user\/api .*on HTTP listener user\/http:/)]);
  });

  test("leaves a rule on a listener from outside the stack to the plan-time check, with a warning that says so", () => {
    const stack = guardedStack();
    const external = new LbListenerRule(stack, "external", { listenerArn: EXTERNAL_LISTENER, action: FORWARD, condition: API });
    const expression = new LbListenerRule(stack, "expression", { listenerArn: Fn.element([http(stack).arn], 0), action: FORWARD, condition: API });
    expect(violationsOf(stack)).toEqual([]);
    for (const rule of [external, expression]) {
      const warnings = rule.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
      expect(warnings).toEqual([expect.stringMatching(/is no listener of this stack, so its protocol is unknown at synth; check the plan with listenerRuleProblemsInPlan/)]);
    }
  });

  test("can be suppressed on one rule with a written reason", () => {
    const stack = guardedStack();
    const rule = new LbListenerRule(stack, "health", { listenerArn: http(stack).arn, action: FORWARD, condition: [{ pathPattern: { values: ["/healthz"] } }] });
    suppressTlsGuard(rule, "http-listener-rule", "Load-balancer health probe from the legacy monitor speaks HTTP only (EDGE-42).");
    expect(violationsOf(stack)).toEqual([]);
  });

  test("applies in TlsStack: a rule on its HTTP redirect listener that forwards fails synth", () => {
    const config = baseEnvironment();
    const stack = new TlsStack(Testing.app(), "tls-test", config);
    new LbListenerRule(stack, "Api", { listenerArn: stack.httpRedirect.arn, action: FORWARD, condition: API });
    new LbListenerRule(stack, "SecureApi", { listenerArn: stack.httpsListener.arn, action: FORWARD, condition: API });
    expect(() => Testing.synth(stack)).toThrow(/tls-test\/Api \(aws_lb_listener_rule\) \[http-listener-rule\]: on HTTP listener tls-test\/HttpRedirect\/Listener: action type is "forward"/);
    expect(() => Testing.synth(stack)).not.toThrow(/SecureApi/);
  });
});
