/**
 * The matcher the reference check (iam-reference.ts) decides Resources with: a policy's IAM pattern against the
 * reference's ARN formats. Its own unit tests: the cases the bootstrap roles rely on, the mistakes it must catch, and
 * an exhaustive comparison with brute force on a small alphabet.
 */
import { arnPatternMatchesFormat, conditionKeyMatches, placeholderSpansSegments } from "./iam-reference";

const TRUST_STORE = "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:truststore/${TrustStoreName}/${TrustStoreId}";
const APP_LISTENER = "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:listener/app/${LoadBalancerName}/${LoadBalancerId}/${ListenerId}";
const APP_LISTENER_RULE = "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:listener-rule/app/${LoadBalancerName}/${LoadBalancerId}/${ListenerId}/${ListenerRuleId}";
const NET_LISTENER = "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:listener/net/${LoadBalancerName}/${LoadBalancerId}/${ListenerId}";
const APP_LOAD_BALANCER = "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:loadbalancer/app/${LoadBalancerName}/${LoadBalancerId}";
const BUCKET = "arn:${Partition}:s3:::${BucketName}";
const OBJECT = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
const ACCESS_POINT_OBJECT = "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}";
const ROLE = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
const TOPIC = "arn:${Partition}:sns:${Region}:${Account}:${TopicName}";
const ALARM = "arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}";
const ALARM_MUTE_RULE = "arn:${Partition}:cloudwatch:${Region}:${Account}:alarm-mute-rule:${AlarmMuteRuleName}";
const HOSTED_ZONE = "arn:${Partition}:route53:::hostedzone/${Id}";
const CHANGE = "arn:${Partition}:route53:::change/${Id}";
const DEFAULT_BUS_RULE = "arn:${Partition}:events:${Region}:${Account}:rule/${RuleName}";
const CUSTOM_BUS_RULE = "arn:${Partition}:events:${Region}:${Account}:rule/${EventBusName}/${RuleName}";

