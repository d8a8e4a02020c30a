import * as fs from "fs";
import * as path from "path";
import { environments } from "../../environments";
import { EnvironmentConfig } from "../../lib";
import { twoZones } from "../fixtures/environments";
import { everythingOn } from "../fixtures/everything-on";
import { certificateKey, expectedStack, recordKey } from "../support/environment-oracle";
import { synthToTemp } from "../support/synth";
import { describeWithTerraform, planStacks, PlanResult } from "../support/terraform";

// Every listed environment plus test-only fixtures: two zones, every optional field set, and adopted listeners (so the
// oracle's model of each field meets the real provider's plan). What each plan must contain is derived from its
// configuration by the oracle (test/support/environment-oracle.ts), so a new environment needs no edit here.
const adopting: EnvironmentConfig = {
  ...twoZones,
  name: "adopting",
  existingListeners: { http: `${twoZones.loadBalancerArn.replace(":loadbalancer/", ":listener/")}/0123456789abcdef` },
};
const planned: EnvironmentConfig[] = [...environments, twoZones, everythingOn, adopting];

/**
 * Offline, an `import` block (existingListeners) makes the provider read the listener from AWS and the plan fails, so
 * the blocks are taken out of the copy that is planned here: the plan then creates the listener it would adopt. The
 * blocks themselves are checked on the synthesized stack (test/stack/environments.test.ts) and applied on the AWS emulator
 * (test/deploy/existing-listeners.emulator.test.ts).
 */
function withoutImportBlocks(stackDir: string): void {
  const file = path.join(stackDir, "cdk.tf.json");
  const { import: _imports, ...stack } = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify(stack, null, 2));
}

