import { environments } from "../environments";
import { synthToTemp } from "./support/synth";

/** What each shipped environment must contain, written out independently of the code that builds it. */
const expected: Record<string, { names: string[]; records: Record<string, string>; forward: boolean; backend: string; policy: string; key: string; timeout: string }> = {
  dev: {
    names: ["dev.example.com", "*.dev.example.com"],
    records: { dev_example_com: "Z0123456789ABCDEFGHIJ" },
    forward: false,
    backend: "local",
    policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    key: "EC_prime256v1",
    timeout: "30m",
  },
  staging: {
    names: ["staging.example.com", "*.staging.example.com", "api.staging.example.com", "*.api.staging.example.com"],
    records: { api_staging_example_com: "Z0STAGING00000000000", staging_example_com: "Z0STAGING00000000000" },
    forward: true,
    backend: "s3",
    policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    key: "EC_secp384r1",
    timeout: "30m",
  },
  prod: {
    names: ["example.com", "*.example.com", "api.example.com", "*.api.example.com"],
    records: { api_example_com: "Z0123456789ABCDEFGHIJ", example_com: "Z0123456789ABCDEFGHIJ" },
    forward: true,
    backend: "s3",
    policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    key: "EC_prime256v1",
    timeout: "45m",
  },
};

describe("shipped environments", () => {
  const synth = synthToTemp(environments);
  afterAll(() => synth.cleanup());

  test("are exactly dev, staging and prod", () => {
    expect(environments.map((e) => e.name)).toEqual(Object.keys(expected));
  });

  describe.each(Object.keys(expected))("%s", (name) => {
    const want = expected[name];
    const stack = synth.stackJson(name);

    test("matches the reviewed snapshot", () => {
      expect(stack).toMatchSnapshot();
    });

    test("requests a DNS-validated certificate for every configured name with transparency logging on", () => {
      const [certificate] = Object.values(stack.resource.aws_acm_certificate) as any[];
      expect([certificate.domain_name, ...certificate.subject_alternative_names]).toEqual(want.names);
      expect(certificate).toMatchObject({
        validation_method: "DNS",
        key_algorithm: want.key,
        options: { certificate_transparency_logging_preference: "ENABLED" },
        lifecycle: { create_before_destroy: true },
      });
    });

    test("has one validation record per distinct validation name, in the right zone", () => {
      const records = Object.entries(stack.resource.aws_route53_record) as Array<[string, any]>;
      const zoneByName = Object.fromEntries(
        records.map(([id, record]) => [id.replace(/^Certificate_ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, ""), record.zone_id]),
      );
      expect(zoneByName).toEqual(want.records);
      const [validation] = Object.values(stack.resource.aws_acm_certificate_validation) as any[];
      expect(validation.validation_record_fqdns).toHaveLength(Object.keys(want.records).length);
      expect(validation.timeouts).toEqual({ create: want.timeout });
    });

    test("serves HTTPS with a TLS 1.2+ policy and redirects HTTP with a 301", () => {
      const listeners = Object.values(stack.resource.aws_lb_listener) as any[];
      const https = listeners.find((l) => l.protocol === "HTTPS");
      const http = listeners.find((l) => l.protocol === "HTTP");
      expect(listeners).toHaveLength(2);
      expect(https).toMatchObject({ port: 443, ssl_policy: want.policy });
      expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\./);
      expect(https.default_action[0].type).toBe(want.forward ? "forward" : "fixed-response");
      expect(http.default_action).toEqual([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", status_code: "HTTP_301" } },
      ]);
    });

    test("uses the configured state backend and writes no absolute path", () => {
      expect(Object.keys(stack.terraform.backend)).toEqual([want.backend]);
      if (want.backend === "s3") expect(stack.terraform.backend.s3).toMatchObject({ encrypt: true, use_lockfile: true });
      else expect(stack.terraform.backend.local.path).toBe(`../../../terraform.tls-${name}.tfstate`);
      expect(JSON.stringify(stack)).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
    });
  });
});
