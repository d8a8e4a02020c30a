/**
 * `npm run verify` against real local servers, run through the real CLI as a child process. A throwaway CA (openssl;
 * root, intermediate, leaves with the CA/Browser Forum extensions) issues the certificates; `--ca-file` trusts it,
 * `--resolve` points the names at 127.0.0.1. The edges with one defect each sit behind one SNI front, so one run
 * (one sslyze scan of every host at once) judges them all; each test asserts exactly its host's findings.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { environments } from "../../environments";
import { certificateNames, DEFAULTS } from "../../lib/config/environment-config";
import { securityHeaderAttributes } from "../../lib/config/security-headers";
import { maxValidityDays } from "../../lib/verify/certificate-lifetime";
import { DEFAULT_HSTS, defaultAlarmDays, edgeSettings, MIN_DAYS_WITHOUT_ALARM } from "../../lib/verify/edge-expectations";
import { formatHsts } from "../../lib/verify/http-checks";
import { isCi } from "../support/ci";
import {
  daysFromNow, IssuedCertificate, redirectTo, Responder, runVerify, Running, ServerSet, startFadingProxy, startHttp, startHttpsEdge, startSilentServer,
  startSniRouter, STRONG_CIPHERS, TestCa, VerifyRun,
} from "../support/tls-edge";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const DAY_MS = 24 * 60 * 60 * 1000;
const HOST = "edge.test";
const DEFAULT_HSTS_HEADER = formatHsts(DEFAULT_HSTS);
const dev = environments.find((env) => env.name === "dev")!;
const devHost = certificateNames(dev).find((name) => !name.startsWith("*."))!;
const devSettings = edgeSettings(dev);
/** The response headers dev has the load balancer write (its securityHeaders, defaults applied: nosniff). */
const devHeaders = Object.fromEntries(
  Object.entries({ "x-content-type-options": securityHeaderAttributes(dev.securityHeaders).xContentTypeOptions }).filter((entry): entry is [string, string] => entry[1] !== undefined),
);

interface JsonReport {
  exitCode: number;
  findings: { host: string; check: string; expected: string; got: string }[];
  unreachable: { host: string; reason: string }[];
  hosts: {
    host: string;
    reachable: boolean;
    checks: { check: string; ok: boolean; expected: string; got: string }[];
    information: { item: string; value: string }[];
    acceptedTls12CipherSuites?: { name: string; forwardSecrecy: boolean; aead: boolean }[];
    certificate?: { validityDays: number; chainSent: string[] };
  }[];
}

/** Every TLS check a scanned host reports, in the report's order. */
const TLS_CHECKS = [
  "ssl2.0", "ssl3.0", "tls1.0", "tls1.1", "tls1.2", "tls1.3", "tls1.2-ciphers", "tls1.3-ciphers", "key-exchange", "heartbleed", "openssl-ccs-injection",
  "robot", "compression", "secure-renegotiation", "fallback-scsv", "extended-master-secret",
];
const ALL_CHECKS = [...TLS_CHECKS, "certificate-chain", "certificate-name", "certificate-key", "certificate-expiry", "validity", "http2", "hsts", "redirect", "http-only"];

/** The CA needs the openssl CLI and the scan needs .venv-verify; without them the suite is skipped loudly, and fails in CI. */
const OPENSSL = spawnSync("openssl", ["version"]).status === 0;
const provisioning = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "python-tools.js"), "verify"], { encoding: "utf8" });
const READY = OPENSSL && provisioning.status === 0;
if (!READY && !isCi()) {
  console.warn(`!!! SKIPPING test/verify/verify.tls.test.ts: ${OPENSSL ? provisioning.stderr.trim() : "openssl is not on PATH (Debian: apt-get install openssl)"}`);
}
const describeTls = READY || isCi() ? describe : describe.skip;

const servers = new ServerSet();
let ca: TestCa;
let good: IssuedCertificate;

/** A certificate for `host` from the test CA: one day old, `days` more to go. */
function issue(label: string, props: { names?: string[]; notBefore?: Date; notAfter?: Date; days?: number } = {}): IssuedCertificate {
  return ca.issue(label, { names: props.names ?? [label], notBefore: props.notBefore ?? daysFromNow(-1), notAfter: props.notAfter ?? daysFromNow(props.days ?? 89) });
}

