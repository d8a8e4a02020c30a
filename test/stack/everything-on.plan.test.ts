/**
 * The everything-on fixture through real Terraform (init / validate / plan / show with the real AWS provider,
 * offline): what the provider itself plans for the HSTS and security-header attributes, the SNI listener certificates,
 * the trust store, its revocation lists and mutual authentication. For the trust store and its revocation lists this
 * is the proof: the AWS emulator has no trust-store API.
 */
import { everythingOn } from "../fixtures/everything-on";
import { expectedStack } from "../support/environment-oracle";
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

  test("plans only creations, of exactly the resources the oracle expects (the 5 certificates, the renewal-event rule, the 2 revocation lists among them)", () => {
    const changes = plan().plan.resource_changes as Array<{ type: string; change: { actions: string[] } }>;
    expect(changes.every((c) => c.change.actions.join(",") === "create")).toBe(true);
    const counts: Record<string, number> = {};
    for (const change of changes) counts[change.type] = (counts[change.type] ?? 0) + 1;
    expect(counts).toEqual(expectedStack(everythingOn).resourceCounts);
    expect([counts.aws_acm_certificate, counts.aws_cloudwatch_event_rule, counts.aws_lb_trust_store_revocation]).toEqual([5, 1, 2]);
  });

  test("plans the security headers on the HTTPS listener and the Server header removed from both listeners", () => {
    expect(https()[1]).toMatchObject({
      routing_http_response_x_content_type_options_header_value: "nosniff",
      routing_http_response_x_frame_options_header_value: "DENY",
      routing_http_response_content_security_policy_header_value: "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
      routing_http_response_server_enabled: false,
    });
    const http = byType("aws_lb_listener").find(([, values]) => values.protocol === "HTTP")!;
    expect(http[1].routing_http_response_server_enabled).toBe(false);
    // The provider plans no header value on the redirect listener: the attributes it leaves to AWS stay unknown.
    expect(plan().unknown[http[0]]).toMatchObject({ routing_http_response_x_frame_options_header_value: true, routing_http_response_content_security_policy_header_value: true });
  });

  test("plans both revocation lists into the trust store, and the listener's verification after them", () => {
    const revocations = byType("aws_lb_trust_store_revocation");
    expect(revocations.map(([, values]) => `s3://${values.revocations_s3_bucket}/${values.revocations_s3_key}`).sort()).toEqual([
      "s3://example-edge-crls/clients/issuing-ca-1.crl",
      "s3://example-edge-crls/clients/issuing-ca-2.crl",
    ]);
    const config = plan().plan.configuration.root_module.resources as Array<{ address: string; expressions: any; depends_on?: string[] }>;
    for (const [address] of revocations) {
      expect(plan().unknown[address]).toMatchObject({ trust_store_arn: true, revocation_id: true });
      expect(config.find((r) => r.address === address)!.expressions.trust_store_arn.references).toContain("aws_lb_trust_store.ClientTrustStore_DE0BC466.arn");
    }
    expect([...(config.find((r) => r.address === https()[0])!.depends_on ?? [])].sort()).toEqual(revocations.map(([address]) => address).sort());
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
