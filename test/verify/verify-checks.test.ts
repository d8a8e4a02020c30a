/**
 * Fast tests of the edge verifier's pure parts: suite classification, verdicts on a TLS scan, the CA/Browser Forum
 * validity schedule, HSTS and redirect judgement, settings, CLI.
 */
import { DEFAULTS, EnvironmentConfig } from "../../lib/config/environment-config";
import { baseEnvironment } from "../fixtures/environments";
import { judgeValidity, maxValidityDays } from "../../lib/verify/certificate-lifetime";
import { classifyCipherSuite, describeCipherSuite, isStrongCipherSuite } from "../../lib/verify/cipher-suites";
import { EdgeTarget, HttpOutcome } from "../../lib/verify/connection";
import { evaluateCertificateNames } from "../../lib/verify/certificate-check";
import { DEFAULT_HSTS, defaultAlarmDays, edgeExpectations, edgeSettings, MIN_DAYS_WITHOUT_ALARM } from "../../lib/verify/edge-expectations";
import { judgeTlsScan } from "../../lib/verify/tls-checks";
import { AcceptedSuite, TlsScan } from "../../lib/verify/tls-scan";
import { evaluateHsts, evaluateRedirect, evaluateSecurityHeaders, parseHsts } from "../../lib/verify/http-checks";
import { exitCode, findingLine, VerifyReport } from "../../lib/verify/report";
import { parseVerifyArgs, UsageError } from "../../lib/verify/verify-options";

const base: EnvironmentConfig = {
  name: "qa",
  region: "us-east-1",
  domainName: "qa.example.com",
  hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ" },
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge-qa/50dc6c495c0c9188",
};
/** A config with the fields another change adds to EnvironmentConfig, whether or not the type has them yet. */
const withFields = (fields: Record<string, unknown>) => ({ ...base, ...fields }) as EnvironmentConfig;

describe("TLS 1.2 cipher suite classification", () => {
  test.each([
    ["ECDHE-ECDSA-AES128-GCM-SHA256", true, true, true],
    ["ECDHE-RSA-CHACHA20-POLY1305", true, true, true],
    ["DHE-RSA-AES256-GCM-SHA384", true, true, true],
    ["ECDHE-ECDSA-AES128-SHA256", true, false, false],
    ["ECDHE-RSA-AES128-SHA", true, false, false],
    ["ECDHE-ECDSA-AES128-CCM8", true, true, false],
    ["ECDHE-ECDSA-ARIA256-GCM-SHA384", true, true, false],
    ["AES128-GCM-SHA256", false, true, true],
    ["AES256-SHA", false, false, false],
    ["DES-CBC3-SHA", false, false, false],
    ["ecdhe-psk-aes128-cbc-sha256", false, false, false],
  ])("%s: forward secrecy %s, AEAD %s, AES-GCM or ChaCha20-Poly1305 %s", (name, forwardSecrecy, aead, recommendedCipher) => {
    const suite = classifyCipherSuite(name);
    expect(suite).toEqual({ name: name.toUpperCase(), forwardSecrecy, aead, recommendedCipher });
    expect(isStrongCipherSuite(suite)).toBe(forwardSecrecy && recommendedCipher);
  });

  test("the scan's ephemeral key decides forward secrecy over the name", () => {
    expect(classifyCipherSuite("ECDHE-RSA-AES128-GCM-SHA256", false).forwardSecrecy).toBe(false);
    expect(describeCipherSuite(classifyCipherSuite("AES128-GCM-SHA256", false))).toBe("no forward secrecy, AEAD");
    expect(describeCipherSuite(classifyCipherSuite("ECDHE-ECDSA-AES128-CCM8", true))).toBe("forward secrecy, AEAD other than AES-GCM or ChaCha20-Poly1305");
  });
});