describeWithTerraform("terraform plan of every environment (real Terraform, real AWS provider, offline)", () => {
  const synth = synthToTemp(planned);
  let plans = new Map<string, PlanResult | Error>();
  // All stacks plan at once (as many at a time as there are CPUs), sharing one provider install.
  beforeAll(async () => {
    for (const environment of planned) withoutImportBlocks(synth.stackDir(environment.name));
    plans = await planStacks(planned.map((e) => synth.stackDir(e.name)));
  });
  afterAll(() => synth.cleanup());

  function plan(name: string): PlanResult {
    const result = plans.get(synth.stackDir(name));
    if (result === undefined) throw new Error(`no plan for ${name}`);
    if (result instanceof Error) throw result;
    return result;
  }

  function byType(result: PlanResult, type: string): Array<[string, Record<string, any>]> {
    return Object.entries(result.resources)
      .filter(([, resource]) => resource.type === type)
      .map(([address, resource]) => [address, resource.values]);
  }

  describe.each(planned.map((e) => [e.name, e] as const))("%s", (name, config) => {
    const want = expectedStack(config);

    test("plans to create exactly the resources its configuration asks for, by type", () => {
      const changes = plan(name).plan.resource_changes as any[];
      expect(changes.every((c) => c.change.actions.join(",") === "create")).toBe(true);
      const counts: Record<string, number> = {};
      for (const { type } of changes) counts[type] = (counts[type] ?? 0) + 1;
      expect(counts).toEqual(want.resourceCounts);
    });

    test("plans one validation record per distinct validation name, at a stable address, in the longest-suffix zone", () => {
      const records = byType(plan(name), "aws_route53_record").filter(([, values]) => values.type !== "CAA");
      expect(Object.fromEntries(records.map(([address, values]) => [recordKey(address), values.zone_id]))).toEqual(want.records);
      for (const [address, values] of records) {
        expect(values).toMatchObject({ ttl: 60, allow_overwrite: true });
        // The record's name and value come from ACM at apply time.
        expect(plan(name).unknown[address]).toMatchObject({ name: true, records: true, type: true });
      }
    });

    test("plans every certificate with its configured names, key algorithm and transparency logging", () => {
      const certificates = byType(plan(name), "aws_acm_certificate").map(([, values]) => values);
      // The provider plans the domain name into subject_alternative_names too (as ACM reports it after issue).
      const planned = certificates.map((c) => certificateKey(c.key_algorithm, [c.domain_name, ...[...c.subject_alternative_names].sort()]));
      const wanted = want.certificates.map((c) => certificateKey(c.keyAlgorithm, [c.names[0], ...[...c.names].sort()]));
      expect(planned.sort()).toEqual(wanted.sort());
      for (const certificate of certificates) {
        expect(certificate).toMatchObject({ validation_method: "DNS", options: [{ certificate_transparency_logging_preference: "ENABLED" }] });
        expect(certificate.tags_all).toEqual(want.defaultTags);
      }
    });

    test("plans the HTTPS listener with the configured TLS 1.2+ policy and a certificate known only once issued", () => {
      const [address, https] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTPS")!;
      expect(https).toMatchObject({ port: 443, ssl_policy: want.tlsPolicy, load_balancer_arn: want.loadBalancerArn });
      expect(plan(name).unknown[address]).toMatchObject({ certificate_arn: true });
      if (want.hsts !== undefined) expect(https.routing_http_response_strict_transport_security_header_value).toBe(want.hsts);
      if (want.forwardsTo === undefined) expect(https.default_action[0].type).toBe("fixed-response");
      else expect(https.default_action[0]).toMatchObject({ type: "forward", target_group_arn: want.forwardsTo });
    });

    test("plans the HTTP listener as a permanent redirect to HTTPS on 443", () => {
      const [, http] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTP")!;
      expect(http).toMatchObject({ port: 80, load_balancer_arn: want.loadBalancerArn });
      expect(http.default_action).toHaveLength(1);
      expect(http.default_action[0]).toMatchObject({
        type: "redirect",
        redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301", host: "#{host}", path: "/#{path}", query: "#{query}" }],
      });
    });

    test("plans every validation with the configured create timeout", () => {
      const validations = byType(plan(name), "aws_acm_certificate_validation");
      expect(validations).toHaveLength(want.certificates.length);
      for (const [, validation] of validations) expect(validation.timeouts).toEqual({ create: want.validationTimeout });
    });

    test("plans an SNI attachment on the HTTPS listener for exactly the certificates that need it, from their validations", () => {
      const configured = plan(name).plan.configuration.root_module.resources as Array<{ address: string; type: string; expressions: any }>;
      const reference = (address: string, attribute: string, type: string) =>
        (configured.find((r) => r.address === address)!.expressions[attribute].references as string[]).find((ref) => ref.startsWith(`${type}.`))!.replace(/\.[a-z_]+$/, "");
      const [httpsAddress] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTPS")!;
      const attached = configured
        .filter((r) => r.type === "aws_lb_listener_certificate")
        .map((attachment) => {
          expect(reference(attachment.address, "listener_arn", "aws_lb_listener")).toBe(httpsAddress);
          const validation = reference(attachment.address, "certificate_arn", "aws_acm_certificate_validation");
          const certificate: Record<string, any> = plan(name).resources[reference(validation, "certificate_arn", "aws_acm_certificate")].values;
          return certificateKey(certificate.key_algorithm, [certificate.domain_name, ...[...certificate.subject_alternative_names].sort()]);
        });
      const wanted = want.certificates.filter((c) => c.sni).map((c) => certificateKey(c.keyAlgorithm, [c.names[0], ...[...c.names].sort()]));
      expect(attached.sort()).toEqual(wanted.sort());
    });

    test("plans the CAA sets, the trust store and the expiry alarms its configuration asks for", () => {
      const caa = byType(plan(name), "aws_route53_record").filter(([, values]) => values.type === "CAA");
      expect(Object.fromEntries(caa.map(([, v]) => [v.name, { zoneId: v.zone_id, records: [...v.records].sort() }]))).toEqual(
        Object.fromEntries(Object.entries(want.caa ?? {}).map(([apex, set]) => [apex, { ...set, records: [...set.records].sort() }])),
      );
      const stores = byType(plan(name), "aws_lb_trust_store").map(([, v]) => [v.ca_certificates_bundle_s3_bucket, v.ca_certificates_bundle_s3_key]);
      expect(stores).toEqual(want.mutualTls?.mode === "verify" ? [[want.mutualTls.bucket, want.mutualTls.key]] : []);
      const [, https] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTPS")!;
      expect(https.mutual_authentication?.[0]?.mode ?? "off").toBe(want.mutualTls?.mode ?? "off");
      const thresholds = byType(plan(name), "aws_cloudwatch_metric_alarm").map(([, v]) => v.threshold);
      expect(thresholds).toEqual(want.expiryAlarm === undefined ? [] : want.certificates.map(() => want.expiryAlarm!.threshold));
      const subscriptions = byType(plan(name), "aws_sns_topic_subscription").map(([, v]) => [v.protocol, v.endpoint]);
      expect(subscriptions).toEqual(want.expiryAlarm?.email === undefined ? [] : [["email", want.expiryAlarm.email]]);
    });

    test("plans every Route53 record through aws.dns when dnsRoleArn is set, and everything else through the default provider", () => {
      const configured = plan(name).plan.configuration.root_module.resources as Array<{ type: string; provider_config_key: string }>;
      for (const resource of configured) {
        const provider = resource.type === "aws_route53_record" && want.dnsProvider !== undefined ? "aws.dns" : "aws";
        expect([resource.type, resource.provider_config_key]).toEqual([resource.type, provider]);
      }
      expect(Object.keys(plan(name).plan.configuration.provider_config).sort()).toEqual(want.dnsProvider === undefined ? ["aws"] : ["aws", "aws.dns"]);
    });
  });
});
