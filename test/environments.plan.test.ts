import { environments } from "../environments";
import { EnvironmentConfig } from "../lib";
import { twoZones } from "./fixtures/environments";
import { synthToTemp } from "./support/synth";
import { describeWithTerraform, planStackDirectory, PlanResult } from "./support/terraform";

/** Per environment: validation name -> hosted zone ID the plan must put its record in. */
const expectedRecords: Record<string, Record<string, string>> = {
  dev: { dev_example_com: "Z0123456789ABCDEFGHIJ" },
  staging: { api_staging_example_com: "Z0STAGING00000000000", staging_example_com: "Z0STAGING00000000000" },
  prod: { api_example_com: "Z0123456789ABCDEFGHIJ", example_com: "Z0123456789ABCDEFGHIJ" },
  twozones: { example_com: "Z0123456789ABCDEFGHIJ", shop_example_org: "Z0ORG000000000000000" },
};

const planned: EnvironmentConfig[] = [...environments, twoZones];

describeWithTerraform("terraform plan of every environment (real Terraform, real AWS provider, offline)", () => {
  const synth = synthToTemp(planned);
  const plans = new Map<string, PlanResult>();
  afterAll(() => synth.cleanup());

  function plan(name: string): PlanResult {
    if (!plans.has(name)) plans.set(name, planStackDirectory(synth.stackDir(name)));
    return plans.get(name)!;
  }

  function byType(result: PlanResult, type: string): Array<[string, Record<string, any>]> {
    return Object.entries(result.resources)
      .filter(([, resource]) => resource.type === type)
      .map(([address, resource]) => [address, resource.values]);
  }

  describe.each(planned.map((e) => [e.name, e] as const))("%s", (name, config) => {
    test("plans to create exactly the certificate, its validation records, the validation, two listeners and the expiry alarm", () => {
      const result = plan(name);
      const actions = (result.plan.resource_changes as any[]).map((c) => [c.type, c.change.actions.join(",")]);
      expect(actions.every(([, action]) => action === "create")).toBe(true);
      const count = (type: string) => actions.filter(([t]) => t === type).length;
      expect(count("aws_acm_certificate")).toBe(1);
      expect(count("aws_route53_record")).toBe(Object.keys(expectedRecords[name]).length);
      expect(count("aws_acm_certificate_validation")).toBe(1);
      expect(count("aws_lb_listener")).toBe(2);
      // The default expiryAlarm: one alarm, and the topic it notifies with its key.
      expect([count("aws_cloudwatch_metric_alarm"), count("aws_sns_topic"), count("aws_kms_key")]).toEqual([1, 1, 1]);
      expect(actions).toHaveLength(7 + Object.keys(expectedRecords[name]).length);
    });

    test("plans one validation record per distinct validation name, at a stable address, in the longest-suffix zone", () => {
      const records = byType(plan(name), "aws_route53_record");
      const zoneByName = Object.fromEntries(
        records.map(([address, values]) => [
          address.replace(/^aws_route53_record\.Certificate_ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, ""),
          values.zone_id,
        ]),
      );
      expect(zoneByName).toEqual(expectedRecords[name]);
      for (const [address, values] of records) {
        expect(values).toMatchObject({ ttl: 60, allow_overwrite: true });
        // The record's name and value come from ACM at apply time.
        expect(plan(name).unknown[address]).toMatchObject({ name: true, records: true, type: true });
      }
    });

    test("plans the certificate with the configured names, key algorithm and transparency logging", () => {
      const [[, certificate]] = byType(plan(name), "aws_acm_certificate");
      expect(certificate).toMatchObject({
        domain_name: config.domainName,
        validation_method: "DNS",
        key_algorithm: config.keyAlgorithm ?? "EC_prime256v1",
        options: [{ certificate_transparency_logging_preference: "ENABLED" }],
      });
      // The provider plans the domain name into subject_alternative_names too (as ACM reports it after issue).
      const names = [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
      expect([...certificate.subject_alternative_names].sort()).toEqual(names.sort());
      expect(certificate.tags_all).toMatchObject({ environment: name, "managed-by": "cdktf", stack: `tls-${name}` });
    });

    test("plans the HTTPS listener with a TLS 1.2+ policy and a certificate known only once issued", () => {
      const listeners = byType(plan(name), "aws_lb_listener");
      const [address, https] = listeners.find(([, values]) => values.protocol === "HTTPS")!;
      expect(https).toMatchObject({ port: 443, ssl_policy: config.tlsPolicy ?? "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", load_balancer_arn: config.loadBalancerArn });
      expect(plan(name).unknown[address]).toMatchObject({ certificate_arn: true });
      expect(https.default_action[0].type).toBe(config.targetGroupArn ? "forward" : "fixed-response");
    });

    test("plans the HTTP listener as a permanent redirect to HTTPS on 443", () => {
      const [, http] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTP")!;
      expect(http.port).toBe(80);
      expect(http.default_action).toHaveLength(1);
      expect(http.default_action[0]).toMatchObject({
        type: "redirect",
        redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301", host: "#{host}", path: "/#{path}", query: "#{query}" }],
      });
    });

    test("plans the validation with the configured create timeout", () => {
      const [[, validation]] = byType(plan(name), "aws_acm_certificate_validation");
      expect(validation.timeouts).toEqual({ create: config.validationTimeout ?? "30m" });
    });
  });
});
