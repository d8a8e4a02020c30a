import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Testing } from "cdktf";
import { environmentProblems, HttpsListener, HttpToHttpsRedirect, parseListenerArn, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

const ALB = baseEnvironment().loadBalancerArn; // ...:loadbalancer/app/edge/50dc6c495c0c9188 in us-east-1, 111111111111
const HTTP_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/0123456789abcdef";
const HTTPS_LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/fedcba9876543210";
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";

/** The problems of the base environment with `existingListeners` set, as `path: message` lines. */
function problemsWith(existingListeners: unknown, overrides: Record<string, unknown> = {}): string[] {
  return environmentProblems([{ ...baseEnvironment(), ...overrides, existingListeners }]).map((p) => `${p.path}: ${p.message}`);
}

describe("existingListeners validation", () => {
  test("accepts listeners of the environment's own load balancer", () => {
    expect(problemsWith({ http: HTTP_LISTENER, https: HTTPS_LISTENER })).toEqual([]);
    expect(problemsWith({ http: HTTP_LISTENER })).toEqual([]);
    expect(problemsWith({ https: HTTPS_LISTENER })).toEqual([]);
  });

  test("rejects a listener of another load balancer, naming both", () => {
    const other = HTTP_LISTENER.replace("edge/50dc6c495c0c9188", "other/1111111111111111");
    expect(problemsWith({ http: other })).toEqual([
      "existingListeners.http: belongs to load balancer other/1111111111111111, not to loadBalancerArn's edge/50dc6c495c0c9188",
    ]);
  });

  test("rejects a listener in another region or account than the load balancer", () => {
    expect(problemsWith({ https: HTTPS_LISTENER.replace("us-east-1", "eu-west-1") })).toEqual([
      "existingListeners.https: region eu-west-1 differs from the load balancer's region us-east-1",
    ]);
    expect(problemsWith({ https: HTTPS_LISTENER.replace("111111111111", "222222222222") })).toEqual([
      "existingListeners.https: account 222222222222 differs from the load balancer's account 111111111111",
    ]);
  });

  test("compares with the environment's region and account when the load balancer ARN itself is unusable", () => {
    const problems = problemsWith({ http: HTTP_LISTENER.replace("us-east-1", "eu-west-1") }, { loadBalancerArn: "not-an-arn" });
    expect(problems).toEqual(["loadBalancerArn: is not an ARN", "existingListeners.http: region eu-west-1 does not match environment region us-east-1"]);
  });

  test("names what a wrong kind of ARN is", () => {
    expect(problemsWith({ http: ALB })).toEqual([
      "existingListeners.http: is a load balancer or target group ARN, not a listener ARN (expected listener/app/<lb name>/<lb id>/<listener id>)",
    ]);
    expect(problemsWith({ http: HTTP_LISTENER.replace(":listener/", ":listener-rule/") + "/aaaaaaaaaaaaaaaa" })).toEqual([
      "existingListeners.http: is a listener rule ARN, not a listener ARN",
    ]);
    expect(problemsWith({ http: HTTP_LISTENER.replace("listener/app", "listener/net") })).toEqual([
      "existingListeners.http: is a listener of a Network or Gateway Load Balancer, not of an Application Load Balancer",
    ]);
  });

  test("rejects an empty object, the same listener for both ports, and unknown keys", () => {
    expect(problemsWith({})).toEqual(["existingListeners: names no listener (give http, https or both, or leave it out)"]);
    expect(problemsWith({ http: HTTP_LISTENER, https: HTTP_LISTENER })).toEqual([
      "existingListeners.https: is the same listener as existingListeners.http (one listener has one port)",
    ]);
    expect(problemsWith({ htps: HTTPS_LISTENER })).toEqual([expect.stringMatching(/^existingListeners\.htps: is not a known field/)]);
  });

  test("parses a listener ARN into its load balancer and listener ids", () => {
    expect(parseListenerArn(HTTPS_LISTENER)).toEqual({
      partition: "aws",
      region: "us-east-1",
      account: "111111111111",
      loadBalancerName: "edge",
      loadBalancerId: "50dc6c495c0c9188",
      listenerId: "fedcba9876543210",
    });
    expect(parseListenerArn(`${HTTPS_LISTENER}0`)).toBeUndefined();
  });
});

describe("adopting existing listeners", () => {
  test("HttpsListener imports the given listener with a Terraform import block and still configures it fully", () => {
    // WHEN
    const parsed = JSON.parse(
      Testing.synthScope((scope) => {
        new HttpsListener(scope, "Https", { loadBalancerArn: ALB, certificateArn: CERT, existingListenerArn: HTTPS_LISTENER });
      }),
    );
    // THEN
    const [address] = Object.keys(parsed.resource.aws_lb_listener);
    expect(parsed.import).toEqual([{ id: HTTPS_LISTENER, to: `aws_lb_listener.${address}` }]);
    expect(parsed.resource.aws_lb_listener[address]).toMatchObject({ port: 443, protocol: "HTTPS", certificate_arn: CERT });
  });

  test("HttpToHttpsRedirect imports the given listener and makes it the redirect", () => {
    const parsed = JSON.parse(
      Testing.synthScope((scope) => {
        new HttpToHttpsRedirect(scope, "Http", { loadBalancerArn: ALB, existingListenerArn: HTTP_LISTENER });
      }),
    );
    const [address] = Object.keys(parsed.resource.aws_lb_listener);
    expect(parsed.import).toEqual([{ id: HTTP_LISTENER, to: `aws_lb_listener.${address}` }]);
    expect(parsed.resource.aws_lb_listener[address].default_action[0].redirect.status_code).toBe("HTTP_301");
  });

  test("without existing listeners a stack has no import block", () => {
    const parsed = JSON.parse(Testing.synth(new TlsStack(Testing.app(), "tls-test", baseEnvironment())));
    expect(parsed).not.toHaveProperty("import");
  });

  test("a stack imports exactly the listeners it is given, each into the listener for its port", () => {
    const stack = new TlsStack(Testing.app(), "tls-test", baseEnvironment({ existingListeners: { http: HTTP_LISTENER } }));
    const synthesized = Testing.synth(stack);
    const parsed = JSON.parse(synthesized);
    expect(parsed.import).toHaveLength(1);
    const target = parsed.import[0].to.replace(/^aws_lb_listener\./, "");
    expect(parsed.import[0].id).toBe(HTTP_LISTENER);
    expect(parsed.resource.aws_lb_listener[target].protocol).toBe("HTTP");
    // The HTTPS listener is still created.
    expect(synthesized).toHaveResourceWithProperties(LbListener, { port: 443, protocol: "HTTPS" });

    const both = JSON.parse(
      Testing.synth(new TlsStack(Testing.app(), "tls-test", baseEnvironment({ existingListeners: { http: HTTP_LISTENER, https: HTTPS_LISTENER } }))),
    );
    const protocolOf = (entry: { to: string }) => both.resource.aws_lb_listener[entry.to.replace(/^aws_lb_listener\./, "")].protocol;
    expect(Object.fromEntries(both.import.map((entry: { id: string; to: string }) => [protocolOf(entry), entry.id]))).toEqual({
      HTTP: HTTP_LISTENER,
      HTTPS: HTTPS_LISTENER,
    });
  });
});
