/**
 * The TLS guard on values that are not known at synth (tokens: Terraform variables, functions, references; dynamic
 * blocks). Each fails closed at synth, naming the resource, the rule and the attribute, and can be suppressed with a
 * reason. Port is the one listener attribute that decides no rule, so a token port passes.
 */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AlbListener } from "@cdktf/provider-aws/lib/alb-listener";
import { LbListener, LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Fn, TerraformIterator, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { suppressTlsGuard, TlsGuardError, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";
import { guardedStack, violationsOf } from "../support/guard";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
const FORWARD = [{ type: "forward", targetGroupArn: TARGET_GROUP }];
const REDIRECT = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
const GOOD_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
const API = [{ pathPattern: { values: ["/api/*"] } }];

function listener(stack: TerraformStack, id: string, config: Partial<LbListenerConfig>): LbListener {
  return new LbListener(stack, id, { loadBalancerArn: ALB, defaultAction: FORWARD, ...config });
}

/** A Terraform variable of the stack: known at plan time, not at synth. */
function variable(stack: TerraformStack, name: string, type = "string"): TerraformVariable {
  return new TerraformVariable(stack, name, { type });
}

describe("TlsGuard: values not known at synth", () => {
  describe("a listener whose protocol is a token", () => {
    test("refuses a weak policy, whatever the protocol turns out to be (the reproduced case)", () => {
      // GIVEN a listener whose protocol is a Terraform variable, with a TLS 1.0 policy, serving content
      const stack = guardedStack();
      listener(stack, "edge", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04", certificateArn: CERT });
      // THEN it is checked as HTTPS/TLS and as HTTP, and fails both ways
      expect(violationsOf(stack)).toEqual([
        'user/edge [listener-tls-policy] protocol "${var.protocol}" is not known at synth; as HTTPS or TLS: ssl_policy "ELBSecurityPolicy-TLS-1-0-2015-04" allows TLSv1; the minimum is TLSv1.2',
        'user/edge [http-redirect] protocol "${var.protocol}" is not known at synth; as HTTP: default_action type is "forward", not a redirect to HTTPS',
      ]);
    });

    test("refuses a content-serving listener with a strong policy: as HTTP it would serve plaintext", () => {
      const stack = guardedStack();
      listener(stack, "edge", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: GOOD_POLICY, certificateArn: CERT });
      expect(violationsOf(stack)).toEqual([
        'user/edge [http-redirect] protocol "${var.protocol}" is not known at synth; as HTTP: default_action type is "forward", not a redirect to HTTPS',
      ]);
    });

    test('refuses Fn.lower("HTTP") on a content-serving listener (the reproduced case)', () => {
      const stack = guardedStack();
      listener(stack, "plain", { port: 80, protocol: Fn.lower("HTTP") });
      expect(violationsOf(stack)).toEqual([
        'user/plain [listener-tls-policy] protocol "${lower(\\"HTTP\\")}" is not known at synth; as HTTPS or TLS: ssl_policy is unset, so AWS applies ELBSecurityPolicy-2016-08, which allows TLSv1',
        'user/plain [listener-certificate] protocol "${lower(\\"HTTP\\")}" is not known at synth; as HTTPS or TLS: the listener has no certificate_arn',
        'user/plain [http-redirect] protocol "${lower(\\"HTTP\\")}" is not known at synth; as HTTP: default_action type is "forward", not a redirect to HTTPS',
      ]);
    });

    test("refuses the aws_alb_listener alias the same way", () => {
      const stack = guardedStack();
      new AlbListener(stack, "alias", { loadBalancerArn: ALB, port: 443, protocol: Fn.upper("https"), sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT, defaultAction: REDIRECT });
      expect(violationsOf(stack)).toEqual([
        'user/alias [listener-tls-policy] protocol "${upper(\\"https\\")}" is not known at synth; as HTTPS or TLS: ssl_policy "ELBSecurityPolicy-2016-08" allows TLSv1; the minimum is TLSv1.2',
      ]);
    });

    test("sees a token protocol written through an escape-hatch override", () => {
      // GIVEN a listener that passes as written, then overridden
      const stack = guardedStack();
      const overridden = listener(stack, "overridden", { port: 80, protocol: "HTTP", defaultAction: REDIRECT });
      overridden.addOverride("protocol", variable(stack, "protocol").stringValue);
      expect(violationsOf(stack)).toEqual([
        'user/overridden [listener-tls-policy] protocol "${var.protocol}" is not known at synth; as HTTPS or TLS: ssl_policy is unset, so AWS applies ELBSecurityPolicy-2016-08, which allows TLSv1',
        'user/overridden [listener-certificate] protocol "${var.protocol}" is not known at synth; as HTTPS or TLS: the listener has no certificate_arn',
      ]);
    });

    test("accepts a listener that is safe as HTTPS, TLS and HTTP alike (strong policy, certificate, 301 to HTTPS)", () => {
      const stack = guardedStack();
      listener(stack, "either", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: GOOD_POLICY, certificateArn: CERT, defaultAction: REDIRECT });
      expect(violationsOf(stack)).toEqual([]);
    });

    test("can be suppressed rule by rule with a reason; the other rule stays in force", () => {
      const stack = guardedStack();
      const edge = listener(stack, "edge", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04", certificateArn: CERT });
      suppressTlsGuard(edge, "http-redirect", "protocol is HTTPS in every workspace; the variable only exists for the blue/green switch (EDGE-7)");
      expect(violationsOf(stack)).toEqual([
        'user/edge [listener-tls-policy] protocol "${var.protocol}" is not known at synth; as HTTPS or TLS: ssl_policy "ELBSecurityPolicy-TLS-1-0-2015-04" allows TLSv1; the minimum is TLSv1.2',
      ]);
    });

    test("fails synth with an error that names the resource, the rule, the attribute and how to suppress", () => {
      const stack = guardedStack();
      listener(stack, "edge", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: GOOD_POLICY, certificateArn: CERT });
      let thrown: unknown;
      try {
        Testing.synth(stack);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TlsGuardError);
      expect((thrown as TlsGuardError).violations.map((v) => v.unresolved)).toEqual(["protocol"]);
      expect((thrown as Error).message).toBe(
        [
          "TLS guard: 1 violation:",
          '  - user/edge (aws_lb_listener) [http-redirect]: protocol "${var.protocol}" is not known at synth; as HTTP: default_action type is "forward", not a redirect to HTTPS',
          "A value that is not known at synth (a Terraform variable, a function such as Fn.lower, a reference, a dynamic block) cannot be proven to follow a rule, so it fails closed: write it as a literal, or suppress the rule with a reason that says why every value it can take is safe.",
          "Fix the resource, or suppress the rule on it with suppressTlsGuard(resource, rule, reason).",
        ].join("\n"),
      );
    });

    test("fails a TlsStack whose extension adds one", () => {
      const stack = new TlsStack(Testing.app(), "tls-test", baseEnvironment());
      new LbListener(stack, "Extra", { loadBalancerArn: ALB, port: 8080, protocol: Fn.lower("HTTP"), sslPolicy: GOOD_POLICY, certificateArn: CERT, defaultAction: FORWARD });
      expect(() => Testing.synth(stack)).toThrow(
        'tls-test/Extra (aws_lb_listener) [http-redirect]: protocol "${lower(\\"HTTP\\")}" is not known at synth; as HTTP: default_action type is "forward", not a redirect to HTTPS',
      );
    });
  });

  describe("a listener rule on a listener whose protocol is a token", () => {
    test("is checked as a rule on an HTTP listener", () => {
      const stack = guardedStack();
      const edge = listener(stack, "edge", { port: 443, protocol: variable(stack, "protocol").stringValue, sslPolicy: GOOD_POLICY, certificateArn: CERT, defaultAction: REDIRECT });
      new LbListenerRule(stack, "api", { listenerArn: edge.arn, priority: 10, action: FORWARD, condition: API });
      new LbListenerRule(stack, "legacy", { listenerArn: edge.arn, priority: 20, action: REDIRECT, condition: [{ pathPattern: { values: ["/old/*"] } }] });
      expect(violationsOf(stack)).toEqual([
        'user/api [http-listener-rule] on listener user/edge, whose protocol "${var.protocol}" is not known at synth: action type is "forward", not a redirect to HTTPS',
      ]);
    });
  });

  describe("an HTTP listener's default action", () => {
    test.each([
      ["a token action type", [{ type: Fn.lower("REDIRECT"), redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } }], 'default_action type "${lower(\\"REDIRECT\\")}" is not known at synth'],
      ["a token redirect protocol", [{ type: "redirect", redirect: { protocol: "${var.redirect_protocol}", statusCode: "HTTP_301" } }], 'redirect protocol "${var.redirect_protocol}" is not known at synth'],
      ["a token redirect status code", [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: Fn.upper("http_301") } }], 'redirect status_code "${upper(\\"http_301\\")}" is not known at synth'],
    ])("refuses %s", (_case, defaultAction, message) => {
      const stack = guardedStack();
      variable(stack, "redirect_protocol");
      listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction });
      expect(violationsOf(stack)).toEqual([`user/http [http-redirect] ${message}`]);
    });

    test("refuses actions built as a dynamic block: their number and content are not known at synth", () => {
      const stack = guardedStack();
      const actions = TerraformIterator.fromList(variable(stack, "actions", "list(any)").listValue);
      listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction: actions.dynamic({ type: "redirect", redirect: { protocol: "HTTPS", status_code: "HTTP_301" } }) as never });
      expect(violationsOf(stack)).toEqual(["user/http [http-redirect] default_action is a dynamic block, so its actions are not known at synth"]);
    });

    test("sees a token action type written through an escape-hatch override", () => {
      const stack = guardedStack();
      const http = listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction: REDIRECT });
      http.addOverride("default_action.0.type", variable(stack, "action_type").stringValue);
      expect(violationsOf(stack)).toEqual(['user/http [http-redirect] default_action type "${var.action_type}" is not known at synth']);
    });
  });

  describe("an HTTPS listener's TLS settings", () => {
    test("refuses a token ssl_policy on the aws_alb_listener alias", () => {
      const stack = guardedStack();
      new AlbListener(stack, "alias", { loadBalancerArn: ALB, port: 443, protocol: "HTTPS", sslPolicy: variable(stack, "ssl_policy").stringValue, certificateArn: CERT, defaultAction: FORWARD });
      expect(violationsOf(stack)).toEqual(['user/alias [listener-tls-policy] ssl_policy "${var.ssl_policy}" is not known at synth']);
    });

    test("refuses a token ssl_policy written through an escape-hatch override", () => {
      const stack = guardedStack();
      listener(stack, "https", { port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT }).addOverride("ssl_policy", Fn.lower("X"));
      expect(violationsOf(stack)).toEqual(['user/https [listener-tls-policy] ssl_policy "${lower(\\"X\\")}" is not known at synth']);
    });

    test.each([
      ["a token mode without a trust store", { mode: Fn.lower("VERIFY") }, 'mutual_authentication mode "${lower(\\"VERIFY\\")}" is not known at synth, and there is no trust_store_arn for verify'],
      ["verify with a trust store ARN from a variable", { mode: "verify", trustStoreArn: "${var.trust_store}" }, 'mutual_authentication trust_store_arn "${var.trust_store}" is not known at synth'],
      ["a token mode and a trust store ARN from a variable", { mode: "${var.mode}", trustStoreArn: "${var.trust_store}" }, 'mutual_authentication mode "${var.mode}" and trust_store_arn "${var.trust_store}" are not known at synth'],
    ])("refuses mutual TLS with %s", (_case, mutualAuthentication, message) => {
      const stack = guardedStack();
      variable(stack, "trust_store");
      variable(stack, "mode");
      listener(stack, "mtls", { port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT, mutualAuthentication });
      expect(violationsOf(stack)).toEqual([`user/mtls [listener-mutual-tls-trust-store] ${message}`]);
    });

    test("refuses mutual TLS written as a dynamic block through an escape-hatch override", () => {
      // (cdktf builds no dynamic block for a single nested block such as mutual_authentication; an override can.)
      const stack = guardedStack();
      variable(stack, "modes", "list(string)");
      listener(stack, "mtls", { port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT }).addOverride("dynamic.mutual_authentication", {
        for_each: "${var.modes}",
        content: { mode: "${mutual_authentication.value}" },
      });
      expect(violationsOf(stack)).toEqual(["user/mtls [listener-mutual-tls-trust-store] mutual_authentication is a dynamic block, so its mode and trust store are not known at synth"]);
    });

    test("accepts a token mode with a trust store named by a reference to a trust store", () => {
      const stack = guardedStack();
      listener(stack, "mtls", {
        port: 443,
        protocol: "HTTPS",
        sslPolicy: GOOD_POLICY,
        certificateArn: CERT,
        mutualAuthentication: { mode: variable(stack, "mode").stringValue, trustStoreArn: "${aws_lb_trust_store.clients.arn}" },
      });
      expect(violationsOf(stack)).toEqual([]);
    });
  });

  describe("port, which decides no rule", () => {
    test("a token listener port and redirect port pass when everything TLS-relevant is known and safe", () => {
      const stack = guardedStack();
      const port = variable(stack, "port", "number");
      listener(stack, "https", { port: port.numberValue, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT });
      listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: Fn.tostring(port.numberValue), statusCode: "HTTP_301" } }] });
      expect(violationsOf(stack)).toEqual([]);
    });

    test("a token port hides nothing: the listener's other values are still checked", () => {
      const stack = guardedStack();
      listener(stack, "https", { port: variable(stack, "port", "number").numberValue, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01", certificateArn: CERT });
      expect(violationsOf(stack)).toEqual(['user/https [listener-tls-policy] ssl_policy "ELBSecurityPolicy-TLS-1-1-2017-01" allows TLSv1.1; the minimum is TLSv1.2']);
    });
  });

  describe("a requested certificate", () => {
    test("refuses a token validation method and token transparency options", () => {
      const stack = guardedStack();
      new AcmCertificate(stack, "method", { domainName: "example.com", validationMethod: variable(stack, "validation_method").stringValue });
      new AcmCertificate(stack, "transparency", { domainName: "example.com", validationMethod: "DNS", options: { certificateTransparencyLoggingPreference: Fn.upper("enabled") } });
      new AcmCertificate(stack, "options", { domainName: "example.com", validationMethod: "DNS" }).addOverride("options", "${var.options}");
      expect(violationsOf(stack)).toEqual([
        'user/method [certificate-dns-validation] validation_method "${var.validation_method}" is not known at synth',
        'user/transparency [certificate-transparency] certificate_transparency_logging_preference "${upper(\\"enabled\\")}" is not known at synth',
        "user/options [certificate-transparency] options is not known at synth, so neither is certificate_transparency_logging_preference",
      ]);
    });
  });
});