describe("the reference check's resource matcher", () => {
  test("lets a glob cover a format with more segments: truststore/tf-* covers truststore/<name>/<id>", () => {
    expect(arnPatternMatchesFormat("arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/tf-*", TRUST_STORE)).toBe(true);
    expect(arnPatternMatchesFormat("arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/tf-*", APP_LISTENER)).toBe(false);
  });

  test("matches a load balancer's listeners to the application listener type only", () => {
    const listeners = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/*";
    expect([APP_LISTENER, NET_LISTENER, APP_LISTENER_RULE, APP_LOAD_BALANCER].map((f) => arnPatternMatchesFormat(listeners, f))).toEqual([true, false, false, false]);
    const loadBalancer = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
    expect([APP_LISTENER, APP_LOAD_BALANCER].map((f) => arnPatternMatchesFormat(loadBalancer, f))).toEqual([false, true]);
  });

  test("tells a bucket from its objects: a placeholder is one segment unless it is a key or a path", () => {
    expect([BUCKET, OBJECT].map((f) => arnPatternMatchesFormat("arn:aws:s3:::acme-tls-state", f))).toEqual([true, false]);
    expect([BUCKET, OBJECT].map((f) => arnPatternMatchesFormat("arn:aws:s3:::acme-tls-state/*", f))).toEqual([false, true]);
    expect([BUCKET, OBJECT].map((f) => arnPatternMatchesFormat("arn:aws:s3:::acme-tls-state/tls-edge/qa/terraform.tfstate", f))).toEqual([false, true]);
    expect(arnPatternMatchesFormat("arn:aws:iam::222222222222:role/dns/records", ROLE)).toBe(true);
    expect([placeholderSpansSegments("ObjectName"), placeholderSpansSegments("RoleNameWithPath"), placeholderSpansSegments("BucketName"), placeholderSpansSegments("NetworkInsightsPathId")]).toEqual([true, true, false, false]);
  });

  test("needs every placeholder non-empty, so an ARN without region and account is not an access point's", () => {
    expect(arnPatternMatchesFormat("arn:aws:s3:::acme-tls-state/ca.pem", ACCESS_POINT_OBJECT)).toBe(false);
    expect(arnPatternMatchesFormat("arn:aws:s3:*:*:accesspoint/edge/object/ca.pem", ACCESS_POINT_OBJECT)).toBe(true);
    expect(arnPatternMatchesFormat("arn:aws:route53:::hostedzone/", HOSTED_ZONE)).toBe(false);
  });

  test("keeps a subscription's ARN (topic:id) from matching its topic's format", () => {
    expect(arnPatternMatchesFormat("arn:aws:sns:us-east-1:111111111111:alerts", TOPIC)).toBe(true);
    expect(arnPatternMatchesFormat("arn:aws:sns:us-east-1:111111111111:alerts:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", TOPIC)).toBe(false);
  });

  test("matches the stack's alarm, rule, zone and change patterns to their own types only", () => {
    const alarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-qa-AdditionalCertificate-*-expiry";
    expect([ALARM, ALARM_MUTE_RULE].map((f) => arnPatternMatchesFormat(alarm, f))).toEqual([true, false]);
    expect([ALARM, ALARM_MUTE_RULE].map((f) => arnPatternMatchesFormat("arn:aws:cloudwatch:us-east-1:111111111111:alarm:*", f))).toEqual([true, false]);
    const rule = "arn:aws:events:us-east-1:111111111111:rule/tls-qa-certificate-events";
    expect([DEFAULT_BUS_RULE, CUSTOM_BUS_RULE].map((f) => arnPatternMatchesFormat(rule, f))).toEqual([true, false]);
    expect([HOSTED_ZONE, CHANGE].map((f) => arnPatternMatchesFormat("arn:aws:route53:::change/*", f))).toEqual([false, true]);
    expect([HOSTED_ZONE, CHANGE].map((f) => arnPatternMatchesFormat("arn:aws-cn:route53:::hostedzone/Z0EXAMPLECOM00000001", f))).toEqual([true, false]);
  });

  test("treats ? as exactly one character and matches case-sensitively, as IAM matches resources", () => {
    expect(arnPatternMatchesFormat("arn:aws:route53:::change/?", CHANGE)).toBe(true);
    expect(arnPatternMatchesFormat("arn:aws:route53:::change?", CHANGE)).toBe(false);
    expect(arnPatternMatchesFormat("arn:aws:route53:::change/??", CHANGE)).toBe(true);
    expect(arnPatternMatchesFormat("arn:aws:Route53:::change/C1", CHANGE)).toBe(false);
    expect(arnPatternMatchesFormat("*", TRUST_STORE)).toBe(true);
  });

  test("agrees with brute force on every pattern of up to 3 tokens and every format of up to 2 parts over a small alphabet", () => {
    // GIVEN every string of up to 7 characters over {a, b, /} (a witness of a non-empty intersection of these sizes
    // needs at most 3 + 2 * 2 characters: each character advances at least one side)
    const strings: string[] = [""];
    for (let length = 1; length <= 7; length++) {
      for (const s of strings.filter((x) => x.length === length - 1)) for (const c of "ab/") strings.push(s + c);
    }
    const words = (alphabet: readonly string[], maxLength: number): string[][] => {
      const out: string[][] = [[]];
      for (let i = 0; i < out.length; i++) if (out[i].length < maxLength) for (const c of alphabet) out.push([...out[i], c]);
      return out;
    };
    const patterns = words(["a", "b", "/", "*", "?"], 3).map((w) => w.join(""));
    const formats = words(["a", "/", "${Name}", "${ResourcePath}"], 2).map((w) => w.join(""));
    const patternRegExp = (p: string) => new RegExp(`^${[...p].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c)).join("")}$`);
    const formatRegExp = (f: string) => new RegExp(`^${f.replace(/\$\{ResourcePath\}/g, ".+").replace(/\$\{Name\}/g, "[^/:]+")}$`);
    const byFormat = new Map(formats.map((f) => [f, strings.filter((s) => formatRegExp(f).test(s))]));
    // WHEN / THEN the matcher says "matches" exactly where a common string exists
    const disagreements: string[] = [];
    for (const pattern of patterns) {
      const regExp = patternRegExp(pattern);
      for (const format of formats) {
        const brute = byFormat.get(format)!.some((s) => regExp.test(s));
        if (arnPatternMatchesFormat(pattern, format) !== brute) disagreements.push(`${JSON.stringify(pattern)} vs ${JSON.stringify(format)}: brute force ${brute}`);
      }
    }
    expect(patterns.length * formats.length).toBe(156 * 21);
    expect(disagreements).toEqual([]);
  });
});

describe("the reference check's condition key names", () => {
  test("match case-insensitively, with a tag key where the reference has a template", () => {
    expect(conditionKeyMatches("AWS:requestedregion", "aws:RequestedRegion")).toBe(true);
    expect(conditionKeyMatches("aws:RequestTag/stack", "aws:RequestTag/${TagKey}")).toBe(true);
    expect(conditionKeyMatches("s3:ExistingObjectTag/owner", "s3:ExistingObjectTag/<key>")).toBe(true);
    expect(conditionKeyMatches("aws:PrincipalTag/team", "aws:PrincipalTag/tag-key")).toBe(true);
    expect(conditionKeyMatches("aws:RequestTag/", "aws:RequestTag/${TagKey}")).toBe(false);
    expect(conditionKeyMatches("aws:RequestRegion", "aws:RequestedRegion")).toBe(false);
  });
});
