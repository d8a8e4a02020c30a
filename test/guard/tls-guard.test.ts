import * as fs from "fs";
import * as path from "path";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AlbListener } from "@cdktf/provider-aws/lib/alb-listener";
import { LbListener, LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { Aspects, Fn, TerraformStack, Testing } from "cdktf";
import { suppressTlsGuard, TlsGuard } from "../../lib";
import { buildWeakStack } from "../fixtures/weak-stack";
import { guardedStack, violationsOf } from "../support/guard";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
const REDIRECT = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

/** A user's own stack with the guard applied, as the README tells them to. */

function listener(stack: TerraformStack, id: string, config: Partial<LbListenerConfig>): LbListener {
  return new LbListener(stack, id, { loadBalancerArn: ALB, defaultAction: [{ type: "forward", targetGroupArn: TARGET_GROUP }], ...config });
}


describe("TlsGuard", () => {
  test("rejects the weak fixture with every one of its violations in one error", () => {
    // GIVEN the stack checkov must also fail on
    const stack = buildWeakStack(Testing.app(), "weak");
    Aspects.of(stack).add(new TlsGuard());
    // THEN
    expect(violationsOf(stack)).toEqual([
      'weak/certificate [certificate-dns-validation] validation_method is "EMAIL"; only DNS validation renews without a person',
      'weak/certificate [certificate-transparency] certificate_transparency_logging_preference is "DISABLED"',
      'weak/https [listener-tls-policy] ssl_policy "ELBSecurityPolicy-2016-08" allows TLSv1; the minimum is TLSv1.2',
      'weak/http [http-redirect] default_action type is "forward", not a redirect to HTTPS',
    ]);
  });

  test("accepts TLS 1.2+ HTTPS listeners, 301 redirects and DNS-validated certificates", () => {
    const stack = guardedStack();
    listener(stack, "https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", certificateArn: CERT });
    listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction: [REDIRECT] });
    new AcmCertificate(stack, "cert", { domainName: "example.com", validationMethod: "DNS" });
    new AcmCertificate(stack, "imported", { certificateBody: "-----BEGIN CERTIFICATE-----", privateKey: "-----BEGIN PRIVATE KEY-----" });
    new LbListenerCertificate(stack, "extra", { listenerArn: "arn:listener", certificateArn: CERT });
    expect(violationsOf(stack)).toEqual([]);
  });

  test.each([
    ["a policy that allows TLS 1.1", { sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" }, /allows TLSv1\.1; the minimum is TLSv1\.2/],
    ["a name that is no predefined policy", { sslPolicy: "MyCustomPolicy" }, /"MyCustomPolicy" is not a predefined ALB security policy/],
    ["no policy at all (AWS would apply 2016-08)", { sslPolicy: undefined }, /ssl_policy is unset, so AWS applies ELBSecurityPolicy-2016-08/],
    ["a policy that is not known at synth", { sslPolicy: Fn.lower("X") }, /ssl_policy "\$\{lower\(\\"X\\"\)\}" is not known at synth$/],
  ])("rejects an HTTPS listener with %s", (_case, config, message) => {
    const stack = guardedStack();
    listener(stack, "https", { port: 443, protocol: "HTTPS", certificateArn: CERT, ...config });
    const violations = violationsOf(stack);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^user\/https \[listener-tls-policy\]/);
    expect(violations[0]).toMatch(message);
  });

  test("checks TLS listeners and the aws_alb_listener alias too", () => {
    const stack = guardedStack();
    listener(stack, "tls", { port: 443, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT });
    new AlbListener(stack, "alb", { loadBalancerArn: ALB, port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT, defaultAction: [REDIRECT] });
    expect(violationsOf(stack)).toEqual([
      expect.stringMatching(/^user\/tls \[listener-tls-policy\]/),
      expect.stringMatching(/^user\/alb \[listener-tls-policy\]/),
    ]);
  });

  test("sees a weak policy written through an escape-hatch override", () => {
    const stack = guardedStack();
    listener(stack, "https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT })
      .addOverride("ssl_policy", "ELBSecurityPolicy-2016-08");
    expect(violationsOf(stack)).toEqual([expect.stringContaining('ssl_policy "ELBSecurityPolicy-2016-08" allows TLSv1')]);
  });

  test("rejects an HTTPS listener without a certificate and a listener certificate without an ARN", () => {
    const stack = guardedStack();
    listener(stack, "https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    new LbListenerCertificate(stack, "extra", { listenerArn: "arn:listener", certificateArn: "" });
    expect(violationsOf(stack)).toEqual([
      "user/https [listener-certificate] HTTPS listener has no certificate_arn",
      "user/extra [listener-certificate] certificate_arn is missing",
    ]);
  });

  test.each([
    ["forwards", [{ type: "forward", targetGroupArn: TARGET_GROUP }], /default_action type is "forward"/],
    ["redirects to plain HTTP", [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080", statusCode: "HTTP_301" } }], /redirect protocol is "HTTP", not HTTPS/],
    ["redirects temporarily (302)", [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_302" } }], /status_code is "HTTP_302", not HTTP_301/],
    ["redirects to the same protocol by default", [{ type: "redirect", redirect: { statusCode: "HTTP_301" } }], /redirect protocol is "#\{protocol\}"/],
  ])("rejects an HTTP listener that %s", (_case, defaultAction, message) => {
    const stack = guardedStack();
    listener(stack, "http", { port: 80, protocol: "HTTP", defaultAction });
    expect(violationsOf(stack)).toEqual([expect.stringMatching(message)]);
  });

  test("treats a listener without a protocol as HTTP, AWS's default for an ALB", () => {
    const stack = guardedStack();
    listener(stack, "noproto", { port: 80 });
    expect(violationsOf(stack)).toEqual([expect.stringMatching(/^user\/noproto \[http-redirect\]/)]);
  });

  test("rejects a requested certificate without a validation method", () => {
    const stack = guardedStack();
    new AcmCertificate(stack, "cert", { domainName: "example.com" });
    expect(violationsOf(stack)).toEqual(['user/cert [certificate-dns-validation] validation_method is null; only DNS validation renews without a person']);
  });

  describe("suppression", () => {
    const reason = "Legacy kiosk clients only speak TLS 1.0; retired by 2027-03 (TICKET-123).";

    test("exempts one resource from one rule and writes the reason into the synthesized metadata", () => {
      // GIVEN
      const stack = guardedStack();
      const weak = listener(stack, "legacy", { port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT });
      // WHEN
      suppressTlsGuard(weak, "listener-tls-policy", reason);
      // THEN
      const outdir = Testing.fullSynth(stack);
      const parsed = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "user", "cdk.tf.json"), "utf8"));
      const synthesized = Object.values(parsed.resource.aws_lb_listener)[0] as any;
      expect(synthesized["//"].tls_guard_suppressions).toEqual({ "listener-tls-policy": reason });
      expect(synthesized.ssl_policy).toBe("ELBSecurityPolicy-2016-08");
    });

    test("reports a suppressed violation as a synth warning naming the reason", () => {
      const stack = guardedStack();
      const weak = listener(stack, "legacy", { port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT });
      suppressTlsGuard(weak, "listener-tls-policy", reason);
      Testing.synth(stack);
      const warnings = weak.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
      expect(warnings).toContainEqual(expect.stringContaining(`TLS guard rule listener-tls-policy suppressed: ${reason}`));
    });

    test("leaves the other rules in force on the same resource and every rule on other resources", () => {
      const stack = guardedStack();
      const weak = listener(stack, "legacy", { port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" });
      listener(stack, "other", { port: 9443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT });
      suppressTlsGuard(weak, "listener-tls-policy", reason);
      expect(violationsOf(stack)).toEqual([
        "user/legacy [listener-certificate] HTTPS listener has no certificate_arn",
        expect.stringMatching(/^user\/other \[listener-tls-policy\]/),
      ]);
    });

    test.each([[""], ["   "], ["because"], [undefined as unknown as string]])("requires a written reason, refusing %p", (bad) => {
      const stack = guardedStack();
      const weak = listener(stack, "legacy", { port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERT });
      expect(() => suppressTlsGuard(weak, "listener-tls-policy", bad)).toThrow(/a written reason of at least 20 characters is required/);
      expect(violationsOf(stack)).toHaveLength(1);
    });

    test("refuses a rule that does not exist", () => {
      const stack = guardedStack();
      const weak = listener(stack, "legacy", { port: 80, protocol: "HTTP" });
      expect(() => suppressTlsGuard(weak, "tls-everything" as never, reason)).toThrow(/unknown rule "tls-everything"/);
    });
  });
});
