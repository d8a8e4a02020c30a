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

  test("sends nosniff, X-Frame-Options DENY and the Content-Security-Policy from the HTTPS listener, and no Server header from either listener", () => {
    expect(https).toMatchObject({
      routing_http_response_x_content_type_options_header_value: "nosniff",
      routing_http_response_x_frame_options_header_value: "DENY",
      routing_http_response_content_security_policy_header_value: "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
      routing_http_response_server_enabled: false,
    });
    const http = all("aws_lb_listener").find(([, l]) => l.protocol === "HTTP")![1];
    expect(http.routing_http_response_server_enabled).toBe(false);
  });

  test("requests the EC default certificate, its RSA and EC twins and the two additional certificates, all DNS-validated", () => {
    const certificates = all("aws_acm_certificate").map(([, c]) => `${c.key_algorithm} ${[c.domain_name, ...c.subject_alternative_names].join(",")}`);
    expect(certificates.sort()).toEqual([
      "EC_prime256v1 example.com,*.example.com,www.example.org",
      "EC_prime256v1 example.com,*.example.com,www.example.org",
      "EC_prime256v1 shop.example.org,*.shop.example.org,example.com",
      "EC_prime256v1 status.example.com,*.status.example.com",
      "RSA_2048 example.com,*.example.com,www.example.org",
    ]);
    for (const [, certificate] of all("aws_acm_certificate")) expect(certificate.validation_method).toBe("DNS");
  });

  test("has one validation record per validation name across all five certificates", () => {
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
    expect(all("aws_acm_certificate_validation")).toHaveLength(5);
  });

  test("lists the RSA and EC twins and the additional certificates for SNI, never the default certificate, each once it is issued", () => {
    const attached = all("aws_lb_listener_certificate").map(([, a]) => a.certificate_arn).sort();
    expect(attached).toEqual(
      ["EcSniCertificate_", "RsaFallbackCertificate_", "AdditionalCertificate-shop_example_org_", "AdditionalCertificate-status_example_com_"]
        .map((prefix) => `\${aws_acm_certificate_validation.${idOf("aws_acm_certificate_validation", prefix)}.certificate_arn}`)
        .sort(),
    );
    const listener = `\${aws_lb_listener.${idOf("aws_lb_listener", "HttpsListener_")}.arn}`;
    for (const [, attachment] of all("aws_lb_listener_certificate")) expect(attachment.listener_arn).toBe(listener);
    expect(https.certificate_arn).toBe(`\${aws_acm_certificate_validation.${idOf("aws_acm_certificate_validation", "Certificate_")}.certificate_arn}`);
    expect(attached).not.toContain(https.certificate_arn);
  });

  test("has no create_before_destroy resource that could replace a validation record, directly or not", () => {
    // Terraform forces create_before_destroy onto every dependency of such a resource; a validation record replaced
    // that way is deleted by the destroy of its old instance (same DNS name), see
    // test/deploy/validation-records.emulator.test.ts. The SNI attachments are create_before_destroy (no gap when a
    // certificate is replaced) and reach the records through their validations, so every record they reach must be
    // unable to be replaced by a certificate's replacement: its name, type and value (from the certificate) ignored,
    // and its zone a literal (the only other argument that forces a new record).
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
    const resourceAt = (address: string) => {
      const [type, name] = address.split(".");
      return stack.resource[type][name];
    };
    const createBeforeDestroy = [...dependencies.keys()].filter((address) => resourceAt(address).lifecycle?.create_before_destroy === true);
    expect(createBeforeDestroy.map((a) => a.split(".")[0]).sort()).toEqual([
      ...Array(5).fill("aws_acm_certificate"),
      ...Array(4).fill("aws_lb_listener_certificate"),
      "aws_lb_trust_store",
      ...Array(2).fill("aws_lb_trust_store_revocation"),
    ]);
    const reachedRecords = new Set(createBeforeDestroy.flatMap((address) => [...upstream(address)].filter((d) => d.startsWith("aws_route53_record."))));
    // The check sees through references: the SNI attachments reach every validation record through their validations.
    expect(reachedRecords.size).toBe(all("aws_route53_record").filter(([, r]) => r.type === "CNAME" || r.type?.startsWith("${")).length);
    for (const address of reachedRecords) {
      const record = resourceAt(address);
      expect([address, record.lifecycle?.ignore_changes]).toEqual([address, expect.arrayContaining(["name", "type", "records"])]);
      expect([address, record.zone_id]).toEqual([address, expect.stringMatching(/^Z[0-9A-Z]+$/)]);
    }
  });

  test("verifies client certificates against a trust store built from the S3 CA bundle", () => {
    const [[storeId, store]] = all("aws_lb_trust_store");
    expect(store).toMatchObject({ ca_certificates_bundle_s3_bucket: "example-edge-ca-bundles", ca_certificates_bundle_s3_key: "clients/ca-bundle.pem" });
    expect(https.mutual_authentication).toEqual({ mode: "verify", trust_store_arn: `\${aws_lb_trust_store.${storeId}.arn}` });
  });

  test("adds both revocation lists to that trust store, and turns verification on only after them", () => {
    const [[storeId]] = all("aws_lb_trust_store");
    const revocations = all("aws_lb_trust_store_revocation");
    expect(revocations.map(([, r]) => `${r.trust_store_arn} s3://${r.revocations_s3_bucket}/${r.revocations_s3_key}`).sort()).toEqual([
      `\${aws_lb_trust_store.${storeId}.arn} s3://example-edge-crls/clients/issuing-ca-1.crl`,
      `\${aws_lb_trust_store.${storeId}.arn} s3://example-edge-crls/clients/issuing-ca-2.crl`,
    ]);
    expect([...https.depends_on].sort()).toEqual(revocations.map(([id]) => `aws_lb_trust_store_revocation.${id}`).sort());
  });
});

describe("the shipped environments", () => {
  const synth = synthToTemp(environments);
  afterAll(() => synth.cleanup());

  test.each(environments.map((e) => e.name))("%s sends the default one-year HSTS header and nosniff, keeps the Server header, and has no SNI certificates or mutual TLS", (name) => {
    const stack = synth.stackJson(name);
    const https = (Object.values(stack.resource.aws_lb_listener) as any[]).find((l) => l.protocol === "HTTPS");
    expect(https.routing_http_response_strict_transport_security_header_value).toBe("max-age=31536000");
    expect(https.routing_http_response_x_content_type_options_header_value).toBe("nosniff");
    expect(https.routing_http_response_server_enabled).toBe(true);
    expect(https).not.toHaveProperty("routing_http_response_x_frame_options_header_value");
    expect(https).not.toHaveProperty("routing_http_response_content_security_policy_header_value");
    expect(https).not.toHaveProperty("mutual_authentication");
    expect(stack.resource).not.toHaveProperty("aws_lb_listener_certificate");
    expect(stack.resource).not.toHaveProperty("aws_lb_trust_store");
  });
});
