/**
 * The CI scripts (scripts/ci/plan, apply, drift), run exactly as the workflow runs them, against the AWS emulator:
 * first plan and apply, a clean re-plan, a certificate replacement, a stale plan refused, an out-of-band policy
 * downgrade caught by the drift check, and a stack's guard suppression shown in its summary.
 *
 * Set TLS_EDGE_KEEP_SUMMARIES=<dir> to keep every summary.md this suite writes (the README quotes them).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { DescribeListenersCommand, ElasticLoadBalancingV2Client, Listener, ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { App } from "cdktf";
import { EnvironmentConfig, suppressTlsGuard, TlsStack } from "../../lib";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { expectStatus, readSummary, runCiScript, ScriptResult } from "../support/ci-scripts";
import { emulatorEnvironment } from "../support/emulator-app";

const ZONE_ID = "Z0000000000000000001";
const STACK = "tls-ci";
const SUPPRESSED_STACK = "tls-ci-legacy";
const REASON = "Kiosk firmware only speaks TLS 1.1; retired 2027-03 (EDGE-123)";

describeWithEmulator("CI scripts against the AWS emulator", () => {
  let emulator: Emulator;
  let tmp: string;
  let environment: EnvironmentConfig;

  /** Synthesizes the fixture environment (with `overrides`) plus the suppression stack into tmp/cdktf.out. */
  function synth(overrides: Partial<EnvironmentConfig> = {}): void {
    const app = new App({ outdir: path.join(tmp, "cdktf.out") });
    new TlsStack(app, STACK, { ...environment, ...overrides });
    const legacy = new TlsStack(app, SUPPRESSED_STACK, { ...environment, name: "ci-legacy" });
    const kiosk = new LbListener(legacy, "KioskListener", {
      loadBalancerArn: environment.loadBalancerArn,
      port: 8443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01",
      certificateArn: legacy.certificate.certificateArn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    });
    suppressTlsGuard(kiosk, "listener-tls-policy", REASON);
    app.synth();
  }

  const script = (name: "plan" | "apply" | "drift", ...args: string[]): ScriptResult => runCiScript(name, args, emulator.env);

  const stackDir = (stack = STACK) => path.join(tmp, "cdktf.out", "stacks", stack);
  const out = (name: string) => path.join(tmp, "out", name);

  const summary = (name: string): string => readSummary(out(name), name);

  async function listeners(): Promise<Record<number, Listener>> {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const found = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: environment.loadBalancerArn }));
    return Object.fromEntries((found.Listeners ?? []).map((l) => [l.Port, l]));
  }

  async function certificateNames(arn: string): Promise<string[]> {
    const found = await emulator.client(ACMClient).send(new DescribeCertificateCommand({ CertificateArn: arn }));
    return [...(found.Certificate?.SubjectAlternativeNames ?? [])].sort();
  }

  beforeAll(async () => {
    emulator = await startEmulator({ hostedZones: { "example.com": ZONE_ID } }, { acmValidationWaitSeconds: 1 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ci-pipeline-"));
    environment = emulatorEnvironment(emulator, { name: "ci", domainName: "app.example.com", hostedZones: { "example.com": ZONE_ID } });
    synth();
  });

  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("each script explains itself with --help, and refuses a directory that is not a synthesized stack", () => {
    for (const name of ["plan", "apply", "drift"] as const) {
      const help = script(name, "--help");
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: scripts/ci/${name} STACK_DIR`);
    }
    const bad = script("plan", tmp, out("bad"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("is not a synthesized stack (no cdk.tf.json in it");
  });

  test("a plan that terraform rejects exits 1 and leaves no plan or summary behind", () => {
    // GIVEN a stack whose configuration terraform cannot plan, and an old summary in the output directory
    const broken = path.join(tmp, "broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "cdk.tf.json"), JSON.stringify({ resource: { aws_no_such_resource_type: { x: {} } } }));
    fs.mkdirSync(out("broken"), { recursive: true });
    fs.writeFileSync(path.join(out("broken"), "summary.md"), "an old summary");
    // WHEN
    const result = script("plan", broken, out("broken"));
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/scripts\/ci\/plan: terraform (init|plan) failed/);
    expect(fs.readdirSync(out("broken"))).toEqual([]);
  });

  test("the first plan exits 2 and its summary names the certificate and both listeners", () => {
    const result = script("plan", stackDir(), out("first"));
    expectStatus(result, 2);
    for (const file of ["tfplan", "plan.json", "summary.md", ".terraform.lock.hcl"]) expect(fs.existsSync(path.join(out("first"), file))).toBe(true);
    const text = summary("first");
    expect(text).toMatch(/Certificate `aws_acm_certificate\.\S+` \*\*created\*\* for `\*\.app\.example\.com`, `app\.example\.com`/);
    expect(text).toMatch(/HTTPS listener `aws_lb_listener\.HttpsListener\S*` \*\*created\*\*: port 443, policy `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` \(minimum TLSv1\.2\)/);
    expect(text).toMatch(/HTTP redirect listener `aws_lb_listener\.HttpRedirect\S*` \*\*created\*\*: port 80, redirects to HTTPS:443 with HTTP_301/);
    expect(text).toContain("#### TLS guard suppressions in this stack\n- none");
  });

  test("apply applies that plan: the emulator then has the issued certificate and both listeners", async () => {
    expectStatus(script("apply", stackDir(), path.join(out("first"), "tfplan")), 0);
    const byPort = await listeners();
    expect(byPort[443]).toMatchObject({ Protocol: "HTTPS", SslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" });
    expect(byPort[80]?.DefaultActions?.[0]).toMatchObject({ Type: "redirect", RedirectConfig: expect.objectContaining({ Protocol: "HTTPS", StatusCode: "HTTP_301" }) });
    const certificate = byPort[443]?.Certificates?.[0]?.CertificateArn;
    expect(await certificateNames(String(certificate))).toEqual(["*.app.example.com", "app.example.com"]);
  });

  test("planning again finds no changes and exits 0", () => {
    const result = script("plan", stackDir(), out("again"));
    expectStatus(result, 0);
    expect(summary("again")).toContain("**No changes.**");
  });

  test("a SAN change plans the certificate replaced create-before-destroy", () => {
    synth({ subjectAlternativeNames: ["*.app.example.com", "www.app.example.com"] });
    expectStatus(script("plan", stackDir(), out("san")), 2);
    const text = summary("san");
    expect(text).toMatch(/Certificate `aws_acm_certificate\.\S+` \*\*replaced, create-before-destroy holds\*\*/);
    expect(text).toContain("names added: `www.app.example.com`");
  });

  test("after a second change is planned and applied, applying the first plan is refused as stale and changes nothing", async () => {
    // GIVEN a second plan from the same state, applied
    synth({ tlsPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    expectStatus(script("plan", stackDir(), out("policy")), 2);
    expect(summary("policy")).toMatch(/policy `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` \(minimum TLSv1\.2\) → `ELBSecurityPolicy-TLS13-1-3-2021-06` \(minimum TLSv1\.3\)/);
    expectStatus(script("apply", stackDir(), path.join(out("policy"), "tfplan")), 0);
    const before = await listeners();
    // WHEN the first (SAN) plan is applied
    const stale = script("apply", stackDir(), path.join(out("san"), "tfplan"));
    // THEN
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("Saved plan is stale");
    expect(stale.stderr).toContain(`REFUSED: ${path.join(out("san"), "tfplan")} is a stale plan. The state of ${STACK} changed after this plan was made`);
    const after = await listeners();
    expect(after[443]?.SslPolicy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    expect(after[443]?.Certificates).toEqual(before[443]?.Certificates);
    expect(await certificateNames(String(after[443]?.Certificates?.[0]?.CertificateArn))).not.toContain("www.app.example.com");
  });

  test("an out-of-band policy downgrade makes the drift check exit 2 with the policy line", async () => {
    const https = (await listeners())[443];
    await emulator.client(ElasticLoadBalancingV2Client).send(new ModifyListenerCommand({ ListenerArn: https?.ListenerArn, SslPolicy: "ELBSecurityPolicy-2016-08" }));
    const result = script("drift", stackDir(), out("drift"));
    expectStatus(result, 2);
    const text = summary("drift");
    expect(text).toMatch(
      /Listener `aws_lb_listener\.HttpsListener\S*` policy changed outside Terraform: `ELBSecurityPolicy-TLS13-1-3-2021-06` \(minimum TLSv1\.3\) → `ELBSecurityPolicy-2016-08` \(minimum TLSv1\) \*\*WARNING: allows TLSv1, below TLSv1\.2\*\*/,
    );
    expect(text).toMatch(/policy `ELBSecurityPolicy-2016-08` \(minimum TLSv1\) → `ELBSecurityPolicy-TLS13-1-3-2021-06` \(minimum TLSv1\.3\)/);
  });

  test("the summary of a stack carrying a guard suppression lists its rule and reason", () => {
    expectStatus(script("plan", stackDir(SUPPRESSED_STACK), out("suppressed")), 2);
    expect(summary("suppressed")).toMatch(
      new RegExp(`- \`aws_lb_listener\\.KioskListener\\S*\` \\(\`${SUPPRESSED_STACK}/KioskListener\`\\): rule \`listener-tls-policy\`: Kiosk firmware only speaks TLS 1\\.1; retired 2027-03 \\(EDGE-123\\)`),
    );
    // The suppressed listener's weak policy is still shown for what it is.
    expect(summary("suppressed")).toContain("`ELBSecurityPolicy-TLS-1-1-2017-01` (minimum TLSv1.1) **WARNING: allows TLSv1.1, below TLSv1.2**");
  });
});
