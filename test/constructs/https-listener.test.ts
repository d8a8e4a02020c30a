import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Testing } from "cdktf";
import { DEFAULT_TLS_POLICY, HttpsListener, HttpsListenerProps } from "../../lib";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";

function synthListener(props: Partial<HttpsListenerProps> = {}): string {
  return Testing.synthScope((scope) => {
    new HttpsListener(scope, "Https", { loadBalancerArn: ALB, certificateArn: CERT, ...props });
  });
}

describe("HttpsListener", () => {
  test("listens for HTTPS on 443 with AWS's recommended post-quantum TLS 1.2+ policy by default", () => {
    // WHEN
    const synthesized = synthListener();
    // THEN
    expect(DEFAULT_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: ALB,
      port: 443,
      protocol: "HTTPS",
      ssl_policy: DEFAULT_TLS_POLICY,
      certificate_arn: CERT,
    });
  });

  test("answers a fixed 404 when no target group is given", () => {
    const synthesized = synthListener();
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      default_action: [
        { type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "404", message_body: "Not Found" } },
      ],
    });
  });

  test("forwards to the target group when one is given", () => {
    const synthesized = synthListener({ targetGroupArn: TARGET_GROUP });
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      default_action: [{ type: "forward", target_group_arn: TARGET_GROUP }],
    });
    expect(synthesized).not.toHaveResourceWithProperties(LbListener, { default_action: [{ type: "fixed-response" }] });
  });

  test("uses the given policy and port", () => {
    const synthesized = synthListener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", port: 8443 });
    expect(synthesized).toHaveResourceWithProperties(LbListener, { port: 8443, ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
  });

  test("leaves tags unset by default so only the provider's default tags apply", () => {
    const listener = JSON.parse(synthListener()).resource.aws_lb_listener;
    expect(Object.values(listener)[0]).not.toHaveProperty("tags");
  });
});

describe("HttpsListener security headers and mutual TLS", () => {
  const TRUST_STORE = "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/clients/0123456789abcdef";
  const listenerOf = (props: Partial<HttpsListenerProps> = {}): any => Object.values(JSON.parse(synthListener(props)).resource.aws_lb_listener)[0];

  test("sends a one-year Strict-Transport-Security header by default, without includeSubDomains or preload", () => {
    expect(listenerOf().routing_http_response_strict_transport_security_header_value).toBe("max-age=31536000");
  });

  test("writes includeSubDomains and preload into the header when asked", () => {
    const listener = listenerOf({ hsts: { maxAgeSeconds: 63072000, includeSubDomains: true, preload: true } });
    expect(listener.routing_http_response_strict_transport_security_header_value).toBe("max-age=63072000; includeSubDomains; preload");
  });

  test("withdraws HSTS with max-age=0, which tells browsers to forget it", () => {
    expect(listenerOf({ hsts: { maxAgeSeconds: 0 } }).routing_http_response_strict_transport_security_header_value).toBe("max-age=0");
  });

  test("leaves the HSTS attribute unset when hsts is false", () => {
    expect(listenerOf({ hsts: false })).not.toHaveProperty("routing_http_response_strict_transport_security_header_value");
  });

  test("sends X-Content-Type-Options: nosniff and keeps the Server header by default, and sets no frame or content policy", () => {
    const listener = listenerOf();
    expect(listener.routing_http_response_x_content_type_options_header_value).toBe("nosniff");
    expect(listener.routing_http_response_server_enabled).toBe(true);
    expect(listener).not.toHaveProperty("routing_http_response_x_frame_options_header_value");
    expect(listener).not.toHaveProperty("routing_http_response_content_security_policy_header_value");
  });

  test("writes the configured X-Frame-Options and Content-Security-Policy, and removes the Server header when asked", () => {
    const listener = listenerOf({ securityHeaders: { xFrameOptions: "DENY", contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'", serverHeader: false } });
    expect(listener).toMatchObject({
      routing_http_response_x_content_type_options_header_value: "nosniff",
      routing_http_response_x_frame_options_header_value: "DENY",
      routing_http_response_content_security_policy_header_value: "default-src 'self'; frame-ancestors 'none'",
      routing_http_response_server_enabled: false,
    });
  });

  test("leaves a header set to false unset, and every security-header attribute unset with securityHeaders: false", () => {
    expect(listenerOf({ securityHeaders: { xContentTypeOptions: false } })).not.toHaveProperty("routing_http_response_x_content_type_options_header_value");
    const off = listenerOf({ securityHeaders: false });
    for (const attribute of ["x_content_type_options_header_value", "x_frame_options_header_value", "content_security_policy_header_value", "server_enabled"]) {
      expect(off).not.toHaveProperty(`routing_http_response_${attribute}`);
    }
    // HSTS is its own field: securityHeaders: false leaves it alone.
    expect(off.routing_http_response_strict_transport_security_header_value).toBe("max-age=31536000");
  });

  test("has no mutual_authentication block by default, so clients are not asked for a certificate", () => {
    expect(listenerOf()).not.toHaveProperty("mutual_authentication");
  });

  test("verifies client certificates against the given trust store", () => {
    expect(listenerOf({ mutualTls: { mode: "verify", trustStoreArn: TRUST_STORE } }).mutual_authentication).toEqual({
      mode: "verify",
      trust_store_arn: TRUST_STORE,
    });
  });

  test("passes client certificates through without a trust store", () => {
    expect(listenerOf({ mutualTls: { mode: "passthrough" } }).mutual_authentication).toEqual({ mode: "passthrough" });
  });
});
