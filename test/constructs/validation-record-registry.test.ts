import { Testing } from "cdktf";
import { Construct } from "constructs";
import { DnsValidatedCertificate, DnsValidatedCertificateProps, ValidationRecordRegistry } from "../../lib";

const ZONES = { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" };
type Extra = Pick<DnsValidatedCertificateProps, "domainName" | "subjectAlternativeNames" | "keyAlgorithm">;

/** A default certificate for example.com (+ *.example.com) and further certificates sharing its records. */
function synthShared(extras: Array<[string, Extra]>) {
  let certificates: Record<string, DnsValidatedCertificate> = {};
  const json = Testing.synthScope((scope: Construct) => {
    const first = new DnsValidatedCertificate(scope, "Certificate", { domainName: "example.com", hostedZones: ZONES });
    certificates = { Certificate: first };
    for (const [id, props] of extras) {
      certificates[id] = new DnsValidatedCertificate(scope, id, {
        ...props,
        hostedZones: ZONES,
        validationRecordRegistry: first.validationRecordRegistry,
      });
    }
  });
  const parsed = JSON.parse(json);
  const records = Object.entries(parsed.resource.aws_route53_record) as Array<[string, any]>;
  const validations = parsed.resource.aws_acm_certificate_validation as Record<string, any>;
  return { parsed, records, validations, certificates };
}

const recordIds = (records: Array<[string, any]>) => records.map(([id]) => id.replace(/_[0-9A-F]{8}$/, "")).sort();
const validationOf = (validations: Record<string, any>, id: string) =>
  Object.entries(validations).find(([key]) => key.startsWith(`${id}_Validation`))![1];

describe("ValidationRecordRegistry", () => {
  test("gives an RSA twin of the default certificate no records of its own: it validates with the same CNAMEs", () => {
    const { records, validations } = synthShared([["RsaFallbackCertificate", { domainName: "example.com", keyAlgorithm: "RSA_2048" }]]);
    expect(recordIds(records)).toEqual(["Certificate_ValidationRecord-example_com"]);
    const fqdn = `\${aws_route53_record.${records[0][0]}.fqdn}`;
    expect(validationOf(validations, "Certificate").validation_record_fqdns).toEqual([fqdn]);
    expect(validationOf(validations, "RsaFallbackCertificate").validation_record_fqdns).toEqual([fqdn]);
  });

  test("makes one record per validation name across certificates, and only the new names get new records", () => {
    // GIVEN a second certificate that shares example.com with the default one and adds two names
    const { records, validations } = synthShared([
      ["Shop", { domainName: "shop.example.org", subjectAlternativeNames: ["example.com", "*.shop.example.org", "www.example.com"] }],
    ]);
    // THEN three distinct validation names -> three records, all at addresses of the default certificate
    expect(recordIds(records)).toEqual([
      "Certificate_ValidationRecord-example_com",
      "Certificate_ValidationRecord-shop_example_org",
      "Certificate_ValidationRecord-www_example_com",
    ]);
    const fqdnOf = (suffix: string) => `\${aws_route53_record.${records.find(([id]) => id.includes(`ValidationRecord-${suffix}_`))![0]}.fqdn}`;
    expect(validationOf(validations, "Shop").validation_record_fqdns).toEqual([fqdnOf("example_com"), fqdnOf("shop_example_org"), fqdnOf("www_example_com")]);
    expect(validationOf(validations, "Certificate").validation_record_fqdns).toEqual([fqdnOf("example_com")]);
    // Each record in the zone of its name, whoever asked for it.
    expect(records.find(([id]) => id.includes("shop_example_org"))![1].zone_id).toBe("Z0ORG000000000000000");
  });

  test("takes a shared record's value from the certificate that asked first, and a new name's from its own certificate", () => {
    const { records } = synthShared([["Shop", { domainName: "shop.example.org", subjectAlternativeNames: ["example.com"] }]]);
    const record = (suffix: string) => records.find(([id]) => id.includes(`ValidationRecord-${suffix}_`))![1];
    expect(record("example_com").name).toMatch(/aws_acm_certificate\.Certificate_[0-9A-F]+\.domain_validation_options/);
    expect(record("shop_example_org").name).toMatch(/aws_acm_certificate\.Shop_Certificate_[0-9A-F]+\.domain_validation_options/);
  });

  test("keeps every record at the same address whatever other certificates come, go or are reordered", () => {
    const a: [string, Extra] = ["A", { domainName: "a.example.com", subjectAlternativeNames: ["shop.example.org"] }];
    const b: [string, Extra] = ["B", { domainName: "shop.example.org", subjectAlternativeNames: ["b.example.com"] }];
    const both = recordIds(synthShared([a, b]).records);
    expect(recordIds(synthShared([b, a]).records)).toEqual(both);
    // Removing A leaves B's records where they were.
    const onlyB = synthShared([b]).records.map(([id]) => id);
    const full = synthShared([a, b]).records.map(([id]) => id);
    for (const id of onlyB) expect(full).toContain(id);
  });

  test("lists every record of the stack once, sorted by validation name", () => {
    const { certificates } = synthShared([["Shop", { domainName: "shop.example.org", subjectAlternativeNames: ["example.com"] }]]);
    const all = certificates.Certificate.validationRecordRegistry.all;
    expect(all).toHaveLength(2);
    expect(all.map((r) => r.node.id)).toEqual(["ValidationRecord-example_com", "ValidationRecord-shop_example_org"]);
    expect(certificates.Shop.validationRecordRegistry).toBe(certificates.Certificate.validationRecordRegistry);
  });

  test("gives a certificate without a shared registry its own records, as before", () => {
    const json = Testing.synthScope((scope) => {
      new DnsValidatedCertificate(scope, "One", { domainName: "example.com", hostedZones: ZONES });
      new DnsValidatedCertificate(scope, "Two", { domainName: "example.com", hostedZones: ZONES });
    });
    expect(recordIds(Object.entries(JSON.parse(json).resource.aws_route53_record))).toEqual([
      "One_ValidationRecord-example_com",
      "Two_ValidationRecord-example_com",
    ]);
  });

  test("refuses a certificate whose hosted zones differ from the shared records' zones", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const first = new DnsValidatedCertificate(scope, "Certificate", { domainName: "example.com", hostedZones: ZONES });
        new DnsValidatedCertificate(scope, "Other", {
          domainName: "example.com",
          hostedZones: { "example.com": "Z0OTHER0000000000000" },
          validationRecordRegistry: first.validationRecordRegistry,
        });
      }),
    ).toThrow(/Other: the shared validation records use other hosted zones than this certificate/);
  });

  test("is reusable on its own for any scope", () => {
    const json = Testing.synthScope((scope) => {
      const registry = new ValidationRecordRegistry(scope, ZONES);
      new DnsValidatedCertificate(scope, "X", { domainName: "example.org", hostedZones: ZONES, validationRecordRegistry: registry });
    });
    expect(recordIds(Object.entries(JSON.parse(json).resource.aws_route53_record))).toEqual(["ValidationRecord-example_org"]);
  });
});
