/**
 * scripts/ci/plan and drift on a stack that adopts listeners (`existingListeners`) which keep rules and SNI certificates,
 * against the AWS emulator: the seed puts a forward rule and a 301-redirect rule on the HTTP :80 listener, a forward
 * rule on the HTTPS :443 one, and three old certificates on its SNI list (one with the stack's own name, a wildcard over
 * the stack's names, one for another domain). Terraform's plan shows none of them; the scripts read them from the ELB
 * and ACM APIs.
 *
 * Set TLS_EDGE_KEEP_SUMMARIES=<dir> to keep every summary.md this suite writes (docs/ci-cd.md quotes them).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AddListenerCertificatesCommand,
  DeleteRuleCommand,
  DescribeListenerCertificatesCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  RemoveListenerCertificatesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { App } from "cdktf";
import { EnvironmentConfig, suppressTlsGuard, TlsStack } from "../../lib";
import { planPolicy } from "../../lib/bootstrap/bootstrap-policies";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "../support/emulator";
import { expectStatus, readSummary, runCiScript, ScriptResult } from "../support/ci-scripts";
import { emulatorEnvironment } from "../support/emulator-app";
import { callsDuring, listenersByPort } from "../support/emulator-aws";
import { callsNotAllowed } from "../support/iam-policy";

const ZONE_ID = "Z0000000000000000007";
const STACK = "tls-adopt-ci";
const REASON = "The legacy API still answers on :80 until the mobile app 4.2 is gone (EDGE-77)";
/** The old certificates on the HTTPS listener's SNI list, in seed order. */
const OLD_CERTIFICATES = [["app.example.com", "old.example.org"], ["*.example.com"], ["legacy.example.net"]];

