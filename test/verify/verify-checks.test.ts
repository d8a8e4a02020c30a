/** Fast tests of the edge verifier's pure parts: suite classification, HSTS and redirect judgement, settings, CLI. */
import { EnvironmentConfig } from "../../lib/config/environment-config";
import { candidateTls12CipherSuites, classifyCipherSuite, isStrongCipherSuite } from "../../lib/verify/cipher-suites";
import { EdgeTarget, HttpOutcome } from "../../lib/verify/connection";
import { DEFAULT_EXPIRY_ALARM_DAYS, DEFAULT_HSTS, edgeExpectations, edgeSettings, MIN_DAYS_WITHOUT_ALARM } from "../../lib/verify/edge-expectations";
import { evaluateHsts, evaluateRedirect, parseHsts } from "../../lib/verify/http-checks";
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
    ["ECDHE-ECDSA-AES128-GCM-SHA256", true, true],
    ["ECDHE-RSA-CHACHA20-POLY1305", true, true],
    ["DHE-RSA-AES256-GCM-SHA384", true, true],
    ["ECDHE-ECDSA-AES128-SHA256", true, false],
    ["ECDHE-RSA-AES128-SHA", true, false],
    ["AES128-GCM-SHA256", false, true],
    ["AES256-SHA", false, false],
    ["DES-CBC3-SHA", false, false],
    ["ecdhe-psk-aes128-cbc-sha256", false, false],
  ])("%s: forward secrecy %s, AEAD %s", (name, forwardSecrecy, aead) => {
    const suite = classifyCipherSuite(name);
    expect(suite).toEqual({ name: name.toUpperCase(), forwardSecrecy, aead });
    expect(isStrongCipherSuite(suite)).toBe(forwardSecrecy && aead);
  });

  test("the candidates are TLS 1.2 suites this OpenSSL can offer, without TLS 1.3, PSK or SRP suites, and include ALB's", () => {
    const candidates = candidateTls12CipherSuites();
    expect(candidates.filter((name) => /^TLS_|PSK|SRP/.test(name))).toEqual([]);
    expect(candidates).toEqual(expect.arrayContaining(["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "AES128-SHA", "AES256-GCM-SHA384"]));
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

  test("without hsts and expiryAlarm the stack's defaults apply; the key algorithm defaults to EC P-256", () => {
    expect(edgeExpectations(base, [])).toMatchObject({ hsts: DEFAULT_HSTS, minDaysToExpiry: DEFAULT_EXPIRY_ALARM_DAYS, keyAlgorithm: "EC_prime256v1" });
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
    expect(() => edgeSettings(withFields({ hsts: { maxAge: 1 }, expiryAlarm: { days: 3 } }))).toThrow(
      /environment qa:\n  - hsts \{"maxAge":1\}: must be false or .*\n  - expiryAlarm \{"days":3\}: must be false or/,
    );
  });
});

describe("command line", () => {
  test("reads every option", () => {
    const options = parseVerifyArgs(["prod", "--host", "A.example.com", "--host=b.example.com", "--json", "--ca-file", "ca.pem", "--resolve", "a.example.com:10.0.0.1",
      "--resolve", "b.example.com:[::1]", "--https-port", "8443", "--http-port", "8080", "--timeout", "3", "--retries", "0"]);
    expect(options).toEqual({
      environment: "prod", hosts: ["a.example.com", "b.example.com"], json: true, caFile: "ca.pem",
      resolve: new Map([["a.example.com", "10.0.0.1"], ["b.example.com", "::1"]]),
      httpsPort: 8443, httpPort: 8080, timeoutSeconds: 3, retries: 0, help: false,
    });
  });

  test("defaults: ports 443 and 80, 10 s per attempt, 2 retries", () => {
    expect(parseVerifyArgs(["dev"])).toMatchObject({ httpsPort: 443, httpPort: 80, timeoutSeconds: 10, retries: 2, json: false, hosts: [] });
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
    hosts: hosts.map((h) => ({ host: "a", address: "a", httpsPort: 443, httpPort: 80, ...h })),
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
