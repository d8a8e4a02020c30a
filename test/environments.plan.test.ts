import { environments } from "../environments";
import { EnvironmentConfig } from "../lib";
import { twoZones } from "./fixtures/environments";
import { expectedStack, recordKey } from "./support/environment-oracle";
import { synthToTemp } from "./support/synth";
import { describeWithTerraform, planStacks, PlanResult } from "./support/terraform";

// Every listed environment plus a test-only two-zone fixture. What each plan must contain is derived from its
// configuration by the oracle (test/support/environment-oracle.ts), so a new environment needs no edit here.
const planned: EnvironmentConfig[] = [...environments, twoZones];

describeWithTerraform("terraform plan of every environment (real Terraform, real AWS provider, offline)", () => {
  const synth = synthToTemp(planned);
  let plans = new Map<string, PlanResult | Error>();
  // All stacks plan at once (as many at a time as there are CPUs), sharing one provider install.
  beforeAll(async () => {
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

    test("plans to create exactly the certificate, its validation records, the validation, two listeners and the expiry alarm", () => {
      const changes = plan(name).plan.resource_changes as any[];
      expect(changes.every((c) => c.change.actions.join(",") === "create")).toBe(true);
      const counts: Record<string, number> = {};
      for (const { type } of changes) counts[type] = (counts[type] ?? 0) + 1;
      expect(counts).toEqual(want.resourceCounts);
    });

    test("plans one validation record per distinct validation name, at a stable address, in the longest-suffix zone", () => {
      const records = byType(plan(name), "aws_route53_record");
      expect(Object.fromEntries(records.map(([address, values]) => [recordKey(address), values.zone_id]))).toEqual(want.records);
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
        key_algorithm: want.keyAlgorithm,
        options: [{ certificate_transparency_logging_preference: "ENABLED" }],
      });
      // The provider plans the domain name into subject_alternative_names too (as ACM reports it after issue).
      expect([...certificate.subject_alternative_names].sort()).toEqual([...want.names].sort());
      expect(certificate.tags_all).toEqual(want.defaultTags);
    });

    test("plans the HTTPS listener with the configured TLS 1.2+ policy and a certificate known only once issued", () => {
      const [address, https] = byType(plan(name), "aws_lb_listener").find(([, values]) => values.protocol === "HTTPS")!;
      expect(https).toMatchObject({ port: 443, ssl_policy: want.tlsPolicy, load_balancer_arn: want.loadBalancerArn });
      expect(plan(name).unknown[address]).toMatchObject({ certificate_arn: true });
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

    test("plans the validation with the configured create timeout", () => {
      const [[, validation]] = byType(plan(name), "aws_acm_certificate_validation");
      expect(validation.timeouts).toEqual({ create: want.validationTimeout });
    });
  });
});