describeWithEmulator("scripts/ci/plan checks what adopted listeners keep, against the AWS emulator", () => {
  let emulator: Emulator;
  let tmp: string;
  let environment: EnvironmentConfig;
  let elb: ElasticLoadBalancingV2Client;
  const seeded = () => emulator.seeded;
  const [httpForwardRule, httpRedirectRule, httpsRule] = [0, 1, 2].map((i) => () => seeded().listenerRules[i]);
  const oldCertificate = (i: number) => seeded().listenerCertificates.https![i];

  /** Synthesizes the adopting stack into tmp/cdktf.out, with http-listener-rule suppressed on the adopted :80 listener or not. */
  function synth(suppress: boolean): void {
    const app = new App({ outdir: path.join(tmp, "cdktf.out") });
    const stack = new TlsStack(app, STACK, environment);
    if (suppress) suppressTlsGuard(stack.httpRedirect.listener, "http-listener-rule", REASON);
    app.synth();
  }

  const script = (name: "plan" | "apply" | "drift", ...args: string[]): ScriptResult => runCiScript(name, args, emulator.env);

  const stackDir = () => path.join(tmp, "cdktf.out", "stacks", STACK);
  const out = (name: string) => path.join(tmp, "out", name);
  const has = (name: string, file: string) => fs.existsSync(path.join(out(name), file));

  const summary = (name: string): string => readSummary(out(name), name);

  /** The summary's "Adopted listeners" section, without the line breaks of the rest. */
  function adoptedSection(text: string): string {
    const start = text.indexOf("#### Adopted listeners: what they keep");
    if (start < 0) throw new Error(`no adopted-listeners section in:\n${text}`);
    return text.slice(start, text.indexOf("\n\n", start));
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adopted-listeners-"));
    emulator = await startEmulator(
      {
        hostedZones: { "example.com": ZONE_ID },
        loadBalancerName: "edge-adopt-ci",
        listeners: { http: true, https: "ELBSecurityPolicy-2016-08" },
        listenerRules: [
          { listener: "http", priority: 10, pathPattern: "/api/*", action: "forward" },
          { listener: "http", priority: 20, pathPattern: "/old/*", action: "redirect" },
          { listener: "https", priority: 10, pathPattern: "/api/*", action: "forward" },
        ],
        listenerCertificates: { https: OLD_CERTIFICATES },
      },
      { acmValidationWaitSeconds: 1, requestLog: path.join(tmp, "requests.log") },
    );
    elb = emulator.client(ElasticLoadBalancingV2Client);
    environment = emulatorEnvironment(emulator, {
      name: "adopt-ci",
      domainName: "app.example.com",
      hostedZones: { "example.com": ZONE_ID },
      targetGroupArn: emulator.seeded.targetGroupArn,
      additionalCertificates: [{ domainName: "api.example.com" }],
      existingListeners: { http: emulator.seeded.listeners.http, https: emulator.seeded.listeners.https },
      expiryAlarm: false,
      validationTimeout: "5m",
    });
  });

  afterAll(async () => {
    elb?.destroy();
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the seed leaves rules and old SNI certificates on the listeners, as ELB reports them", async () => {
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: seeded().listeners.http }));
    expect(rules.Rules?.map((r) => [r.Priority, r.Actions?.[0]?.Type])).toEqual([["10", "forward"], ["20", "redirect"], ["default", "forward"]]);
    const certificates = await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: seeded().listeners.https }));
    expect(certificates.Certificates?.filter((c) => !c.IsDefault).map((c) => c.CertificateArn)).toEqual(seeded().listenerCertificates.https);
  });

  test("refuses the plan that adopts an HTTP listener with a forward rule, warns about each old SNI certificate with the names it overlaps", async () => {
    synth(false);
    let result: ScriptResult | undefined;
    const calls = await callsDuring(path.join(tmp, "requests.log"), async () => (result = script("plan", stackDir(), out("refused"))));
    if (result === undefined) throw new Error("scripts/ci/plan did not run");

    // the inventory's calls were made, and the plan role allows every call of the plan
    expect(calls.map((c) => c.call)).toEqual(expect.arrayContaining(["elbv2 DescribeRules", "elbv2 DescribeListenerCertificates", "acm DescribeCertificate"]));
    expect(callsNotAllowed(planPolicy(environment, "state-bucket"), calls)).toEqual([]);
    expect(result.status).toBe(1);
    expect(has("refused", "tfplan")).toBe(false);
    expect(result.stderr).toContain("scripts/ci/plan: REFUSED by the plan-time TLS guard: 1 listener rule problem:");
    expect(result.stderr).toMatch(
      new RegExp(
        `- aws_lb_listener\\.HttpRedirect_Listener_\\w+ \\[http-listener-rule\\]: adopted HTTP listener ${escape(seeded().listeners.http!)} keeps rule priority 10 ` +
          `\\(path-pattern /api/\\*\\), ${escape(httpForwardRule())}: action type is "forward", not a redirect to HTTPS, so it keeps serving content over plain HTTP`,
      ),
    );
    const text = summary("refused");
    expect(text).toContain("**REFUSED by the plan-time TLS guard**: 1 problem; this plan must not be applied.");
    const section = adoptedSection(text);
    expect(section).toMatch(/- HTTP listener `aws_lb_listener\.HttpRedirect_Listener_\w+` \(imported by this plan, `[^`]+`\): 2 rule\(s\) besides the default action\n/);
    expect(section).toContain(`  - **REFUSED** rule priority 10 (\`path-pattern /api/*\`), \`${httpForwardRule()}\`: action type is "forward", not a redirect to HTTPS`);
    expect(section).toContain(`  - rule priority 20 (\`path-pattern /old/*\`), \`${httpRedirectRule()}\`: a 301 redirect to HTTPS, as the guard allows`);
    expect(section).toMatch(/- HTTPS listener `aws_lb_listener\.HttpsListener_\w+` \(imported by this plan, `[^`]+`\): 1 rule\(s\) besides the default action; 3 SNI certificate\(s\) this stack does not manage\n/);
    expect(section).toContain(`  - rule priority 10 (\`path-pattern /api/*\`), \`${httpsRule()}\`: forward; it routes before the stack's default action`);
    expect(section).toContain(
      `  - **WARNING** SNI certificate \`${oldCertificate(0)}\` (ACM names \`app.example.com\`, \`old.example.org\`), not managed by this stack, overlaps this stack's \`app.example.com\`: ` +
        "for those names the ALB may serve it instead of the stack's certificate",
    );
    expect(section).toContain(`\`${oldCertificate(1)}\` (ACM names \`*.example.com\`), not managed by this stack, overlaps this stack's \`api.example.com\`, \`app.example.com\`:`);
    expect(section).toContain(`\`${oldCertificate(2)}\` (ACM names \`legacy.example.net\`), not managed by this stack: it overlaps none of this stack's names`);
    expect(section).toContain(`aws elbv2 remove-listener-certificates --listener-arn ${seeded().listeners.https} --certificates CertificateArn=${oldCertificate(0)}`);
  });

  test("lets the same adoption through when http-listener-rule is suppressed on the adopted listener, still warning about the certificates", () => {
    synth(true);
    const result = script("plan", stackDir(), out("suppressed"));

    expectStatus(result, 2);
    expect(has("suppressed", "tfplan")).toBe(true);
    const text = summary("suppressed");
    expect(text).not.toContain("REFUSED");
    expect(adoptedSection(text)).toContain(`\`${httpForwardRule()}\`: action type is "forward", not a redirect to HTTPS; allowed, http-listener-rule is suppressed on this listener`);
    expect(adoptedSection(text).match(/\*\*WARNING\*\* SNI certificate/g)).toHaveLength(3);
    expect(text).toMatch(/- `aws_lb_listener\.HttpRedirect_Listener_\w+` \(`tls-adopt-ci\/HttpRedirect\/Listener`\): rule `http-listener-rule`: The legacy API still answers on :80/);
  });

  test("applying that plan adopts both listeners and leaves the rules and old certificates on them, beside the stack's own SNI certificate", async () => {
    expectStatus(script("apply", stackDir(), path.join(out("suppressed"), "tfplan")), 0);

    const byPort = await listenersByPort(emulator);
    expect(byPort[80]).toMatchObject({ ListenerArn: seeded().listeners.http, DefaultActions: [expect.objectContaining({ Type: "redirect" })] });
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: seeded().listeners.http }));
    expect(rules.Rules?.map((r) => r.RuleArn)).toEqual(expect.arrayContaining([httpForwardRule(), httpRedirectRule()]));
    const listed = await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: seeded().listeners.https }));
    const sni = listed.Certificates?.filter((c) => !c.IsDefault).map((c) => c.CertificateArn) ?? [];
    // the three old ones and the stack's additional certificate
    expect(sni).toHaveLength(4);
    expect(sni).toEqual(expect.arrayContaining(seeded().listenerCertificates.https!));
  });

  test("a drift check after the adoption reports the forward rule and the old certificates, never refuses, and leaves the stack's own certificate out", () => {
    synth(false);
    const result = script("drift", stackDir(), out("drift"));

    expect([0, 2]).toContain(result.status);
    expect(has("drift", "tfplan")).toBe(true);
    const text = summary("drift");
    expect(text).not.toContain("REFUSED");
    const section = adoptedSection(text);
    expect(section).toMatch(/- HTTP listener `aws_lb_listener\.HttpRedirect_Listener_\w+` \(adopted by an earlier apply, /);
    expect(section).toContain(`  - **WARNING** rule priority 10 (\`path-pattern /api/*\`), \`${httpForwardRule()}\`: action type is "forward", not a redirect to HTTPS, so it serves content over plain HTTP`);
    expect(section).toContain("3 SNI certificate(s) this stack does not manage");
    expect(section.match(/\*\*WARNING\*\* SNI certificate/g)).toHaveLength(3);
  });

  test("a plan after the adoption still refuses the rule the adopted listener kept", () => {
    const result = script("plan", stackDir(), out("after"));

    expect(result.status).toBe(1);
    expect(has("after", "tfplan")).toBe(false);
    expect(adoptedSection(summary("after"))).toMatch(/\(adopted by an earlier apply, [^)]+\): 2 rule\(s\) besides the default action\n  - \*\*REFUSED\*\* rule priority 10/);
  });

  test("fails the plan with the failed call named, and no plan to apply, when a certificate's names cannot be read", async () => {
    // GIVEN an SNI entry ACM does not know (moto lets AddListenerCertificates take any ARN)
    const missing = `arn:aws:acm:us-east-1:${EMULATOR_ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`;
    await elb.send(new AddListenerCertificatesCommand({ ListenerArn: seeded().listeners.https, Certificates: [{ CertificateArn: missing }] }));
    try {
      const result = script("plan", stackDir(), out("unreadable"));
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `scripts/ci/plan: could not check the listeners this stack adopts \\(existingListeners\\): acm:DescribeCertificate of SNI certificate ${escape(missing)} ` +
            `for aws_lb_listener\\.HttpsListener_\\w+ \\(${escape(seeded().listeners.https!)}\\) failed: ResourceNotFoundException: .*\\. adopted listeners are read with the caller's AWS credentials`,
        ),
      );
      expect(result.stderr).toContain("tfplan was removed, so nothing can be applied from this plan; no summary was written.");
      expect(has("unreadable", "tfplan")).toBe(false);
      expect(has("unreadable", "summary.md")).toBe(false);
    } finally {
      await elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: seeded().listeners.https, Certificates: [{ CertificateArn: missing }] }));
    }
  });

  test("after the forward rules are deleted and the old certificates removed, the plan passes and says what is left", async () => {
    // WHEN the remedies the summary names are carried out
    for (const rule of [httpForwardRule(), httpsRule()]) await elb.send(new DeleteRuleCommand({ RuleArn: rule }));
    for (const arn of seeded().listenerCertificates.https!) {
      await elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: seeded().listeners.https, Certificates: [{ CertificateArn: arn }] }));
    }
    // THEN
    const result = script("plan", stackDir(), out("clean"));
    expectStatus(result, 0);
    expect(has("clean", "tfplan")).toBe(true);
    const text = summary("clean");
    expect(text).not.toMatch(/REFUSED|WARNING/);
    const section = adoptedSection(text);
    expect(section).toMatch(/- HTTP listener `[^`]+` \(adopted by an earlier apply, `[^`]+`\): 1 rule\(s\) besides the default action\n  - rule priority 20 .*: a 301 redirect to HTTPS, as the guard allows/);
    expect(section).toMatch(/- HTTPS listener `[^`]+` \(adopted by an earlier apply, `[^`]+`\): no rule besides the default action; no SNI certificate this stack does not manage$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
