/** TlsStack wiring of hsts, securityHeaders, additionalCertificates, rsaFallback and mutualTls. */
import { Testing } from "cdktf";
import { EnvironmentConfig, EnvironmentConfigError, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

const ZONES = { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" };

function synthStack(overrides: Partial<EnvironmentConfig> = {}) {
  const config = baseEnvironment({ hostedZones: ZONES, ...overrides });
  const stack = new TlsStack(Testing.app(), `tls-${config.name}`, config);
  const parsed = JSON.parse(Testing.synth(stack));
  const all = (type: string): Array<[string, any]> => Object.entries(parsed.resource[type] ?? {});
  const https = all("aws_lb_listener").find(([, l]) => l.protocol === "HTTPS")![1];
  const ref = (type: string, idPrefix: string, attribute: string) => {
    const matches = all(type).filter(([id]) => id.startsWith(idPrefix));
    expect(matches).toHaveLength(1);
    return `\${${type}.${matches[0][0]}.${attribute}}`;
  };
  return { stack, parsed, all, https, ref };
}

describe("TlsStack with the defaults of the edge options", () => {
  const { all, https, parsed } = synthStack();

  test("sends a one-year HSTS header from the HTTPS listener", () => {
    expect(https.routing_http_response_strict_transport_security_header_value).toBe("max-age=31536000");
  });

  test("has one certificate, no SNI attachments, no trust store and no mutual_authentication", () => {
    expect(all("aws_acm_certificate")).toHaveLength(1);
    expect(parsed.resource).not.toHaveProperty("aws_lb_listener_certificate");
    expect(parsed.resource).not.toHaveProperty("aws_lb_trust_store");
    expect(https).not.toHaveProperty("mutual_authentication");
  });

  test("leaves the HSTS attribute unset with hsts false", () => {
    expect(synthStack({ hsts: false }).https).not.toHaveProperty("routing_http_response_strict_transport_security_header_value");
  });

  test("writes a preloadable header when asked", () => {
    const { https: listener } = synthStack({ hsts: { maxAgeSeconds: 63072000, includeSubDomains: true, preload: true } });
    expect(listener.routing_http_response_strict_transport_security_header_value).toBe("max-age=63072000; includeSubDomains; preload");
  });
});

describe("TlsStack with rsaFallback", () => {
  const { all, ref, https, stack } = synthStack({ rsaFallback: true, subjectAlternativeNames: ["*.example.com", "www.example.org"] });

  test("requests an RSA_2048 twin and an EC twin of the EC default certificate, for the same names", () => {
    const certificates = all("aws_acm_certificate").map(([, c]) => [c.key_algorithm, c.domain_name, c.subject_alternative_names]);
    expect(certificates).toEqual([
      ["EC_prime256v1", "example.com", ["*.example.com", "www.example.org"]],
      ["EC_prime256v1", "example.com", ["*.example.com", "www.example.org"]],
      ["RSA_2048", "example.com", ["*.example.com", "www.example.org"]],
    ]);
    expect(stack.rsaFallbackCertificate).toBeDefined();
    expect(stack.ecSniCertificate).toBeDefined();
  });

  test("validates the twin with the default certificate's records: no second record for any name", () => {
    expect(all("aws_route53_record").map(([id]) => id.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "Certificate_ValidationRecord-example_com",
      "Certificate_ValidationRecord-www_example_org",
    ]);
    const [twin] = all("aws_acm_certificate_validation").filter(([id]) => id.startsWith("RsaFallbackCertificate_"));
    expect(twin[1].validation_record_fqdns).toHaveLength(2);
  });

  test("lists the RSA and EC twins for SNI, never the default certificate, from their validation resources, so only once issued", () => {
    // Clients that send SNI are matched against the list only: with the RSA twin alone there, all of them would get
    // RSA. The default certificate itself is not listed: ELB refuses to remove it from the list again.
    const attached = Object.fromEntries(all("aws_lb_listener_certificate").map(([id, a]) => [id.replace(/_[0-9A-F]{8}$/, ""), a]));
    expect(Object.keys(attached).sort()).toEqual(["SniCertificates_EcSniTwin", "SniCertificates_RsaFallback"]);
    expect(attached.SniCertificates_RsaFallback.certificate_arn).toBe(ref("aws_acm_certificate_validation", "RsaFallbackCertificate_", "certificate_arn"));
    expect(attached.SniCertificates_EcSniTwin.certificate_arn).toBe(ref("aws_acm_certificate_validation", "EcSniCertificate_", "certificate_arn"));
    for (const attachment of Object.values(attached)) {
      expect(attachment.listener_arn).toBe(ref("aws_lb_listener", "HttpsListener_", "arn"));
      expect(attachment.certificate_arn).not.toBe(https.certificate_arn);
    }
    // The listener's default certificate (for clients without SNI) stays the EC one.
    expect(https.certificate_arn).toBe(ref("aws_acm_certificate_validation", "Certificate_", "certificate_arn"));
  });

  test("accepts 23 additional certificates beside the two twins: 25 in the list, ELB's default quota per load balancer", () => {
    const additionalCertificates = Array.from({ length: 23 }, (_, i) => ({ domainName: `n${i}.example.com` }));
    const { all: all23 } = synthStack({ rsaFallback: true, additionalCertificates });
    expect(all23("aws_lb_listener_certificate")).toHaveLength(25);
  });

  test("takes more with a raised maxLoadBalancerCertificates", () => {
    const additionalCertificates = Array.from({ length: 28 }, (_, i) => ({ domainName: `n${i}.example.com` }));
    const { all: all28 } = synthStack({ rsaFallback: true, additionalCertificates, maxLoadBalancerCertificates: 30 });
    expect(all28("aws_lb_listener_certificate")).toHaveLength(30);
    expect(() => synthStack({ rsaFallback: true, additionalCertificates, maxLoadBalancerCertificates: 29 })).toThrow(EnvironmentConfigError);
  });
});

describe("TlsStack with additionalCertificates", () => {
  const additionalCertificates = [
    { domainName: "shop.example.org" },
    { domainName: "*.api.example.com", subjectAlternativeNames: ["example.com", "status.example.org"] },
  ];
  const { all, ref, parsed, stack } = synthStack({ additionalCertificates });

  test("requests one more DNS-validated certificate per entry, with the *.<domainName> default and the environment's key", () => {
    const byName = Object.fromEntries(all("aws_acm_certificate").map(([, c]) => [c.domain_name, c]));
    expect(Object.keys(byName).sort()).toEqual(["*.api.example.com", "example.com", "shop.example.org"]);
    expect(byName["shop.example.org"]).toMatchObject({ subject_alternative_names: ["*.shop.example.org"], validation_method: "DNS", key_algorithm: "EC_prime256v1" });
    expect(byName["*.api.example.com"].subject_alternative_names).toEqual(["example.com", "status.example.org"]);
    expect(stack.additionalCertificates).toHaveLength(2);
  });

  test("keeps a wildcard certificate and a certificate for a host named wildcard apart", () => {
    const { all: both } = synthStack({ additionalCertificates: [{ domainName: "*.api.example.com", subjectAlternativeNames: ["api.example.com"] }, { domainName: "wildcard.api.example.com" }] });
    expect(both("aws_acm_certificate")).toHaveLength(3);
    expect(both("aws_lb_listener_certificate")).toHaveLength(2);
  });

  test("keys each certificate by its domain name, a wildcard spelt out", () => {
    const ids = all("aws_acm_certificate").map(([id]) => id.replace(/_[0-9A-F]{8}$/, ""));
    expect(ids.sort()).toEqual(["AdditionalCertificate-shop_example_org_Certificate", "AdditionalCertificate-wildcard__api_example_com_Certificate", "Certificate"]);
  });

  test("makes one validation record per validation name in the whole stack, in the name's zone", () => {
    const records = Object.fromEntries(all("aws_route53_record").map(([id, r]) => [id.replace(/^Certificate_ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, ""), r.zone_id]));
    expect(records).toEqual({
      api_example_com: "Z0123456789ABCDEFGHIJ",
      example_com: "Z0123456789ABCDEFGHIJ",
      shop_example_org: "Z0ORG000000000000000",
      status_example_org: "Z0ORG000000000000000",
    });
    expect(parsed.output.validation_record_fqdns.value).toHaveLength(4);
  });

  test("attaches each certificate by SNI from its validation resource, and not the default certificate", () => {
    const attached = all("aws_lb_listener_certificate").map(([, a]) => a.certificate_arn).sort();
    expect(attached).toEqual(
      [
        ref("aws_acm_certificate_validation", "AdditionalCertificate-shop_example_org_", "certificate_arn"),
        ref("aws_acm_certificate_validation", "AdditionalCertificate-wildcard__api_example_com_", "certificate_arn"),
      ].sort(),
    );
  });

  test("leaves the remaining certificates' resources where they were when one is removed", () => {
    const ids = (overrides: Partial<EnvironmentConfig>) => {
      const { parsed: p } = synthStack(overrides);
      return ["aws_acm_certificate", "aws_route53_record", "aws_lb_listener_certificate", "aws_acm_certificate_validation"].flatMap((t) => Object.keys(p.resource[t] ?? {}));
    };
    const fewer = ids({ additionalCertificates: [additionalCertificates[1]] });
    const full = ids({ additionalCertificates });
    for (const id of fewer) expect(full).toContain(id);
  });
});

describe("TlsStack with mutualTls", () => {
  test("verify: builds a trust store from the bundle and verifies client certificates against it", () => {
    const { all, ref, https } = synthStack({ mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "edge/clients.pem" } } });
    const stores = all("aws_lb_trust_store");
    expect(stores).toHaveLength(1);
    expect(stores[0][1]).toMatchObject({ ca_certificates_bundle_s3_bucket: "example-ca-bundles", ca_certificates_bundle_s3_key: "edge/clients.pem" });
    expect(https.mutual_authentication).toEqual({ mode: "verify", trust_store_arn: ref("aws_lb_trust_store", "ClientTrustStore_", "arn") });
  });

  test("verify with revocation lists: each list in the trust store, and the listener waits for all of them", () => {
    const revocationLists = [
      { bucket: "example-crls", key: "edge/ca-1.crl" },
      { bucket: "example-crls", key: "edge/ca-2.crl" },
    ];
    const { all, https } = synthStack({ mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "edge/clients.pem", revocationLists } } });
    const revocations = all("aws_lb_trust_store_revocation");
    expect(revocations.map(([, r]) => ({ bucket: r.revocations_s3_bucket, key: r.revocations_s3_key }))).toEqual(revocationLists);
    // So a new or replaced trust store is never in use before its revocation lists are.
    expect([...https.depends_on].sort()).toEqual(revocations.map(([id]) => `aws_lb_trust_store_revocation.${id}`).sort());
  });

  test("verify without revocation lists: no revocation resource and no depends_on on the listener", () => {
    const { parsed, https } = synthStack({ mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "edge/clients.pem" } } });
    expect(parsed.resource).not.toHaveProperty("aws_lb_trust_store_revocation");
    expect(https).not.toHaveProperty("depends_on");
  });

  test("passthrough: no trust store, client certificates go to the targets", () => {
    const { parsed, https } = synthStack({ mutualTls: { mode: "passthrough" } });
    expect(parsed.resource).not.toHaveProperty("aws_lb_trust_store");
    expect(https.mutual_authentication).toEqual({ mode: "passthrough" });
  });
});

