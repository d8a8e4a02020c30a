/**
 * The everything-on fixture through real Terraform (init / validate / plan / show with the real AWS provider,
 * offline): what the provider itself plans for the HSTS attribute, the SNI listener certificates, the trust store
 * and mutual authentication. For the trust store this is the proof: the AWS emulator has no trust-store API.
 */
import { everythingOn } from "../fixtures/everything-on";
import { synthToTemp } from "../support/synth";
import { describeWithTerraform, planStackDirectory, PlanResult } from "../support/terraform";

describeWithTerraform("terraform plan of the everything-on fixture (real Terraform, real AWS provider, offline)", () => {
  const synth = synthToTemp([everythingOn]);
  let result: PlanResult | undefined;
  afterAll(() => synth.cleanup());

  function plan(): PlanResult {
    result ??= planStackDirectory(synth.stackDir(everythingOn.name));
    return result;
  }
  const byType = (type: string): Array<[string, Record<string, any>]> =>
    Object.entries(plan().resources)
      .filter(([, resource]) => resource.type === type)
      .map(([address, resource]) => [address, resource.values]);
  const https = (): [string, Record<string, any>] => byType("aws_lb_listener").find(([, values]) => values.protocol === "HTTPS")!;

  test("plans only creations: 5 certificates, 4 shared validation records and 2 CAA sets, 5 validations, 2 listeners, 4 SNI attachments, 1 trust store, 5 expiry alarms and the renewal-event rule with their topic, its policy, key and subscription", () => {
    const changes = plan().plan.resource_changes as Array<{ type: string; change: { actions: string[] } }>;
    expect(changes.every((c) => c.change.actions.join(",") === "create")).toBe(true);
    const counts: Record<string, number> = {};
    for (const change of changes) counts[change.type] = (counts[change.type] ?? 0) + 1;
    expect(counts).toEqual({
      aws_acm_certificate: 5,
      aws_route53_record: 4 + 2,
      aws_acm_certificate_validation: 5,
      aws_lb_listener: 2,
      aws_lb_listener_certificate: 4,
      aws_lb_trust_store: 1,
      aws_cloudwatch_metric_alarm: 5,
      aws_cloudwatch_event_rule: 1,
      aws_cloudwatch_event_target: 1,
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_kms_key: 1,
      aws_sns_topic_subscription: 1,
    });
  });

  test("plans the HTTPS listener's HSTS attribute with the configured header", () => {
    expect(https()[1].routing_http_response_strict_transport_security_header_value).toBe("max-age=63072000; includeSubDomains; preload");
  });

  test("plans mutual authentication in verify mode with the trust store's ARN, known once it is created", () => {
    const [address, listener] = https();
    expect(listener.mutual_authentication).toHaveLength(1);
    expect(listener.mutual_authentication[0].mode).toBe("verify");
    expect(plan().unknown[address].mutual_authentication).toEqual([{ trust_store_arn: true, advertise_trust_store_ca_names: true }]);
    const listenerConfig = plan().plan.configuration.root_module.resources.find((r: any) => r.address === address);
    expect(listenerConfig.expressions.mutual_authentication[0].trust_store_arn.references).toContain("aws_lb_trust_store.ClientTrustStore_DE0BC466.arn");
  });

  test("plans the trust store from the S3 CA bundle", () => {
    const stores = byType("aws_lb_trust_store");
    expect(stores).toHaveLength(1);
    expect(stores[0][1]).toMatchObject({
      ca_certificates_bundle_s3_bucket: "example-edge-ca-bundles",
      ca_certificates_bundle_s3_key: "clients/ca-bundle.pem",
    });
  });

  test("plans an SNI attachment on the HTTPS listener for every certificate but the default one, from its validation resource", () => {
    const config = plan().plan.configuration.root_module.resources as Array<{ address: string; type: string; expressions: any }>;
    const attachments = config.filter((r) => r.type === "aws_lb_listener_certificate");
    expect(attachments).toHaveLength(4);
    const sources = attachments.map((a) => a.expressions.certificate_arn.references.find((ref: string) => ref.endsWith(".certificate_arn"))).sort();
    const httpsDefault = config.find((r) => r.address === https()[0])!.expressions.certificate_arn.references.find((ref: string) => ref.endsWith(".certificate_arn"));
    expect(sources).toEqual(
      byType("aws_acm_certificate_validation")
        .map(([address]) => `${address}.certificate_arn`)
        .filter((source) => source !== httpsDefault)
        .sort(),
    );
    for (const attachment of attachments) expect(attachment.expressions.listener_arn.references).toContain(`${https()[0]}.arn`);
    for (const [address] of byType("aws_lb_listener_certificate")) expect(plan().unknown[address]).toMatchObject({ certificate_arn: true, listener_arn: true });
  });

  test("plans the renewal-event rule for ACM's renewal-failure events of every certificate, to the topic EventBridge may publish to", () => {
    const config = plan().plan.configuration.root_module.resources as Array<{ address: string; type: string; expressions: any }>;
    const [[ruleAddress, rule]] = byType("aws_cloudwatch_event_rule");
    expect(rule.name).toBe("tls-everything-certificate-events");
    const pattern = config.find((r) => r.address === ruleAddress)!.expressions.event_pattern.references as string[];
    expect(pattern.filter((ref) => ref.endsWith(".arn")).sort()).toEqual(byType("aws_acm_certificate").map(([address]) => `${address}.arn`).sort());
    const target = config.find((r) => r.type === "aws_cloudwatch_event_target")!;
    expect(target.expressions.arn.references).toContain(`${byType("aws_sns_topic")[0][0]}.arn`);
    const [[, topicPolicy]] = byType("aws_sns_topic_policy");
    const events = JSON.parse(topicPolicy.policy).Statement.find((st: any) => st.Principal?.Service === "events.amazonaws.com");
    expect(events.Condition).toEqual({ ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/tls-everything-certificate-events" } });
  });

  test("plans the RSA and EC twins beside the EC default certificate, and one record per validation name in its zone", () => {
    const keys = byType("aws_acm_certificate").map(([, c]) => `${c.key_algorithm} ${c.domain_name}`).sort();
    expect(keys).toEqual(["EC_prime256v1 example.com", "EC_prime256v1 example.com", "EC_prime256v1 shop.example.org", "EC_prime256v1 status.example.com", "RSA_2048 example.com"]);
    const zoneByName = Object.fromEntries(
      byType("aws_route53_record")
        .filter(([, values]) => values.type !== "CAA")
        .map(([address, values]) => [
          address.replace(/^aws_route53_record\.Certificate_ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, ""),
          values.zone_id,
        ]),
    );
    expect(zoneByName).toEqual({
      example_com: "Z0EVERYTHINGCOM00001",
      shop_example_org: "Z0EVERYTHINGORG00001",
      status_example_com: "Z0EVERYTHINGCOM00001",
      www_example_org: "Z0EVERYTHINGORG00001",
    });
  });
});
