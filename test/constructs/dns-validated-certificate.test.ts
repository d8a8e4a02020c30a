import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Testing } from "cdktf";
import { DnsValidatedCertificate, DnsValidatedCertificateProps } from "../../lib";

const ZONES = { "example.com": "Z0123456789ABCDEFGHIJ", "api.example.com": "Z0API000000000000000" };

function synthCertificate(props: Partial<DnsValidatedCertificateProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new DnsValidatedCertificate(scope, "Cert", { domainName: "example.com", hostedZones: ZONES, ...props });
  });
  return { json, parsed: JSON.parse(json) };
}

function records(parsed: any): Array<[string, any]> {
  return Object.entries(parsed.resource.aws_route53_record ?? {});
}

describe("DnsValidatedCertificate", () => {
  test("requests a DNS-validated EC P-256 certificate for the name and its wildcard, with transparency logging on", () => {
    const { json, parsed } = synthCertificate();
    expect(json).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "example.com",
      subject_alternative_names: ["*.example.com"],
      validation_method: "DNS",
      key_algorithm: "EC_prime256v1",
      options: { certificate_transparency_logging_preference: "ENABLED" },
      lifecycle: { create_before_destroy: true },
    });
    expect(Object.values(parsed.resource.aws_acm_certificate)[0]).not.toHaveProperty("tags");
  });

  test("makes one validation record for a name and its wildcard, since ACM gives them the same CNAME", () => {
    const { parsed } = synthCertificate();
    expect(records(parsed)).toHaveLength(1);
  });

  test("makes one record per distinct validation name, keyed by names known at synth time, in the longest-suffix zone", () => {
    // GIVEN apex + wildcard, api + its wildcard (in the api zone), and a second-level name
    const { parsed } = synthCertificate({
      subjectAlternativeNames: ["*.example.com", "api.example.com", "*.api.example.com", "www.example.com"],
    });
    // THEN
    const byPath = Object.fromEntries(records(parsed).map(([id, r]) => [id.replace(/^Cert_/, "").replace(/_[0-9A-F]{8}$/, ""), r]));
    expect(Object.keys(byPath).sort()).toEqual([
      "ValidationRecord-api_example_com",
      "ValidationRecord-example_com",
      "ValidationRecord-www_example_com",
    ]);
    expect(byPath["ValidationRecord-api_example_com"].zone_id).toBe("Z0API000000000000000");
    expect(byPath["ValidationRecord-example_com"].zone_id).toBe("Z0123456789ABCDEFGHIJ");
    expect(byPath["ValidationRecord-www_example_com"].zone_id).toBe("Z0123456789ABCDEFGHIJ");
    for (const record of Object.values(byPath) as any[]) {
      expect(record.ttl).toBe(60);
      expect(record.allow_overwrite).toBe(true);
      expect(record).not.toHaveProperty("for_each");
    }
  });

  test("looks the record values up by domain name in domain_validation_options instead of iterating over them", () => {
    const { parsed } = synthCertificate({ subjectAlternativeNames: ["*.example.com", "api.example.com"] });
    const record = records(parsed).find(([id]) => id.includes("api_example_com"))![1];
    expect(record.name).toMatch(/^\$\{\{ for key, val in .*domain_validation_options\)\): val\.domain_name => val \}\["api\.example\.com"\]\.resource_record_name\}$/);
    expect(record.type).toMatch(/\["api\.example\.com"\]\.resource_record_type\}$/);
    expect(record.records).toEqual([expect.stringMatching(/\["api\.example\.com"\]\.resource_record_value\}$/)]);
  });

  test("looks a lone wildcard up under its own name, since ACM lists only the names requested", () => {
    const { parsed } = synthCertificate({ domainName: "www.example.com", subjectAlternativeNames: ["*.api.example.com"] });
    const record = records(parsed).find(([id]) => id.includes("ValidationRecord-api_example_com"))![1];
    expect(record.name).toContain('["*.api.example.com"].resource_record_name');
  });

  test("validates over every record's FQDN with a 30 minute create timeout by default", () => {
    const { json, parsed } = synthCertificate({ subjectAlternativeNames: ["*.example.com", "api.example.com"] });
    const fqdns = records(parsed).map(([id]) => `\${aws_route53_record.${id}.fqdn}`);
    expect(json).toHaveResourceWithProperties(AcmCertificateValidation, {
      validation_record_fqdns: fqdns,
      timeouts: { create: "30m" },
    });
    expect(fqdns).toHaveLength(2);
  });

  test("uses the given key algorithm, timeout, TTL and tags", () => {
    const { json } = synthCertificate({ keyAlgorithm: "RSA_2048", validationTimeout: "1h", validationRecordTtl: 300, tags: { team: "edge" } });
    expect(json).toHaveResourceWithProperties(AcmCertificate, { key_algorithm: "RSA_2048", tags: { team: "edge" } });
    expect(json).toHaveResourceWithProperties(AcmCertificateValidation, { timeouts: { create: "1h" } });
    expect(json).toHaveResourceWithProperties(Route53Record, { ttl: 300 });
  });

  test("throws when a name is under no hosted zone", () => {
    expect(() => synthCertificate({ subjectAlternativeNames: ["example.org"] })).toThrow(/example\.org is under no hosted zone/);
  });
});
