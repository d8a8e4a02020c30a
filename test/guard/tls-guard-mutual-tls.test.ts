/** The guard rule listener-mutual-tls-trust-store. */
import { AlbListener } from "@cdktf/provider-aws/lib/alb-listener";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
import { Testing } from "cdktf";
import { suppressTlsGuard, TLS_GUARD_RULES, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";
import { guardedStack, violationsOf } from "../support/guard";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
const HTTPS = {
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  certificateArn: CERT,
  defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
};



describe("TlsGuard rule listener-mutual-tls-trust-store", () => {
  test("is one of the guard's rules", () => {
    expect(TLS_GUARD_RULES["listener-mutual-tls-trust-store"]).toMatch(/trust store/);
  });

  test("rejects a listener that verifies client certificates without a trust store", () => {
    const stack = guardedStack();
    new LbListener(stack, "Mtls", { loadBalancerArn: ALB, ...HTTPS, mutualAuthentication: { mode: "verify" } });
    expect(violationsOf(stack)).toEqual(['user/Mtls [listener-mutual-tls-trust-store] mutual_authentication mode "verify" has no trust_store_arn']);
  });

  test("checks the aws_alb_listener alias and a mode written through an override too", () => {
    const stack = guardedStack();
    new AlbListener(stack, "Alias", { loadBalancerArn: ALB, ...HTTPS, mutualAuthentication: { mode: "verify", trustStoreArn: "" } });
    const overridden = new LbListener(stack, "Overridden", { loadBalancerArn: ALB, ...HTTPS, mutualAuthentication: { mode: "passthrough" } });
    overridden.addOverride("mutual_authentication.mode", "verify");
    expect(violationsOf(stack)).toEqual([
      'user/Alias [listener-mutual-tls-trust-store] mutual_authentication mode "verify" has no trust_store_arn',
      'user/Overridden [listener-mutual-tls-trust-store] mutual_authentication mode "verify" has no trust_store_arn',
    ]);
  });

  test("accepts verify with a trust store, passthrough, off and no mutual authentication", () => {
    const stack = guardedStack();
    const store = new LbTrustStore(stack, "Store", { caCertificatesBundleS3Bucket: "example-ca-bundles", caCertificatesBundleS3Key: "clients.pem" });
    new LbListener(stack, "Verify", { loadBalancerArn: ALB, ...HTTPS, port: 8443, mutualAuthentication: { mode: "verify", trustStoreArn: store.arn } });
    new LbListener(stack, "Passthrough", { loadBalancerArn: ALB, ...HTTPS, port: 8444, mutualAuthentication: { mode: "passthrough" } });
    new LbListener(stack, "Off", { loadBalancerArn: ALB, ...HTTPS, port: 8445, mutualAuthentication: { mode: "off" } });
    new LbListener(stack, "Plain", { loadBalancerArn: ALB, ...HTTPS, port: 8446 });
    expect(violationsOf(stack)).toEqual([]);
  });

  test("can be suppressed on one listener with a written reason", () => {
    const stack = guardedStack();
    const listener = new LbListener(stack, "Mtls", { loadBalancerArn: ALB, ...HTTPS, mutualAuthentication: { mode: "verify" } });
    suppressTlsGuard(listener, "listener-mutual-tls-trust-store", "trust store ARN is patched in by the platform pipeline (EDGE-42)");
    expect(violationsOf(stack)).toEqual([]);
  });

  test("passes the stack TlsStack builds for mutualTls verify", () => {
    const config = baseEnvironment({ mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "clients.pem" } } });
    expect(() => Testing.synth(new TlsStack(Testing.app(), "tls-test", config))).not.toThrow();
  });
});