/**
 * One edge per host behind one SNI front; the HTTP side answers per Host header. Hosts not in `http` get the ALB's 301.
 */
const FRONT: { host: string; https: () => Promise<Running>; http?: (httpsPort: number) => Responder }[] = [
  { host: "good.test", https: () => edge({ certificate: good }) },
  { host: "cbc.test", https: () => edge({ certificate: issue("cbc.test"), ciphers: `${STRONG_CIPHERS}:ECDHE-ECDSA-AES128-SHA256` }) },
  { host: "expired.test", https: () => edge({ certificate: issue("expired.test", { notBefore: daysFromNow(-90), notAfter: daysFromNow(-3) }) }) },
  { host: "other-name.test", https: () => edge({ certificate: issue("other-name.test", { names: ["other.example.net"] }) }) },
  { host: "soon.test", https: () => edge({ certificate: issue("soon.test", { notBefore: daysFromNow(-80), days: 10.01 }) }) },
  // 5a: one second over today's maximum (200 days since 2026-03-15), and 398 days for a leaf issued before 2026-03-15.
  { host: "too-long.test", https: () => edge({ certificate: issue("too-long.test", { notBefore: daysFromNow(-1), notAfter: new Date(daysFromNow(-1).getTime() + maxValidityDays(daysFromNow(-1)) * DAY_MS) }) }) },
  { host: "before-sc081.test", https: () => edge({ certificate: issue("before-sc081.test", { notBefore: new Date("2026-03-14T00:00:00Z"), notAfter: new Date(Date.parse("2026-03-14T00:00:00Z") + 398 * DAY_MS - 1000) }) }) },
  // 5c and 5d: HTTP/1.1 only; TLS 1.3 tickets sent but never honoured.
  { host: "no-h2.test", https: () => edge({ certificate: issue("no-h2.test"), http2: false }) },
  { host: "no-resumption.test", https: () => edge({ certificate: issue("no-resumption.test"), resumption: false }) },
  { host: "redirect-302.test", https: () => edge({ certificate: issue("redirect-302.test") }), http: (port) => redirectTo(port, 302) },
  { host: "drops-path.test", https: () => edge({ certificate: issue("drops-path.test") }), http: (port) => (host) => ({ status: 301, headers: { location: `https://${host}:${port}/` } }) },
  {
    host: "http-content.test",
    https: () => edge({ certificate: issue("http-content.test") }),
    http: (port) => (host, url, method) => (url === "/" || url === "/index.html" ? { status: 200, headers: { "content-type": "text/html" }, body: "<h1>hello over http</h1>" } : redirectTo(port)(host, url, method)),
  },
  { host: "no-hsts.test", https: () => servers.add(startHttpsEdge({ certificate: issue("no-hsts.test") })) },
  // An ACME HTTP-01 rule left on :80 (an adopted listener keeps it): the target answers an unknown token with a 404.
  {
    host: "acme-rule.test",
    https: () => edge({ certificate: issue("acme-rule.test") }),
    http: (port) => (host, url, method) =>
      url.startsWith("/.well-known/acme-challenge/") ? { status: 404, headers: { "content-type": "text/plain" }, body: "no such token" } : redirectTo(port)(host, url, method),
  },
];

/** An edge as the stack builds it: HSTS, TLS 1.2-1.3, ECDHE + AES-GCM/ChaCha20, HTTP/2, ALB-like groups. */
function edge(props: Parameters<typeof startHttpsEdge>[0]): Promise<Running> {
  return servers.add(startHttpsEdge({ hsts: DEFAULT_HSTS_HEADER, ...props }));
}

let front: { run: VerifyRun; report: JsonReport; httpsPort: number };
let scenarios: {
  front: Promise<typeof front>;
  devGood: Promise<VerifyRun>;
  devOldSni: Promise<VerifyRun>;
  devNoSecurityHeaders: Promise<VerifyRun>;
  devExpiring: Promise<{ asDev: VerifyRun; asHost: VerifyRun; threshold: number; daysLeft: number; notAfterIso: string }>;
  silentHttps: Promise<{ code: number | null; report: JsonReport; port: number }>;
  fading: Promise<{ code: number | null; report: JsonReport }>;
  oneUnreachable: Promise<VerifyRun>;
  neverAnswers: Promise<{ code: number | null; report: JsonReport }>;
};