describe("TlsStack with securityHeaders", () => {
  const httpOf = (all: (type: string) => Array<[string, any]>) => all("aws_lb_listener").find(([, l]) => l.protocol === "HTTP")![1];

  test("keeps the Server header on both listeners by default, and nosniff on the HTTPS listener only", () => {
    const { all, https } = synthStack();
    expect(https.routing_http_response_server_enabled).toBe(true);
    expect(https.routing_http_response_x_content_type_options_header_value).toBe("nosniff");
    const http = httpOf(all);
    expect(http.routing_http_response_server_enabled).toBe(true);
    // A 301 carries no content to sniff or frame.
    expect(Object.keys(http).filter((k) => k.endsWith("_header_value"))).toEqual([]);
  });

  test("removes the Server header from the redirects too with serverHeader: false", () => {
    const { all, https } = synthStack({ securityHeaders: { serverHeader: false } });
    expect([https.routing_http_response_server_enabled, httpOf(all).routing_http_response_server_enabled]).toEqual([false, false]);
  });

  test("leaves the Server attribute of both listeners unset with securityHeaders: false", () => {
    const { all, https } = synthStack({ securityHeaders: false });
    expect(https).not.toHaveProperty("routing_http_response_server_enabled");
    expect(httpOf(all)).not.toHaveProperty("routing_http_response_server_enabled");
  });
});

describe("TlsStack with invalid edge options", () => {
  test("refuses to build, naming every problem", () => {
    const attempt = () =>
      synthStack({
        keyAlgorithm: "RSA_2048",
        rsaFallback: true,
        hsts: { maxAgeSeconds: 60, preload: true },
      });
    expect(attempt).toThrow(EnvironmentConfigError);
    expect(attempt).toThrow(/\(3 problems\)/);
    expect(attempt).toThrow(/hsts\.preload true: requires includeSubDomains/);
    expect(attempt).toThrow(/hsts\.maxAgeSeconds 60: must be at least 31536000/);
    expect(attempt).toThrow(/rsaFallback true: has no effect with keyAlgorithm "RSA_2048"/);
  });
});