describe("verdicts on a TLS scan", () => {
  const ecdhe = (name: string, curve = "X25519", size = 253): AcceptedSuite => ({ name, iana: name, ephemeralKey: { type: "ECDH", size, curve } });
  const protocol = (accepted: AcceptedSuite[]) => ({ supported: accepted.length > 0, accepted, firstRejection: accepted.length > 0 ? null : "TLS alert: protocol version" });
  const cleanExtras = {
    compression: false, earlyData: false, ccsInjection: false, fallbackScsv: true, heartbleed: false, robot: "NOT_VULNERABLE_RSA_NOT_SUPPORTED",
    secureRenegotiation: true, clientRenegotiationDos: false, resumption: { sessionId: "NOT_SUPPORTED", ticket: "FULLY_SUPPORTED" },
    groups: { ecdh: true, supported: ["X25519", "secp256r1"] }, extendedMasterSecret: true,
  };
  const scan = (overrides: Partial<Extract<TlsScan, { kind: "scanned" }>> = {}): Extract<TlsScan, { kind: "scanned" }> => ({
    kind: "scanned",
    host: "h",
    errors: {},
    protocols: {
      SSLv2: protocol([]), SSLv3: protocol([]), TLSv1: protocol([]), "TLSv1.1": protocol([]),
      "TLSv1.2": protocol([ecdhe("ECDHE-ECDSA-AES128-GCM-SHA256")]), "TLSv1.3": protocol([ecdhe("TLS_AES_128_GCM_SHA256")]),
    },
    extras: cleanExtras,
    mozillaIntermediate: { compliant: true, issues: {} },
    ...overrides,
  });
  const failed = (s: Extract<TlsScan, { kind: "scanned" }>) => judgeTlsScan("h", s).results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.got}`);

  test("a clean scan passes every check and reports the observations as information", () => {
    const verdicts = judgeTlsScan("h", scan());
    expect(verdicts.results.filter((r) => !r.ok)).toEqual([]);
    expect(verdicts.information.map((i) => i.item)).toEqual(["groups", "tls1.2-resumption", "early-data", "client-renegotiation", "mozilla-intermediate"]);
  });

  test("static RSA, a small DH group and a small curve are key-exchange findings, listed in one", () => {
    const weak = scan({
      protocols: {
        ...scan().protocols,
        "TLSv1.2": protocol([
          { name: "AES128-GCM-SHA256", iana: "TLS_RSA_WITH_AES_128_GCM_SHA256", ephemeralKey: null },
          { name: "DHE-RSA-AES128-GCM-SHA256", iana: "x", ephemeralKey: { type: "DH", size: 1024, curve: null } },
          ecdhe("ECDHE-ECDSA-AES128-GCM-SHA256", "secp224r1", 224),
          ecdhe("ECDHE-ECDSA-AES256-GCM-SHA384", "X25519", 253),
        ]),
      },
    });
    expect(failed(weak)).toEqual([
      "tls1.2-ciphers: AES128-GCM-SHA256 accepted (no forward secrecy, AEAD)",
      "key-exchange: AES128-GCM-SHA256 (TLSv1.2): static RSA, no forward secrecy; DHE-RSA-AES128-GCM-SHA256 (TLSv1.2): DH 1024 bits; ECDHE-ECDSA-AES128-GCM-SHA256 (TLSv1.2): ECDH secp224r1 224 bits",
    ]);
  });

  test("each weakness sslyze finds is a finding; ROBOT's weak oracle too", () => {
    const vulnerable = scan({ extras: { ...cleanExtras, heartbleed: true, ccsInjection: true, robot: "VULNERABLE_WEAK_ORACLE", compression: true, secureRenegotiation: false, fallbackScsv: false, extendedMasterSecret: false } });
    expect(failed(vulnerable).map((f) => f.split(":")[0])).toEqual(["heartbleed", "openssl-ccs-injection", "robot", "compression", "secure-renegotiation", "fallback-scsv", "extended-master-secret"]);
    expect(failed(scan({ extras: { ...cleanExtras, robot: "UNKNOWN_INCONSISTENT_RESULTS" } }))).toEqual(["robot: not determined: inconsistent results"]);
  });

  test("a scan command that failed makes its checks findings ('not determined'), never passes", () => {
    const { "TLSv1.1": _dropped, ...protocols } = scan().protocols;
    const { heartbleed: _h, ...extras } = cleanExtras;
    const partial = scan({ protocols, extras, errors: { tls_1_1_cipher_suites: "CONNECTIVITY_ISSUE: timed out", heartbleed: "CONNECTIVITY_ISSUE: timed out" } });
    expect(failed(partial)).toEqual([
      "tls1.1: not determined: sslyze's tls_1_1_cipher_suites scan failed (CONNECTIVITY_ISSUE: timed out)",
      "key-exchange: not determined for TLSv1.1",
      "heartbleed: not determined: sslyze's heartbleed scan failed (CONNECTIVITY_ISSUE: timed out)",
    ]);
  });

  test("TLS 1.3 suites outside AES-GCM and ChaCha20-Poly1305 are a tls1.3-ciphers finding", () => {
    const ccm = scan({ protocols: { ...scan().protocols, "TLSv1.3": protocol([ecdhe("TLS_AES_128_GCM_SHA256"), ecdhe("TLS_AES_128_CCM_SHA256")]) } });
    expect(failed(ccm)).toEqual(["tls1.3-ciphers: also TLS_AES_128_CCM_SHA256 accepted"]);
  });
});

describe("the CA/Browser Forum validity schedule (ballot SC-081v3)", () => {
  test.each([
    ["2025-06-01T00:00:00Z", 398],
    ["2026-03-14T23:59:59Z", 398],
    ["2026-03-15T00:00:00Z", 200],
    ["2027-03-14T23:59:59Z", 200],
    ["2027-03-15T00:00:00Z", 100],
    ["2029-03-14T23:59:59Z", 100],
    ["2029-03-15T00:00:00Z", 47],
  ])("a leaf issued %s may be valid for %d days", (notBefore, days) => {
    expect(maxValidityDays(new Date(notBefore))).toBe(days);
  });

  test("counts notBefore through notAfter inclusive: max days minus one second passes, max days fails", () => {
    const notBefore = new Date("2026-06-01T00:00:00Z");
    const at = (seconds: number) => judgeValidity(notBefore, new Date(notBefore.getTime() + seconds * 1000));
    expect(at(200 * 86400 - 1)).toEqual({ ok: true, days: 200, maxDays: 200 });
    expect(at(200 * 86400).ok).toBe(false);
    expect(at(198 * 86400).ok).toBe(true); // ACM's public certificates since 2026-02-18
  });
});

describe("HSTS", () => {
  const answered = (headers: Record<string, string>): HttpOutcome => ({ kind: "answered", status: 404, headers, bodyBytes: 0 });
  const expectation = { maxAgeSeconds: 31536000, includeSubDomains: true, preload: false };

  test.each([
    ["max-age=31536000", { maxAgeSeconds: 31536000, includeSubDomains: false, preload: false }],
    ['Max-Age="600"; IncludeSubDomains; preload', { maxAgeSeconds: 600, includeSubDomains: true, preload: true }],
    ["includeSubDomains", undefined],
    ["max-age=1; max-age=2", undefined],
    ["max-age=abc", undefined],
  ])("parses %j", (value, parsed) => {
    expect(parseHsts(value)).toEqual(parsed);
  });

  test("matches when max-age and every flag are as configured, in any case and order", () => {
    expect(evaluateHsts("h", answered({ "strict-transport-security": "includesubdomains; max-age=31536000" }), expectation).ok).toBe(true);
  });

  test.each([["max-age=31536000"], ["max-age=600; includeSubDomains"], ["max-age=31536000; includeSubDomains; preload"]])("does not match %j", (value) => {
    expect(evaluateHsts("h", answered({ "strict-transport-security": value }), expectation)).toMatchObject({ ok: false, got: `Strict-Transport-Security: ${value}` });
  });

  test("hsts: false expects no header at all", () => {
    expect(evaluateHsts("h", answered({}), false).ok).toBe(true);
    expect(evaluateHsts("h", answered({ "strict-transport-security": "max-age=1" }), false).ok).toBe(false);
  });
});

describe("security headers", () => {
  const answered = (headers: Record<string, string>): HttpOutcome => ({ kind: "answered", status: 404, headers, bodyBytes: 0 });
  const configured = { xContentTypeOptions: "nosniff", xFrameOptions: "DENY", contentSecurityPolicy: "default-src 'self'", serverEnabled: false };
  const good = { "x-content-type-options": "nosniff", "x-frame-options": "DENY", "content-security-policy": "default-src 'self'" };

  test("passes when every configured header is on the HTTPS response and the load balancer's Server header is gone", () => {
    expect(evaluateSecurityHeaders("h", answered(good), answered({ location: "https://h/" }), configured)).toMatchObject({ check: "security-headers", ok: true, got: "as configured" });
  });

  test("names each configured header that is missing or different", () => {
    const result = evaluateSecurityHeaders("h", answered({ "x-content-type-options": "nosniff", "x-frame-options": "SAMEORIGIN" }), undefined, configured);
    expect(result).toMatchObject({ ok: false, got: "x-frame-options: SAMEORIGIN; content-security-policy: (none)" });
    expect(result.expected).toBe("x-content-type-options: nosniff; x-frame-options: DENY; content-security-policy: default-src 'self'; no awselb Server header");
  });

  test("with the Server header off, finds awselb's on the load balancer's own redirect, not a target's own Server header", () => {
    expect(evaluateSecurityHeaders("h", answered({ ...good, server: "nginx" }), answered({ server: "awselb/2.0" }), configured)).toMatchObject({ ok: false, got: "server: awselb/2.0 (redirect)" });
    expect(evaluateSecurityHeaders("h", answered({ ...good, server: "nginx" }), answered({}), configured).ok).toBe(true);
    // With it on, nothing is judged about Server.
    expect(evaluateSecurityHeaders("h", answered({ ...good, server: "awselb/2.0" }), answered({ server: "awselb/2.0" }), { ...configured, serverEnabled: true }).ok).toBe(true);
  });

  test("judges nothing an environment leaves unset, and fails when no HTTPS response came", () => {
    expect(evaluateSecurityHeaders("h", answered({}), undefined, {}).ok).toBe(true);
    expect(evaluateSecurityHeaders("h", { kind: "no-answer", attempts: 2, reason: "timeout" } as HttpOutcome, undefined, configured).ok).toBe(false);
  });

  test("expects the stack's defaults for an environment (nosniff), and nothing for a bare host", () => {
    expect(edgeExpectations(baseEnvironment(), []).securityHeaders).toEqual({ xContentTypeOptions: "nosniff", serverEnabled: true });
    expect(edgeExpectations(baseEnvironment({ securityHeaders: false }), []).securityHeaders).toEqual({});
    expect(edgeExpectations(undefined, ["h"]).securityHeaders).toBeUndefined();
  });
});

describe("redirect", () => {
  const target = (httpsPort: number): EdgeTarget => ({ host: "a.example.com", address: "a.example.com", httpsPort, httpPort: 80 });
  const answer = (status: number, location?: string): HttpOutcome => ({ kind: "answered", status, headers: location ? { location } : {}, bodyBytes: 0 });

  test.each([
    [443, 301, "https://a.example.com:443/some/path?q=1", true],
    [443, 301, "https://a.example.com/some/path?q=1", true],
    [8443, 301, "https://a.example.com:8443/some/path?q=1", true],
    [8443, 301, "https://a.example.com/some/path?q=1", false],
    [443, 302, "https://a.example.com/some/path?q=1", false],
    [443, 308, "https://a.example.com/some/path?q=1", false],
    [443, 301, "https://a.example.com/", false],
    [443, 301, "https://a.example.com/some/path", false],
    [443, 301, "http://a.example.com/some/path?q=1", false],
    [443, 301, "https://b.example.com/some/path?q=1", false],
  ])("https port %d, %d to %s: ok %s", (port, status, location, ok) => {
    expect(evaluateRedirect(target(port), answer(status, location)).ok).toBe(ok);
  });

  test("no answer is a finding that says how often it was tried", () => {
    expect(evaluateRedirect(target(443), { kind: "no-answer", reason: "connect ECONNREFUSED", attempts: 3 })).toMatchObject({
      ok: false,
      got: "no answer after 3 attempt(s) (connect ECONNREFUSED)",
    });
  });
});

describe("what an environment expects of its edge", () => {
  test("hosts are the non-wildcard certificate names plus each --host, once each", () => {
    const config = withFields({ subjectAlternativeNames: ["*.qa.example.com", "www.qa.example.com"] });
    expect(edgeExpectations(config, ["extra.example.com", "qa.example.com"]).hosts).toEqual(["qa.example.com", "www.qa.example.com", "extra.example.com"]);
  });

  test("hosts and name sets include every additional certificate's; the name sets apply the SAN default to each", () => {
    const config = withFields({ additionalCertificates: [{ domainName: "api.example.com" }, { domainName: "b.example.com", subjectAlternativeNames: ["c.example.com"] }] });
    const expectations = edgeExpectations(config, []);
    expect(expectations.hosts).toEqual(["qa.example.com", "api.example.com", "b.example.com", "c.example.com"]);
    expect(expectations.certificateNameSets).toEqual([
      ["qa.example.com", "*.qa.example.com"],
      ["api.example.com", "*.api.example.com"],
      ["b.example.com", "c.example.com"],
    ]);
  });

  test("without hsts and expiryAlarm the stack's defaults apply; the key algorithm defaults to EC P-256", () => {
    expect(edgeExpectations(base, [])).toMatchObject({ hsts: DEFAULT_HSTS, minDaysToExpiry: defaultAlarmDays(), keyAlgorithm: "EC_prime256v1" });
  });

  test("the default threshold is the stack's default alarm threshold, read from DEFAULTS", () => {
    expect(defaultAlarmDays()).toBe(DEFAULTS.expiryAlarm.daysBeforeExpiry ?? MIN_DAYS_WITHOUT_ALARM);
    expect(edgeSettings(withFields({ expiryAlarm: { email: "ops@example.com" } })).minDaysToExpiry).toBe(defaultAlarmDays());
  });

  test("hsts and expiryAlarm are read from the configuration when present", () => {
    const settings = edgeSettings(withFields({ hsts: { maxAgeSeconds: 600, preload: true }, expiryAlarm: { daysBeforeExpiry: 20, topicArn: "x" } }));
    expect(settings).toEqual({ hsts: { maxAgeSeconds: 600, includeSubDomains: false, preload: true }, minDaysToExpiry: 20 });
  });

  test("hsts: false expects no header; expiryAlarm: false falls back to 30 days", () => {
    expect(edgeSettings(withFields({ hsts: false, expiryAlarm: false }))).toEqual({ hsts: false, minDaysToExpiry: MIN_DAYS_WITHOUT_ALARM });
  });

  test("without an environment: default HSTS, 30 days, any strong key", () => {
    expect(edgeExpectations(undefined, ["a.example.com"])).toEqual({ hosts: ["a.example.com"], hsts: DEFAULT_HSTS, minDaysToExpiry: 30, keyAlgorithm: undefined });
  });

  test("malformed hsts and expiryAlarm are both reported, naming the environment", () => {
    expect(() => edgeSettings(withFields({ hsts: { maxAge: 1 }, expiryAlarm: { daysBeforeExpiry: "3" } }))).toThrow(
      /environment qa:\n  - hsts \{"maxAge":1\}: must be false or .*\n  - expiryAlarm \{"daysBeforeExpiry":"3"\}: must be false or/,
    );
  });
});

describe("certificate-names: the served certificate is one of the environment's", () => {
  const sets = [["qa.example.com", "*.qa.example.com"], ["api.example.com", "*.api.example.com"]];

  test("passes for exactly the names of the default or of an additional certificate, in any order and case", () => {
    expect(evaluateCertificateNames("qa.example.com", ["*.qa.example.com", "QA.example.com"], sets)).toEqual({
      host: "qa.example.com",
      check: "certificate-names",
      ok: true,
      expected: "exactly the names of one of the environment's certificates: {*.qa.example.com, qa.example.com} or {*.api.example.com, api.example.com}",
      got: "{*.qa.example.com, qa.example.com}",
    });
    expect(evaluateCertificateNames("api.example.com", ["api.example.com", "*.api.example.com"], sets).ok).toBe(true);
  });

  test.each([
    ["an old certificate with the name and another", ["qa.example.com", "legacy.example.org"]],
    ["an old certificate with the name alone", ["qa.example.com"]],
    ["an old wildcard over the name", ["*.example.com"]],
    ["a mix of two certificates' names", ["qa.example.com", "*.qa.example.com", "api.example.com"]],
  ])("is a finding for %s", (_, names) => {
    const result = evaluateCertificateNames("qa.example.com", names, sets);
    expect(result.ok).toBe(false);
    expect(result.got).toBe(`{${[...names].sort().join(", ")}}: a certificate this environment does not configure (an old SNI certificate on the listener?)`);
  });
});

describe("command line", () => {
  test("reads every option", () => {
    const options = parseVerifyArgs(["prod", "--host", "A.example.com", "--host=b.example.com", "--json", "--ca-file", "ca.pem", "--resolve", "a.example.com:10.0.0.1",
      "--resolve", "b.example.com:[::1]", "--https-port", "8443", "--http-port", "8080", "--timeout", "3", "--retries", "0", "--scan-timeout", "60"]);
    expect(options).toEqual({
      environment: "prod", hosts: ["a.example.com", "b.example.com"], json: true, caFile: "ca.pem",
      resolve: new Map([["a.example.com", "10.0.0.1"], ["b.example.com", "::1"]]),
      httpsPort: 8443, httpPort: 8080, timeoutSeconds: 3, retries: 0, scanTimeoutSeconds: 60, help: false,
    });
  });

  test("defaults: ports 443 and 80, 10 s per attempt, 2 retries, 120 s for the TLS scan", () => {
    expect(parseVerifyArgs(["dev"])).toMatchObject({ httpsPort: 443, httpPort: 80, timeoutSeconds: 10, retries: 2, scanTimeoutSeconds: 120, json: false, hosts: [] });
  });

  test("reports every problem at once", () => {
    expect(() => parseVerifyArgs(["a", "b", "--https-port", "0", "--resolve", "x.example.com", "--retries", "9", "--frobnicate", "--host"])).toThrow(
      new UsageError(
        [
          '--https-port "0": must be a whole number from 1 to 65535',
          '--resolve "x.example.com": must be <host>:<IP address>',
          '--retries "9": must be a whole number from 0 to 5',
          "unknown option --frobnicate",
          "--host needs a value",
          "at most one environment, got a, b",
        ].join("\n"),
      ),
    );
  });

  test("needs an environment or a host", () => {
    expect(() => parseVerifyArgs(["--json"])).toThrow("name an environment or at least one --host");
  });
});

describe("verdict", () => {
  const check = (ok: boolean) => ({ host: "a", check: "hsts", ok, expected: "x", got: "y" });
  const report = (...hosts: { reachable: boolean; checks: ReturnType<typeof check>[] }[]): VerifyReport => ({
    timing: { timeoutMs: 1, retries: 0, retryDelayMs: 0 },
    scanBudgetMs: 1,
    hosts: hosts.map((h) => ({ host: "a", address: "a", httpsPort: 443, httpPort: 80, information: [], ...h })),
  });

  test("0 when everything passed, 1 with a finding, 2 when a host is unreachable even with findings elsewhere", () => {
    expect(exitCode(report({ reachable: true, checks: [check(true)] }))).toBe(0);
    expect(exitCode(report({ reachable: true, checks: [check(true), check(false)] }))).toBe(1);
    expect(exitCode(report({ reachable: true, checks: [check(false)] }, { reachable: false, checks: [] }))).toBe(2);
  });

  test("a finding line names host, check, expected and got", () => {
    expect(findingLine(check(false))).toBe("FINDING a hsts: expected x; got y");
  });
});