/** The edges with one defect each behind one SNI front, verified in one run. */
async function frontRun(): Promise<typeof front> {
  const backends = await Promise.all(FRONT.map((entry) => entry.https()));
  const router = await servers.add(startSniRouter({ routes: new Map(FRONT.map((entry, i) => [entry.host, backends[i].port])), fallbackPort: backends[0].port }));
  const responders = new Map(FRONT.filter((entry) => entry.http).map((entry) => [entry.host, entry.http!(router.port)]));
  const http = await servers.add(startHttp((host, url, method) => (responders.get(host) ?? redirectTo(router.port))(host, url, method)));
  const run = await runVerify([
    ...FRONT.flatMap((entry) => ["--host", entry.host, "--resolve", `${entry.host}:127.0.0.1`]),
    "--ca-file", ca.caPath, "--https-port", String(router.port), "--http-port", String(http.port), "--json",
  ]);
  return { run, report: JSON.parse(run.stdout) as JsonReport, httpsPort: router.port };
}

/** An edge as dev asks for it: its name, its key algorithm, its HSTS setting, a fresh certificate; text output. */
async function devGoodRun(): Promise<VerifyRun> {
  const certificate = ca.issue("dev", {
    names: certificateNames(dev),
    notBefore: daysFromNow(-1),
    notAfter: daysFromNow(devSettings.minDaysToExpiry + 60),
    keyAlgorithm: dev.keyAlgorithm ?? DEFAULTS.keyAlgorithm,
  });
  const https = await servers.add(startHttpsEdge({ certificate, hsts: devSettings.hsts === false ? undefined : formatHsts(devSettings.hsts), headers: devHeaders }));
  return runVerify(["dev", "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, ...(await edgePorts(https.port))]);
}

/**
 * dev's name served with an old certificate that covers it but is not dev's (an SNI certificate left on an adopted
 * listener, which the ALB picked for the name): every other check passes.
 */
async function devOldSniRun(): Promise<VerifyRun> {
  const certificate = ca.issue("dev-old-sni", { names: [devHost, "legacy.example.org"], notBefore: daysFromNow(-1), notAfter: daysFromNow(devSettings.minDaysToExpiry + 60) });
  const https = await servers.add(startHttpsEdge({ certificate, hsts: devSettings.hsts === false ? undefined : formatHsts(devSettings.hsts), headers: devHeaders }));
  return runVerify(["dev", "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, "--json", ...(await edgePorts(https.port))]);
}

/** dev's edge without the security headers dev has the load balancer write (nosniff): every other check passes. */
async function devNoSecurityHeadersRun(): Promise<VerifyRun> {
  const certificate = ca.issue("dev-no-headers", { names: certificateNames(dev), notBefore: daysFromNow(-1), notAfter: daysFromNow(devSettings.minDaysToExpiry + 60) });
  const https = await servers.add(startHttpsEdge({ certificate, hsts: devSettings.hsts === false ? undefined : formatHsts(devSettings.hsts) }));
  return runVerify(["dev", "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, "--json", ...(await edgePorts(https.port))]);
}

/** dev (no expiryAlarm: the stack's default alarm) with a certificate one day inside that threshold, as dev and as a bare host. */
async function devExpiringRuns() {
  const threshold = devSettings.minDaysToExpiry;
  const daysLeft = threshold - 1;
  const certificate = ca.issue("dev-expiring", { names: certificateNames(dev), notBefore: daysFromNow(-60), notAfter: daysFromNow(daysLeft + 0.5) });
  const https = await servers.add(startHttpsEdge({ certificate, hsts: DEFAULT_HSTS_HEADER, headers: devHeaders }));
  const ports = await edgePorts(https.port);
  const [asDev, asHost] = await Promise.all([
    runVerify(["dev", "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, ...ports]),
    runVerify(["--host", devHost, "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, "--json", ...ports]),
  ]);
  return { asDev, asHost, threshold, daysLeft, notAfterIso: certificate.notAfterIso };
}

async function silentHttpsRun() {
  const silent = await servers.add(startSilentServer());
  return { ...(await verifyHost(await edgePorts(silent.port), ["--timeout", "1", "--retries", "0"])), port: silent.port };
}

/** An edge that answers the first contact and a few more connections, then nothing. */
async function fadingRun() {
  const https = await edge({ certificate: good });
  const fading = await servers.add(startFadingProxy({ port: https.port, answered: 8 }));
  return verifyHost(await edgePorts(fading.port), ["--timeout", "1", "--retries", "0", "--scan-timeout", "2"]);
}

/** edge.test on 127.0.0.1 without HSTS, and gone.test on 127.0.0.2 where nothing listens. */
async function oneUnreachableRun(): Promise<VerifyRun> {
  const https = await servers.add(startHttpsEdge({ certificate: good }));
  const ports = await edgePorts(https.port);
  return runVerify(["--host", HOST, "--host", "gone.test", "--resolve", `${HOST}:127.0.0.1`, "--resolve", "gone.test:127.0.0.2", "--ca-file", ca.caPath, "--retries", "0", ...ports]);
}

async function neverAnswersRun() {
  const silent = await servers.add(startSilentServer());
  return verifyHost(["--https-port", String(silent.port), "--http-port", String(silent.port)], ["--timeout", "1", "--retries", "1"]);
}

/** Starts the HTTP side (the ALB-like 301 unless told otherwise) for an HTTPS port; returns the CLI's port options. */
async function edgePorts(httpsPort: number, http = redirectTo(httpsPort)): Promise<string[]> {
  const httpServer = await servers.add(startHttp(http));
  return ["--https-port", String(httpsPort), "--http-port", String(httpServer.port)];
}

/** Runs the CLI for HOST with --json and returns the exit code and the parsed report. */
async function verifyHost(portArgs: string[], extra: string[] = []): Promise<{ code: number | null; report: JsonReport }> {
  const run = await runVerify(["--host", HOST, "--resolve", `${HOST}:127.0.0.1`, "--ca-file", ca.caPath, "--json", ...portArgs, ...extra]);
  if (run.stderr) throw new Error(`verify wrote to stderr:\n${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport };
}

describeTls("npm run verify (real TLS servers)", () => {
  beforeAll(async () => {
    if (!READY) throw new Error(`verify needs openssl and .venv-verify: ${OPENSSL ? provisioning.stderr.trim() : "openssl is not on PATH"}`);
    ca = TestCa.create();
    good = issue(HOST, { names: [HOST, "good.test"] });
    // Every run starts at once: the scans share the CPUs, the waits for silent ports overlap.
    scenarios = {
      front: frontRun(),
      devGood: devGoodRun(),
      devOldSni: devOldSniRun(),
      devNoSecurityHeaders: devNoSecurityHeadersRun(),
      devExpiring: devExpiringRuns(),
      silentHttps: silentHttpsRun(),
      fading: fadingRun(),
      oneUnreachable: oneUnreachableRun(),
      neverAnswers: neverAnswersRun(),
    };
    await Promise.allSettled(Object.values(scenarios));
    front = await scenarios.front;
  });

  afterAll(async () => {
    await servers.closeAll();
    ca?.remove();
  });

  const findingsOf = (host: string) => front.report.findings.filter((f) => f.host === host);
  const hostReport = (host: string) => front.report.hosts.find((h) => h.host === host)!;

  describe("npm run verify against a good edge", () => {
    test("passes every check of an environment's name with the environment's settings, lists each one, and exits 0", async () => {
      const run = await scenarios.devGood;
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      for (const check of [...ALL_CHECKS, "certificate-names", "security-headers"]) expect(run.stdout).toMatch(new RegExp(`^  ok +${check.replace(/\./g, "\\.")} `, "m"));
      for (const item of ["tls1.3-handshake", "tls1.3-resumption", "groups", "mozilla-intermediate"]) expect(run.stdout).toMatch(new RegExp(`^  info +${item.replace(/\./g, "\\.")} `, "m"));
      expect(run.stdout).not.toMatch(/FAIL|FINDING/);
      expect(run.stdout).toContain(`${devHost} (connect 127.0.0.1`);
      expect(run.stdout).toMatch(/Result: 0 finding\(s\), 0 unreachable host\(s\); exit 0/);
    });

    test("finds nothing on the good host behind the front, and lists its TLS 1.2 suites, all with forward secrecy and AEAD", () => {
      expect(front.run.stderr).toBe("");
      expect(findingsOf("good.test")).toEqual([]);
      const report = hostReport("good.test");
      expect(report.checks.map((c) => c.check)).toEqual(ALL_CHECKS);
      // The EC certificate allows only the ECDSA half of STRONG_CIPHERS under TLS 1.2.
      const suites = report.acceptedTls12CipherSuites!;
      expect(suites.map((suite) => suite.name).sort()).toEqual(["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"]);
      expect(suites).toEqual(suites.map((suite) => expect.objectContaining({ name: suite.name, forwardSecrecy: true, aead: true })));
      expect(report.certificate!.chainSent).toEqual([`CN=${HOST}`, "CN=tls-edge-verify test intermediate CA"]);
    });

    test("reports the TLS 1.3 handshake time and working resumption as information", () => {
      const info = Object.fromEntries(hostReport("good.test").information.map((i) => [i.item, i.value]));
      expect(info["tls1.3-handshake"]).toMatch(/^\d+\.\d ms full handshake to 127\.0\.0\.1 \(after a \d+\.\d ms TCP connect\); \d+\.\d ms resumed handshake$/);
      expect(info["tls1.3-resumption"]).toBe("resumed with the server's session ticket (PSK)");
      expect(info.groups).toMatch(/^X25519, secp256r1, secp384r1 /);
    });
  });

  describe("npm run verify finds exactly the defect of each edge (one run, exit 1)", () => {
    test("the run exits 1 and names every host", () => {
      expect(front.run.code).toBe(1);
      expect(front.report.hosts.map((h) => h.host)).toEqual(FRONT.map((entry) => entry.host));
    });

    test("a CBC suite accepted", () => {
      expect(findingsOf("cbc.test")).toEqual([
        { host: "cbc.test", check: "tls1.2-ciphers", expected: "only suites with forward secrecy and AES-GCM or ChaCha20-Poly1305", got: "ECDHE-ECDSA-AES128-SHA256 accepted (forward secrecy, CBC)" },
      ]);
    });

    test("an expired certificate: reported once, by certificate-expiry (the chain is judged at the leaf's last valid second)", () => {
      expect(findingsOf("expired.test")).toEqual([{ host: "expired.test", check: "certificate-expiry", expected: `at least ${MIN_DAYS_WITHOUT_ALARM} days to expiry`, got: expect.stringMatching(/^expired 3 day\(s\) ago/) }]);
    });

    test("a certificate for another name", () => {
      expect(findingsOf("other-name.test")).toEqual([
        { host: "other-name.test", check: "certificate-name", expected: "a certificate whose subjectAltName covers other-name.test", got: "names other.example.net" },
      ]);
    });

    test("a certificate expiring in 10 days", () => {
      expect(findingsOf("soon.test")).toEqual([{ host: "soon.test", check: "certificate-expiry", expected: `at least ${MIN_DAYS_WITHOUT_ALARM} days to expiry`, got: expect.stringMatching(/^10 day\(s\) left/) }]);
    });

    test("a leaf one second longer than the CA/Browser Forum maximum for its notBefore date (validity)", () => {
      const max = maxValidityDays(daysFromNow(-1));
      expect(findingsOf("too-long.test")).toEqual([
        {
          host: "too-long.test",
          check: "validity",
          expected: expect.stringMatching(new RegExp(`^at most ${max} days of validity for a certificate issued \\d{4}-\\d\\d-\\d\\d \\(CA/Browser Forum, ballot SC-081v3\\)$`)),
          got: expect.stringMatching(new RegExp(`^${max}\\.00 days \\(`)),
        },
      ]);
      expect(hostReport("too-long.test").certificate!.validityDays).toBeCloseTo(max, 4);
    });

    test("accepts 398 days minus a second for a leaf issued before 2026-03-15", () => {
      expect(findingsOf("before-sc081.test")).toEqual([]);
      expect(hostReport("before-sc081.test").checks.find((c) => c.check === "validity")).toMatchObject({ ok: true, got: expect.stringMatching(/^398 days \(2026-03-14T00:00:00\.000Z to /) });
    });

    test("HTTP/2 not offered by ALPN (http2)", () => {
      expect(findingsOf("no-h2.test")).toEqual([
        { host: "no-h2.test", check: "http2", expected: "h2 selected by ALPN (offered h2, http/1.1), as an ALB does by default", got: "http/1.1 selected by ALPN" },
      ]);
    });

    test("TLS 1.3 resumption refused is information, never a finding", () => {
      expect(findingsOf("no-resumption.test")).toEqual([]);
      const info = Object.fromEntries(hostReport("no-resumption.test").information.map((i) => [i.item, i.value]));
      expect(info["tls1.3-resumption"]).toBe("not resumed: the server sent a ticket, then refused it and did a full handshake");
      expect(info["tls1.3-handshake"]).toMatch(/full handshake .*; \d+\.\d ms second full handshake$/);
    });

    test("a redirect with 302", () => {
      expect(findingsOf("redirect-302.test")).toEqual([
        { host: "redirect-302.test", check: "redirect", expected: expect.any(String), got: `302 with Location https://redirect-302.test:${front.httpsPort}/some/path?q=1` },
      ]);
    });

    test("a redirect that drops the path and query", () => {
      expect(findingsOf("drops-path.test")).toEqual([{ host: "drops-path.test", check: "redirect", expected: expect.any(String), got: `301 with Location https://drops-path.test:${front.httpsPort}/` }]);
    });

    test("HTTP serving content besides the redirect", () => {
      expect(findingsOf("http-content.test")).toEqual([
        { host: "http-content.test", check: "http-only", expected: expect.any(String), got: "GET / answered 200 (24 body bytes, text/html); HEAD /index.html answered 200 (0 body bytes, text/html)" },
      ]);
    });

    test("an ACME challenge path forwarded over HTTP (http-only)", () => {
      expect(findingsOf("acme-rule.test")).toEqual([
        {
          host: "acme-rule.test",
          check: "http-only",
          expected: expect.stringContaining("GET /.well-known/acme-challenge/tls-edge-verify"),
          got: "GET /.well-known/acme-challenge/tls-edge-verify answered 404 (13 body bytes, text/plain)",
        },
      ]);
    });

    test("a missing HSTS header", () => {
      expect(findingsOf("no-hsts.test")).toEqual([
        { host: "no-hsts.test", check: "hsts", expected: `Strict-Transport-Security: ${DEFAULT_HSTS_HEADER}`, got: "no Strict-Transport-Security header (HTTPS 404)" },
      ]);
    });
  });

  describe("npm run verify checks the security headers the environment configures", () => {
    test("an edge without dev's nosniff header is a security-headers finding, and the only one", async () => {
      const run = await scenarios.devNoSecurityHeaders;
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(run.code).toBe(1);
      expect(report.findings).toEqual([
        { host: devHost, check: "security-headers", expected: "x-content-type-options: nosniff", got: "x-content-type-options: (none)" },
      ]);
    });

    test("is not judged without an environment (a bare --host)", () => {
      expect(hostReport("good.test").checks.map((c) => c.check)).not.toContain("security-headers");
    });
  });

  describe("npm run verify compares the served certificate's names with the environment's certificates", () => {
    test("a certificate that covers the name but is not one of the environment's is a certificate-names finding, and the only one", async () => {
      const run = await scenarios.devOldSni;
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(run.code).toBe(1);
      expect(report.findings).toEqual([
        {
          host: devHost,
          check: "certificate-names",
          expected: `exactly the names of one of the environment's certificates: {${[...certificateNames(dev)].sort().join(", ")}}`,
          got: `{${[devHost, "legacy.example.org"].sort().join(", ")}}: a certificate this environment does not configure (an old SNI certificate on the listener?)`,
        },
      ]);
      expect(report.hosts[0].checks.find((c) => c.check === "certificate-name")).toMatchObject({ ok: true });
    });

    test("is not judged without an environment (a bare --host)", () => {
      expect(hostReport("good.test").checks.map((c) => c.check)).not.toContain("certificate-names");
    });
  });

  describe("npm run verify draws the expiry threshold from the environment", () => {
    test("warns at the environment's alarm threshold (DEFAULTS when unset) and at 30 days without an environment, one FINDING line each in text mode", async () => {
      const { asDev, asHost, threshold, daysLeft, notAfterIso } = await scenarios.devExpiring;
      expect(threshold).toBe(defaultAlarmDays());
      // dev fails at its alarm threshold; the bare host only below 30 days
      expect(asDev.code).toBe(1);
      expect(asDev.stdout.split("\n").filter((line) => line.startsWith("FINDING"))).toEqual([
        `FINDING ${devHost} certificate-expiry: expected at least ${threshold} days to expiry; got ${daysLeft} day(s) left (not after ${notAfterIso})`,
      ]);
      const bare = JSON.parse(asHost.stdout) as JsonReport;
      expect(bare.findings.map((f) => f.check)).toEqual(daysLeft < MIN_DAYS_WITHOUT_ALARM ? ["certificate-expiry"] : []);
    });
  });

  describe("npm run verify refuses to start", () => {
    test.each([
      [["--host", HOST, "--https-port", "0", "--resolve", "nohost"], /--https-port "0": must be a whole number from 1 to 65535\n--resolve "nohost": must be <host>:<IP address>\n\nUsage:/],
      [["no-such-env"], new RegExp(`^verify: unknown environment "no-such-env"; known: ${environments.map((env) => env.name).join(", ")}\n`)],
      [["--host", HOST, "--resolve", "other.test:127.0.0.1"], /--resolve names host\(s\) not being verified: other\.test \(verifying edge\.test\)/],
      [["--host", HOST, "--ca-file", "/nonexistent/ca.pem"], /^verify: --ca-file \/nonexistent\/ca\.pem: cannot read it \(ENOENT\)/],
      [["--host", HOST, "--scan-timeout", "0"], /--scan-timeout "0": must be a whole number from 1 to 3600/],
    ])("exits 3 without probing anything for %j", async (args, message) => {
      const run = await runVerify(args);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    });

    test("exits 3 with one line when python3 is missing to provision the scanner", async () => {
      // GIVEN a PATH without python3 and no PYTHON override (node itself is started by its absolute path)
      const run = await runVerify(["--host", HOST], { PATH: "/nonexistent-bin", PYTHON: "" });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe("python-tools: python3 was not found on PATH (needed to provision .venv-verify)\n");
    });
  });

  describe("npm run verify against a host that does not answer", () => {
    test("exits 1 with an https finding when only the HTTPS port is silent", async () => {
      const { code, report, port } = await scenarios.silentHttps;
      expect(report.findings).toEqual([
        { host: HOST, check: "https", expected: `a TLS handshake on port ${port}`, got: "no answer after 1 attempt(s) (no TLS handshake within 1 s (TCP connected, then silence))" },
      ]);
      expect(code).toBe(1);
    });

    test("reports a TLS scan cut short by silence as a finding instead of passing it", async () => {
      const { code, report } = await scenarios.fading;
      // no TLS check passes: the scan could not finish (or not connect), and says so
      expect(report.findings).toContainEqual({
        host: HOST,
        check: "tls-scan",
        expected: "a complete TLS scan (protocols, suites, key exchange, certificate, weaknesses)",
        got: expect.stringMatching(/^(the TLS scan's 2 s budget ran out before this host was done|sslyze could not complete a handshake: .*)$/),
      });
      expect(report.hosts[0].checks.filter((c) => TLS_CHECKS.includes(c.check) && c.ok)).toEqual([]);
      expect(code).toBe(1);
    });

    test("exits 2 when one host is unreachable, and still lists the other host's findings", async () => {
      const run = await scenarios.oneUnreachable;
      expect(run.code).toBe(2);
      const verdict = run.stdout.split("\n").filter((line) => /^(FINDING|UNREACHABLE) /.test(line));
      expect(verdict).toEqual([
        expect.stringMatching(/^UNREACHABLE gone\.test: https 127\.0\.0\.2:\d+: no answer after 1 attempt\(s\) \(connect ECONNREFUSED .*\); http 127\.0\.0\.2:\d+: no answer after 1 attempt\(s\) \(connect ECONNREFUSED /),
        expect.stringMatching(/^FINDING edge\.test hsts: expected Strict-Transport-Security: max-age=31536000; got no Strict-Transport-Security header/),
      ]);
    });

    test("exits 2 and reports the host unreachable when neither port ever answers", async () => {
      const { code, report } = await scenarios.neverAnswers;
      expect(code).toBe(2);
      expect(report.findings).toEqual([]);
      expect(report.unreachable).toEqual([{ host: HOST, reason: expect.stringMatching(/no answer after 2 attempt\(s\) \(no TLS handshake within 1 s \(TCP connected, then silence\)\).*no HTTP response within 1 s/) }]);
      expect(report.hosts[0].checks).toEqual([]);
    });
  });
});
