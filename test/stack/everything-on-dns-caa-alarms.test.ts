import { environments } from "../../environments";
import { everythingOn } from "../fixtures/everything-on";
import { expectedCaaSets } from "../support/caa-oracle";
import { synthToTemp } from "../support/synth";

const ROLE = "arn:aws:iam::210987654321:role/route53-records";

describe("the everything-on fixture (caa, expiryAlarm, dnsRoleArn)", () => {
  const synth = synthToTemp([...environments, everythingOn]);
  afterAll(() => synth.cleanup());
  const stack = synth.stackJson(everythingOn.name);
  const records = Object.values(stack.resource.aws_route53_record) as any[];

  // The stack's snapshot is test/stack/everything-on.test.ts's; these are the targeted assertions for caa, expiryAlarm and
  // dnsRoleArn beside it.
  test("has a CAA set per zone apex its certificates use: both issuers, issuewild only where a wildcard is, the iodef address", () => {
    const certificates = Object.values(stack.resource.aws_acm_certificate) as any[];
    const names = certificates.flatMap((c) => [c.domain_name, ...(c.subject_alternative_names ?? [])]);
    const caa = Object.fromEntries(records.filter((r) => r.type === "CAA").map((r) => [r.name, { zoneId: r.zone_id, records: r.records }]));
    expect(caa).toEqual(expectedCaaSets(names, everythingOn.hostedZones, ["amazon.com", "amazontrust.com"], "mailto:security@example.com"));
    // Spelled out for the default certificate's zone (*.example.com is one of its names).
    expect(caa["example.com"]).toEqual({
      zoneId: "Z0EVERYTHINGCOM00001",
      records: ['0 issue "amazon.com"', '0 issue "amazontrust.com"', '0 issuewild "amazon.com"', '0 issuewild "amazontrust.com"', '0 iodef "mailto:security@example.com"'],
    });
    for (const record of records.filter((r) => r.type === "CAA")) expect(record).not.toHaveProperty("allow_overwrite");
  });

  test("has one expiry alarm per certificate, on that certificate's ARN", () => {
    const certificateIds = Object.keys(stack.resource.aws_acm_certificate).sort();
    const alarmed = (Object.values(stack.resource.aws_cloudwatch_metric_alarm) as any[]).map((a) => /^\$\{aws_acm_certificate\.(.+)\.arn\}$/.exec(a.dimensions.CertificateArn)![1]);
    expect(alarmed.sort()).toEqual(certificateIds);
  });

  test("alarms below 30 days to a created topic with the e-mail subscribed", () => {
    const alarm = (Object.values(stack.resource.aws_cloudwatch_metric_alarm) as any[]).find((a) => a.alarm_name === "tls-everything-Certificate-expiry");
    expect(alarm).toMatchObject({ threshold: 30, namespace: "AWS/CertificateManager", metric_name: "DaysToExpiry" });
    expect(Object.values(stack.resource.aws_sns_topic_subscription)).toEqual([
      expect.objectContaining({ protocol: "email", endpoint: "tls-alerts@example.com" }),
    ]);
  });

  test("manages every Route53 record through the aws.dns provider, which assumes the DNS role", () => {
    expect(stack.provider.aws.find((p: any) => p.alias === "dns")).toMatchObject({
      assume_role: [{ role_arn: "${var.dns_role_arn}", session_name: "tls-everything-dns" }],
      allowed_account_ids: ["210987654321"],
    });
    expect(stack.variable.dns_role_arn.default).toBe(ROLE);
    // Whatever certificates the stack has: their validation records and the CAA sets, all of them.
    expect(new Set(records.map((r) => r.provider))).toEqual(new Set(["aws.dns"]));
  });

  test.each(environments.map((e) => [e.name]))("shipped environment %s gets the default alarm at 30 days (the 200-day step), no CAA set and no DNS provider", (name) => {
    const shipped = synth.stackJson(name);
    expect((Object.values(shipped.resource.aws_cloudwatch_metric_alarm) as any[]).map((a) => a.threshold)).toEqual([30]);
    expect((Object.values(shipped.resource.aws_route53_record) as any[]).filter((r) => r.type === "CAA")).toEqual([]);
    expect(shipped.provider.aws).toHaveLength(1);
  });
});
