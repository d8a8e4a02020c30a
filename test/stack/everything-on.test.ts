/**
 * Snapshot of the everything-on fixture's stack, with targeted assertions beside it for each edge feature (the
 * snapshot shows the whole stack to a reviewer; these say what must hold in it).
 */
import { environments } from "../../environments";
import { everythingOn } from "../fixtures/everything-on";
import { synthToTemp } from "../support/synth";

describe("the everything-on fixture", () => {
  const synth = synthToTemp([everythingOn]);
  afterAll(() => synth.cleanup());
  const stack = synth.stackJson(everythingOn.name);
  const all = (type: string): Array<[string, any]> => Object.entries(stack.resource[type] ?? {});
  const https = all("aws_lb_listener").find(([, l]) => l.protocol === "HTTPS")![1];
  const idOf = (type: string, prefix: string) => {
    const matches = all(type).filter(([id]) => id.startsWith(prefix));
    expect(matches).toHaveLength(1);
    return matches[0][0];
  };

  test("matches the reviewed snapshot", () => {
    expect(stack).toMatchSnapshot();
  });

  test("sends the two-year, subdomain, preload HSTS header from the HTTPS listener", () => {
    expect(https.routing_http_response_strict_transport_security_header_value).toBe("max-age=63072000; includeSubDomains; preload");
  });

  test("requests the EC default certificate, its RSA twin and the two additional certificates, all DNS-validated", () => {
    const certificates = all("aws_acm_certificate").map(([, c]) => `${c.key_algorithm} ${[c.domain_name, ...c.subject_alternative_names].join(",")}`);
    expect(certificates.sort()).toEqual([
      "EC_prime256v1 example.com,*.example.com,www.example.org",
      "EC_prime256v1 shop.example.org,*.shop.example.org,example.com",
      "EC_prime256v1 status.example.com,*.status.example.com",
      "RSA_2048 example.com,*.example.com,www.example.org",
    ]);
    for (const [, certificate] of all("aws_acm_certificate")) expect(certificate.validation_method).toBe("DNS");
  });

  test("has one validation record per validation name across all four certificates", () => {
    const zoneByName = Object.fromEntries(
      all("aws_route53_record")
        // The CAA sets (caa) are records too; test/stack/everything-on-dns-caa-alarms.test.ts checks them.
        .filter(([, r]) => r.type !== "CAA")
        .map(([id, r]) => [id.replace(/^Certificate_ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, ""), r.zone_id]),
    );
    // example.com is named by three certificates and shop.example.org's wildcard shares its name's record.
    expect(zoneByName).toEqual({
      example_com: "Z0EVERYTHINGCOM00001",
      shop_example_org: "Z0EVERYTHINGORG00001",
      status_example_com: "Z0EVERYTHINGCOM00001",
      www_example_org: "Z0EVERYTHINGORG00001",
    });
    expect(all("aws_acm_certificate_validation")).toHaveLength(4);
  });

  test("lists the EC default certificate, its RSA twin and the additional certificates for SNI, each once it is issued", () => {
    const attached = all("aws_lb_listener_certificate").map(([, a]) => a.certificate_arn).sort();
    expect(attached).toEqual(
      ["Certificate_", "RsaFallbackCertificate_", "AdditionalCertificate-shop_example_org_", "AdditionalCertificate-status_example_com_"]
        .map((prefix) => `\${aws_acm_certificate_validation.${idOf("aws_acm_certificate_validation", prefix)}.certificate_arn}`)
        .sort(),
    );
    const listener = `\${aws_lb_listener.${idOf("aws_lb_listener", "HttpsListener_")}.arn}`;
    for (const [, attachment] of all("aws_lb_listener_certificate")) expect(attachment.listener_arn).toBe(listener);
    expect(https.certificate_arn).toBe(`\${aws_acm_certificate_validation.${idOf("aws_acm_certificate_validation", "Certificate_")}.certificate_arn}`);
  });

  test("has no create_before_destroy resource that depends on a validation record, directly or not", () => {
    // Terraform forces create_before_destroy onto every dependency of such a resource; a validation record replaced
    // that way is deleted by the destroy of its old instance (same DNS name), see test/deploy/validation-records.emulator.test.ts.
    const dependencies = new Map<string, string[]>();
    for (const [type, resources] of Object.entries(stack.resource as Record<string, Record<string, unknown>>)) {
      for (const [name, body] of Object.entries(resources)) {
        const references = [...JSON.stringify(body).matchAll(/\$\{[^}]*?\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g)].map((m) => `${m[1]}.${m[2]}`);
        dependencies.set(`${type}.${name}`, [...new Set(references)]);
      }
    }
    const upstream = (address: string, seen = new Set<string>()): Set<string> => {
      for (const dependency of dependencies.get(address) ?? []) {
        if (!seen.has(dependency)) {
          seen.add(dependency);
          upstream(dependency, seen);
        }
      }
      return seen;
    };
    const createBeforeDestroy = [...dependencies.keys()].filter((address) => {
      const [type, name] = address.split(".");
      return stack.resource[type][name].lifecycle?.create_before_destroy === true;
    });
    // The certificates and the trust store are create_before_destroy, and none of them reads a record.
    expect(createBeforeDestroy.map((a) => a.split(".")[0]).sort()).toEqual([...Array(4).fill("aws_acm_certificate"), "aws_lb_trust_store"]);
    for (const address of createBeforeDestroy) {
      expect([...upstream(address)].filter((dependency) => dependency.startsWith("aws_route53_record."))).toEqual([]);
    }
    // The check itself sees through references: an SNI attachment reaches the records through its validation.
    const attachment = [...dependencies.keys()].find((a) => a.startsWith("aws_lb_listener_certificate."))!;
    expect([...upstream(attachment)].some((dependency) => dependency.startsWith("aws_route53_record."))).toBe(true);
  });

  test("verifies client certificates against a trust store built from the S3 CA bundle", () => {
    const [[storeId, store]] = all("aws_lb_trust_store");
    expect(store).toMatchObject({ ca_certificates_bundle_s3_bucket: "example-edge-ca-bundles", ca_certificates_bundle_s3_key: "clients/ca-bundle.pem" });
    expect(https.mutual_authentication).toEqual({ mode: "verify", trust_store_arn: `\${aws_lb_trust_store.${storeId}.arn}` });
  });
});

describe("the shipped environments", () => {
  const synth = synthToTemp(environments);
  afterAll(() => synth.cleanup());

  test.each(environments.map((e) => e.name))("%s sends the default one-year HSTS header and has no SNI certificates or mutual TLS", (name) => {
    const stack = synth.stackJson(name);
    const https = (Object.values(stack.resource.aws_lb_listener) as any[]).find((l) => l.protocol === "HTTPS");
    expect(https.routing_http_response_strict_transport_security_header_value).toBe("max-age=31536000");
    expect(https).not.toHaveProperty("mutual_authentication");
    expect(stack.resource).not.toHaveProperty("aws_lb_listener_certificate");
    expect(stack.resource).not.toHaveProperty("aws_lb_trust_store");
  });
});
