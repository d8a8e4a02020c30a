import { environments } from "../environments";
import { everythingOn } from "./fixtures/everything-on";
import { synthToTemp } from "./support/synth";

const ROLE = "arn:aws:iam::210987654321:role/route53-records";

describe("the everything-on fixture (caa, expiryAlarm, dnsRoleArn)", () => {
  const synth = synthToTemp([...environments, everythingOn]);
  afterAll(() => synth.cleanup());
  const stack = synth.stackJson(everythingOn.name);
  const records = Object.values(stack.resource.aws_route53_record) as any[];

  test("matches the reviewed snapshot", () => {
    expect(stack).toMatchSnapshot();
  });

  test("has a CAA set per zone apex: both issuers, issuewild only where a wildcard is, the iodef address", () => {
    const caa = Object.fromEntries(records.filter((r) => r.type === "CAA").map((r) => [r.name, [r.zone_id, r.records]]));
    expect(caa).toEqual({
      "example.com": [
        "Z0EXAMPLECOM00000001",
        ['0 issue "amazon.com"', '0 issue "amazontrust.com"', '0 issuewild "amazon.com"', '0 issuewild "amazontrust.com"', '0 iodef "mailto:security@example.com"'],
      ],
      "example.org": ["Z0EXAMPLEORG00000001", ['0 issue "amazon.com"', '0 issue "amazontrust.com"', '0 iodef "mailto:security@example.com"']],
    });
    for (const record of records.filter((r) => r.type === "CAA")) expect(record).not.toHaveProperty("allow_overwrite");
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
      assume_role: [{ role_arn: ROLE, session_name: "tls-everything-dns" }],
      allowed_account_ids: ["210987654321"],
    });
    // Whatever certificates the stack has: their validation records and the CAA sets, all of them.
    expect(new Set(records.map((r) => r.provider))).toEqual(new Set(["aws.dns"]));
  });

  test.each(environments.map((e) => [e.name]))("shipped environment %s gets the default alarm at 45 days, no CAA set and no DNS provider", (name) => {
    const shipped = synth.stackJson(name);
    expect((Object.values(shipped.resource.aws_cloudwatch_metric_alarm) as any[]).map((a) => a.threshold)).toEqual([45]);
    expect((Object.values(shipped.resource.aws_route53_record) as any[]).filter((r) => r.type === "CAA")).toEqual([]);
    expect(shipped.provider.aws).toHaveLength(1);
  });
});
