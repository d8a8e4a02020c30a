import { listenerRuleProblemsInPlan } from "../../lib";
import { everythingOn } from "../fixtures/everything-on";
import { expectedCaaSets } from "../support/caa-oracle";
import { synthToTemp } from "../support/synth";
import { describeWithTerraform, planStackDirectory, PlanResult } from "../support/terraform";

describeWithTerraform("terraform plan of the everything-on fixture: caa, expiryAlarm, dnsRoleArn (real Terraform, offline)", () => {
  const synth = synthToTemp([everythingOn]);
  let result: PlanResult;
  beforeAll(() => {
    result = planStackDirectory(synth.stackDir(everythingOn.name));
  });
  afterAll(() => synth.cleanup());

  const byType = (type: string) =>
    Object.entries(result.resources)
      .filter(([, r]) => r.type === type)
      .map(([address, r]) => [address, r.values] as [string, Record<string, any>]);

  test("plans every resource for creation, records through aws.dns and everything else through the default provider", () => {
    const changes = result.plan.resource_changes as any[];
    expect(changes.every((c) => c.change.actions.join() === "create")).toBe(true);
    const providerByType = new Map<string, Set<string>>();
    for (const resource of result.plan.configuration.root_module.resources as any[]) {
      providerByType.set(resource.type, new Set([...(providerByType.get(resource.type) ?? []), resource.provider_config_key]));
    }
    expect(providerByType.get("aws_route53_record")).toEqual(new Set(["aws.dns"]));
    for (const [type, keys] of providerByType) if (type !== "aws_route53_record") expect([type, [...keys]]).toEqual([type, ["aws"]]);
    expect(Object.keys(result.plan.configuration.provider_config).sort()).toEqual(["aws", "aws.dns"]);
  });

  test("plans one CAA set per zone apex its certificates use, without allow_overwrite", () => {
    const caa = byType("aws_route53_record").filter(([, v]) => v.type === "CAA");
    const byName = Object.fromEntries(caa.map(([, v]) => [v.name, { zoneId: v.zone_id, records: [...v.records].sort() }]));
    // The provider plans subject_alternative_names with the domain name included.
    const names = byType("aws_acm_certificate").flatMap(([, c]) => c.subject_alternative_names as string[]);
    const expected = expectedCaaSets(names, everythingOn.hostedZones, ["amazon.com", "amazontrust.com"], "mailto:security@example.com");
    expect(byName).toEqual(Object.fromEntries(Object.entries(expected).map(([apex, set]) => [apex, { ...set, records: [...set.records].sort() }])));
    for (const [, values] of caa) expect([values.ttl, values.allow_overwrite ?? null]).toEqual([300, null]);
  });

  test("plans the expiry alarm on the certificate's ARN, once a day, notifying the encrypted topic", () => {
    const [address, alarm] = byType("aws_cloudwatch_metric_alarm").find(([, values]) => values.alarm_name === "tls-everything-Certificate-expiry")!;
    expect(alarm).toMatchObject({
      namespace: "AWS/CertificateManager",
      metric_name: "DaysToExpiry",
      statistic: "Minimum",
      period: 86400,
      comparison_operator: "LessThanThreshold",
      threshold: 30,
      treat_missing_data: "ignore",
    });
    // The certificate ARN and topic ARN exist only after apply.
    expect(result.unknown[address]).toMatchObject({ dimensions: true, alarm_actions: true, ok_actions: true });
    const configured = (result.plan.configuration.root_module.resources as any[]).find((r) => r.address === address);
    expect(configured.expressions.dimensions.references).toContainEqual(expect.stringMatching(/^aws_acm_certificate\.Certificate_[0-9A-F]{8}\.arn$/));
    const [[topicAddress, topic]] = byType("aws_sns_topic");
    expect(topic.name).toBe("tls-everything-certificate-expiry");
    expect(result.unknown[topicAddress]).toMatchObject({ kms_master_key_id: true });
    const [[, key]] = byType("aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(byType("aws_sns_topic_subscription").map(([, s]) => [s.protocol, s.endpoint])).toEqual([["email", "tls-alerts@example.com"]]);
  });

  test("has no listener rule the plan-time listener-rule check refuses", () => {
    expect(listenerRuleProblemsInPlan(result.plan)).toEqual([]);
  });
});
