import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { caaRecordSets, CaaRecords, CaaRecordsProps } from "../../lib";

const ZONES = { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000", "api.example.com": "Z0API000000000000000" };

function synth(props: Partial<CaaRecordsProps> & Pick<CaaRecordsProps, "certificateNames">, withDnsProvider = false): any[] {
  const stack = new TerraformStack(Testing.app(), "caa");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const provider = withDnsProvider ? new AwsProvider(stack, "aws-dns", { region: "us-east-1", alias: "dns" }) : undefined;
  new CaaRecords(stack, "Caa", { hostedZones: ZONES, provider, ...props });
  return Object.values(JSON.parse(Testing.synth(stack)).resource?.aws_route53_record ?? {});
}

describe("CaaRecords", () => {
  test("puts one CAA set at the apex of each zone the names use, and none in zones no name uses", () => {
    // GIVEN names in example.com and its delegated api.example.com zone, none in example.org
    const records = synth({ certificateNames: ["example.com", "www.example.com", "v1.api.example.com"] });
    // THEN
    expect(records.map((r) => [r.name, r.zone_id, r.type])).toEqual([
      ["api.example.com", "Z0API000000000000000", "CAA"],
      ["example.com", "Z0123456789ABCDEFGHIJ", "CAA"],
    ]);
  });

  test("allows amazon.com only by default, with a 300 s TTL and without iodef", () => {
    const [record] = synth({ certificateNames: ["example.com"] });
    expect(record.records).toEqual(['0 issue "amazon.com"']);
    expect(record.ttl).toBe(300);
  });

  test("adds issuewild per issuer only in zones with a wildcard name", () => {
    const records = synth({ certificateNames: ["example.com", "*.example.com", "shop.example.org"], issuers: ["amazon.com", "amazontrust.com"] });
    const byApex = Object.fromEntries(records.map((r) => [r.name, r.records]));
    expect(byApex).toEqual({
      "example.com": ['0 issue "amazon.com"', '0 issue "amazontrust.com"', '0 issuewild "amazon.com"', '0 issuewild "amazontrust.com"'],
      "example.org": ['0 issue "amazon.com"', '0 issue "amazontrust.com"'],
    });
  });

  test("adds the iodef URL to every set", () => {
    const records = synth({ certificateNames: ["example.com", "shop.example.org"], iodef: "mailto:security@example.com" });
    for (const record of records) expect(record.records).toContain('0 iodef "mailto:security@example.com"');
  });

  test("never overwrites an existing CAA set: allow_overwrite is left unset", () => {
    for (const record of synth({ certificateNames: ["example.com", "*.example.com"] })) expect(record).not.toHaveProperty("allow_overwrite");
  });

  test("uses the given provider for every record, and the default one otherwise", () => {
    expect(synth({ certificateNames: ["example.com"] }, true).map((r) => r.provider)).toEqual(["aws.dns"]);
    expect(synth({ certificateNames: ["example.com"] })[0]).not.toHaveProperty("provider");
  });

  test("keys each record by its apex, so adding names elsewhere never moves a set", () => {
    const stack = new TerraformStack(Testing.app(), "caa");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new CaaRecords(stack, "Caa", { hostedZones: ZONES, certificateNames: ["example.com", "shop.example.org"] });
    const ids = Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_route53_record);
    expect(ids).toEqual([expect.stringMatching(/^Caa_CaaRecord-example_com_[0-9A-F]{8}$/), expect.stringMatching(/^Caa_CaaRecord-example_org_[0-9A-F]{8}$/)]);
  });

  test("refuses a name under no hosted zone", () => {
    expect(() => caaRecordSets({ hostedZones: ZONES, certificateNames: ["example.net"] })).toThrow(/example\.net is under no hosted zone/);
  });
});
