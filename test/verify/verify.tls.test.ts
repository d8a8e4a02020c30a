/**
 * `npm run verify` against real local servers, one edge per defect, each run through the real CLI as a child process.
 * A throwaway CA (openssl) issues the certificates; `--ca-file` trusts it, `--resolve` points the names at 127.0.0.1.
 */
import { spawnSync } from "node:child_process";
import { environments } from "../../environments";
import { certificateNames, DEFAULTS } from "../../lib/config/environment-config";
import { DEFAULT_HSTS, edgeSettings, MIN_DAYS_WITHOUT_ALARM } from "../../lib/verify/edge-expectations";
import { formatHsts } from "../../lib/verify/http-checks";
import { isCi } from "../support/ci";
import {
  daysFromNow, IssuedCertificate, redirectTo, runVerify, ServerSet, startHttp, startHttpsEdge, startOpenSslServer,
  startFadingProxy, startSilentServer, startVersionRouter, TestCa, STRONG_CIPHERS,
} from "../support/tls-edge";

const HOST = "edge.test";
const DEFAULT_HSTS_HEADER = formatHsts(DEFAULT_HSTS);
const dev = environments.find((env) => env.name === "dev")!;
const devHost = certificateNames(dev).find((name) => !name.startsWith("*."))!;
const devSettings = edgeSettings(dev);

interface JsonReport {
  exitCode: number;
  findings: { host: string; check: string; expected: string; got: string }[];
  unreachable: { host: string; reason: string }[];
  hosts: { host: string; reachable: boolean; checks: { check: string; ok: boolean; got: string }[]; acceptedTls12CipherSuites?: { name: string }[] }[];
}

/** The CA and `openssl s_server` need the openssl CLI; without it the suite is skipped loudly, and fails in CI. */
const OPENSSL = spawnSync("openssl", ["version"]).status === 0;
if (!OPENSSL && !isCi()) {
  console.warn(
    "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
      "!!! openssl is not on PATH: SKIPPING test/verify/verify.tls.test.ts. Install it (Debian: apt-get install openssl).\n" +
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
  );
}
const describeTls = OPENSSL || isCi() ? describe : describe.skip;

const servers = new ServerSet();
let ca: TestCa;
let good: IssuedCertificate;

describeTls("npm run verify (real TLS servers)", () => {
  beforeAll(() => {
    ca = TestCa.create();
    good = ca.issue("good", { names: [HOST], notBefore: daysFromNow(-1), notAfter: daysFromNow(200) });
  });

  afterAll(async () => {
    await servers.closeAll();
    ca?.remove();
  });

  /** Starts the HTTP side (the ALB-like 301 unless told otherwise) for an HTTPS port; returns the CLI's port options. */
  async function edge(httpsPort: number, http = redirectTo(httpsPort)): Promise<string[]> {
    const httpServer = await servers.add(startHttp(http));
    return ["--https-port", String(httpsPort), "--http-port", String(httpServer.port)];
  }

  /** The good HTTPS side: TLS 1.2-1.3, ECDHE + AEAD only, valid certificate, HSTS (null: no header). */
  function goodHttps(certificate = good, hsts: string | null = DEFAULT_HSTS_HEADER) {
    return servers.add(startHttpsEdge({ certificate, hsts: hsts ?? undefined }));
  }

  /** Runs the CLI for HOST with --json and returns the exit code and the parsed report. */
  async function verifyHost(portArgs: string[], extra: string[] = []): Promise<{ code: number | null; report: JsonReport }> {
    const run = await runVerify(["--host", HOST, "--resolve", `${HOST}:127.0.0.1`, "--ca-file", ca.caPath, "--json", ...portArgs, ...extra]);
    if (run.stderr) throw new Error(`verify wrote to stderr:\n${run.stderr}`);
    return { code: run.code, report: JSON.parse(run.stdout) as JsonReport };
  }

  const finding = (check: string, got: RegExp) => ({ host: HOST, check, expected: expect.any(String), got: expect.stringMatching(got) });

  describe("npm run verify against a good edge", () => {
    test("passes every check of an environment's name with the environment's settings and exits 0", async () => {
      // GIVEN an edge as dev asks for it: its name, its key algorithm, its HSTS setting
      const certificate = ca.issue("dev", {
        names: [devHost],
        notBefore: daysFromNow(-1),
        notAfter: daysFromNow(devSettings.minDaysToExpiry + 60),
        keyAlgorithm: dev.keyAlgorithm ?? DEFAULTS.keyAlgorithm,
      });
      const https = await goodHttps(certificate, devSettings.hsts === false ? null : formatHsts(devSettings.hsts));
      const ports = await edge(https.port);

      // WHEN
      const run = await runVerify(["dev", "--resolve", `${devHost}:127.0.0.1`, "--ca-file", ca.caPath, ...ports]);

      // THEN every check is listed as ok and the verdict is 0
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      for (const check of ["tls1.0", "tls1.1", "tls1.2", "tls1.3", "tls1.2-ciphers", "certificate-chain", "certificate-name", "certificate-key", "certificate-expiry", "hsts", "redirect", "http-only"]) {
        expect(run.stdout).toMatch(new RegExp(`^  ok +${check.replace(".", "\\.")} `, "m"));
      }
      expect(run.stdout).not.toMatch(/FAIL|FINDING/);
      expect(run.stdout).toContain(`${devHost} (connect 127.0.0.1`);
      expect(run.stdout).toMatch(/Result: 0 finding\(s\), 0 unreachable host\(s\); exit 0/);
    });

    test("lists the accepted TLS 1.2 suites, all with forward secrecy and AEAD, in the JSON report", async () => {
      const https = await goodHttps();
      const { code, report } = await verifyHost(await edge(https.port));

      expect(code).toBe(0);
      expect(report.findings).toEqual([]);
      const suites = report.hosts[0].acceptedTls12CipherSuites!;
      // The EC certificate allows only the ECDSA half of STRONG_CIPHERS under TLS 1.2.
      expect(suites.map((suite) => suite.name).sort()).toEqual(["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"]);
      expect(suites).toEqual(suites.map((suite) => expect.objectContaining({ name: suite.name, forwardSecrecy: true, aead: true })));
    });
  });

  describe("npm run verify finds exactly the defect of each edge and exits 1", () => {
    test("TLS 1.0 enabled (openssl s_server -tls1 behind the edge)", async () => {
      const modern = await goodHttps();
      const legacy = await servers.add(startOpenSslServer(["-tls1", "-cipher", "ALL:@SECLEVEL=0", "-cert", good.certPath, "-key", good.keyPath]));
      const router = await servers.add(startVersionRouter({ modernPort: modern.port, legacyPort: legacy.port }));
      const { code, report } = await verifyHost(await edge(router.port));
      expect(report.findings).toEqual([{ host: HOST, check: "tls1.0", expected: "refused", got: expect.stringMatching(/^accepted \(TLSv1, /) }]);
      expect(code).toBe(1);
    });

    test("TLS 1.1 enabled (a Node TLS server behind the edge)", async () => {
      const modern = await goodHttps();
      const legacy = await servers.add(startHttpsEdge({ certificate: good, minVersion: "TLSv1.1", maxVersion: "TLSv1.1", ciphers: "ALL:@SECLEVEL=0" }));
      const router = await servers.add(startVersionRouter({ modernPort: modern.port, legacyPort: legacy.port }));
      const { code, report } = await verifyHost(await edge(router.port));
      expect(report.findings).toEqual([{ host: HOST, check: "tls1.1", expected: "refused", got: expect.stringMatching(/^accepted \(TLSv1\.1, /) }]);
      expect(code).toBe(1);
    });

    test("a CBC suite accepted", async () => {
      const https = await servers.add(startHttpsEdge({ certificate: good, hsts: DEFAULT_HSTS_HEADER, ciphers: `${STRONG_CIPHERS}:ECDHE-ECDSA-AES128-SHA256` }));
      const { code, report } = await verifyHost(await edge(https.port));
      expect(report.findings).toEqual([
        { host: HOST, check: "tls1.2-ciphers", expected: "only suites with forward secrecy and AEAD", got: "ECDHE-ECDSA-AES128-SHA256 accepted (forward secrecy, CBC)" },
      ]);
      expect(code).toBe(1);
    });

    test("an expired certificate", async () => {
      const expired = ca.issue("expired", { names: [HOST], notBefore: daysFromNow(-90), notAfter: daysFromNow(-3) });
      const { code, report } = await verifyHost(await edge((await goodHttps(expired)).port));
      expect(report.findings).toEqual([finding("certificate-expiry", /^expired 3 day\(s\) ago/)]);
      expect(code).toBe(1);
    });

    test("a certificate for another name", async () => {
      const other = ca.issue("other", { names: ["other.example.net"], notBefore: daysFromNow(-1), notAfter: daysFromNow(200) });
      const { code, report } = await verifyHost(await edge((await goodHttps(other)).port));
      expect(report.findings).toEqual([{ host: HOST, check: "certificate-name", expected: `a certificate valid for ${HOST}`, got: "names other.example.net" }]);
      expect(code).toBe(1);
    });

    test("a certificate expiring in 10 days", async () => {
      const soon = ca.issue("soon", { names: [HOST], notBefore: daysFromNow(-80), notAfter: daysFromNow(10.01) });
      const { code, report } = await verifyHost(await edge((await goodHttps(soon)).port));
      expect(report.findings).toEqual([{ host: HOST, check: "certificate-expiry", expected: `at least ${MIN_DAYS_WITHOUT_ALARM} days to expiry`, got: expect.stringMatching(/^10 day\(s\) left/) }]);
      expect(code).toBe(1);
    });

    test("a redirect with 302", async () => {
      const https = await goodHttps();
      const { code, report } = await verifyHost(await edge(https.port, redirectTo(https.port, 302)));
      expect(report.findings).toEqual([finding("redirect", new RegExp(`^302 with Location https://${HOST}:${https.port}/some/path\\?q=1$`))]);
      expect(code).toBe(1);
    });

    test("a redirect that drops the path and query", async () => {
      const https = await goodHttps();
      const { code, report } = await verifyHost(await edge(https.port, (host) => ({ status: 301, headers: { location: `https://${host}:${https.port}/` } })));
      expect(report.findings).toEqual([finding("redirect", new RegExp(`^301 with Location https://${HOST}:${https.port}/$`))]);
      expect(code).toBe(1);
    });

    test("HTTP serving content besides the redirect", async () => {
      const https = await goodHttps();
      const redirect = redirectTo(https.port);
      const { code, report } = await verifyHost(
        await edge(https.port, (host, url, method) =>
          url === "/" || url === "/index.html" ? { status: 200, headers: { "content-type": "text/html" }, body: "<h1>hello over http</h1>" } : redirect(host, url, method),
        ),
      );
      expect(report.findings).toEqual([finding("http-only", /^GET \/ answered 200 \(24 body bytes, text\/html\); HEAD \/index\.html answered 200 \(0 body bytes, text\/html\)$/)]);
      expect(code).toBe(1);
    });

    test("a missing HSTS header", async () => {
      const https = await goodHttps(good, null);
      const { code, report } = await verifyHost(await edge(https.port));
      expect(report.findings).toEqual([
        { host: HOST, check: "hsts", expected: `Strict-Transport-Security: ${DEFAULT_HSTS_HEADER}`, got: "no Strict-Transport-Security header (HTTPS 404)" },
      ]);
      expect(code).toBe(1);
    });

    test("prints one FINDING line per finding with host, check, expected and got in text mode", async () => {
      const https = await goodHttps(good, "max-age=300");
      const ports = await edge(https.port);
      const run = await runVerify(["--host", HOST, "--resolve", `${HOST}:127.0.0.1`, "--ca-file", ca.caPath, ...ports]);
      expect(run.code).toBe(1);
      expect(run.stdout.split("\n").filter((line) => line.startsWith("FINDING"))).toEqual([
        `FINDING ${HOST} hsts: expected Strict-Transport-Security: ${DEFAULT_HSTS_HEADER}; got Strict-Transport-Security: max-age=300`,
      ]);
    });
  });

  describe("npm run verify refuses to start", () => {
    test.each([
      [["--host", HOST, "--https-port", "0", "--resolve", "nohost"], /--https-port "0": must be a whole number from 1 to 65535\n--resolve "nohost": must be <host>:<IP address>\n\nUsage:/],
      [["no-such-env"], new RegExp(`^verify: unknown environment "no-such-env"; known: ${environments.map((env) => env.name).join(", ")}\n`)],
      [["--host", HOST, "--resolve", "other.test:127.0.0.1"], /--resolve names host\(s\) not being verified: other\.test \(verifying edge\.test\)/],
      [["--host", HOST, "--ca-file", "/nonexistent/ca.pem"], /^verify: --ca-file \/nonexistent\/ca\.pem: cannot read it \(ENOENT\)/],
    ])("exits 3 without probing anything for %j", async (args, message) => {
      const run = await runVerify(args);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    });
  });

  describe("npm run verify against a host that does not answer", () => {
    test("exits 1 with an https finding when only the HTTPS port is silent", async () => {
      const silent = await servers.add(startSilentServer());
      const { code, report } = await verifyHost(await edge(silent.port), ["--timeout", "1", "--retries", "0"]);
      expect(report.findings).toEqual([
        { host: HOST, check: "https", expected: `a TLS handshake on port ${silent.port}`, got: "no answer after 1 attempt(s) (no TLS handshake within 1 s (TCP connected, then silence))" },
      ]);
      expect(code).toBe(1);
    });

    test("reports a cipher enumeration cut short by silence as a finding instead of passing it", async () => {
      // GIVEN an edge that answers the first contact and the four protocol probes, then nothing
      const https = await goodHttps();
      const fading = await servers.add(startFadingProxy({ port: https.port, answered: 5 }));
      const { code, report } = await verifyHost(await edge(fading.port), ["--timeout", "1", "--retries", "0"]);
      // THEN the enumeration stopped at the first silent probe and says so; it never passes
      expect(report.findings).toContainEqual({
        host: HOST,
        check: "tls1.2-ciphers",
        expected: expect.stringMatching(/^an answer for each of the \d+ suites$/),
        got: expect.stringMatching(/not probed or unanswered .*; stopped because a probe got no answer \(no TLS handshake within 1 s/),
      });
      expect(report.hosts[0].checks.filter((c) => c.check === "tls1.2-ciphers" && c.ok)).toEqual([]);
      expect(code).toBe(1);
    });

    test("exits 2 when one host is unreachable, and still lists the other host's findings", async () => {
      // GIVEN edge.test on 127.0.0.1 without HSTS, and gone.test on 127.0.0.2 where nothing listens
      const https = await goodHttps(good, null);
      const ports = await edge(https.port);
      const run = await runVerify(["--host", HOST, "--host", "gone.test", "--resolve", `${HOST}:127.0.0.1`, "--resolve", "gone.test:127.0.0.2",
        "--ca-file", ca.caPath, "--retries", "0", ...ports]);
      expect(run.code).toBe(2);
      const verdict = run.stdout.split("\n").filter((line) => /^(FINDING|UNREACHABLE) /.test(line));
      expect(verdict).toEqual([
        expect.stringMatching(/^UNREACHABLE gone\.test: https 127\.0\.0\.2:\d+: no answer after 1 attempt\(s\) \(connect ECONNREFUSED .*\); http 127\.0\.0\.2:\d+: no answer after 1 attempt\(s\) \(connect ECONNREFUSED /),
        expect.stringMatching(/^FINDING edge\.test hsts: expected Strict-Transport-Security: max-age=31536000; got no Strict-Transport-Security header/),
      ]);
    });

    test("exits 2 and reports the host unreachable when neither port ever answers", async () => {
      const silent = await servers.add(startSilentServer());
      const { code, report } = await verifyHost(["--https-port", String(silent.port), "--http-port", String(silent.port)], ["--timeout", "1", "--retries", "1"]);
      expect(code).toBe(2);
      expect(report.findings).toEqual([]);
      expect(report.unreachable).toEqual([{ host: HOST, reason: expect.stringMatching(/no answer after 2 attempt\(s\) \(no TLS handshake within 1 s \(TCP connected, then silence\)\).*no HTTP response within 1 s/) }]);
      expect(report.hosts[0].checks).toEqual([]);
    });
  });
});
