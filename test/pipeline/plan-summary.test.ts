import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import {
  actionOf,
  countActions,
  guardSuppressions,
  PlanJson,
  renderSummary,
  ResourceChange,
} from "../../lib/pipeline/plan-summary";
import { suppressTlsGuard, TlsStack } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

/** Real `terraform show -json` output recorded from the emulator (see test/fixtures/plans/README.md). */
function recordedPlan(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plans", `${name}.plan.json`), "utf8"));
}

function change(address: string, actions: string[], before: Record<string, unknown> | null, after: Record<string, unknown> | null): ResourceChange {
  return { address, type: address.split(".")[0], mode: "managed", change: { actions, before, after, after_unknown: {} } };
}

const httpsBefore = { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" };
const redirect = {
  protocol: "HTTP",
  port: 80,
  default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }] }],
};

describe("plan summary for a TLS edge reviewer", () => {
  test("a first deploy names the certificate with its names and both listeners with the policy's minimum TLS version", () => {
    // WHEN
    const summary = renderSummary(recordedPlan("first-deploy"), {}, { stack: "tls-emu" });
    // THEN
    expect(summary).toContain("**5 to create, 0 to update, 0 to replace, 0 to destroy**");
    expect(summary).toMatch(/Certificate `aws_acm_certificate\.\S+` \*\*created\*\* for `\*\.app\.example\.com`, `app\.example\.com`/);
    expect(summary).toMatch(/HTTPS listener `aws_lb_listener\.HttpsListener_\S+` \*\*created\*\*: port 443, policy `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` \(minimum TLSv1\.2\)/);
    expect(summary).toMatch(/HTTP redirect listener `aws_lb_listener\.HttpRedirect_\S+` \*\*created\*\*: port 80, redirects to HTTPS:443 with HTTP_301/);
    expect(summary).not.toContain("Destroyed");
  });

  test("an added SAN reports the certificate replaced create-before-destroy and the name added", () => {
    const summary = renderSummary(recordedPlan("san-added"), {}, { stack: "tls-emu" });
    expect(summary).toContain("**replaced, create-before-destroy holds**");
    expect(summary).toContain("names added: `www.app.example.com`");
    expect(summary).not.toContain("names **removed**");
    expect(summary).toMatch(/Validation record `aws_route53_record\.\S+` \*\*replaced\*\*/);
    expect(summary).toMatch(/\*\*Destroyed\*\*: `aws_acm_certificate\.\S+` \(old object, after its replacement exists\)/);
    expect(summary).toMatch(/\*\*Destroyed\*\*: `aws_acm_certificate_validation\.\S+` \(old object, BEFORE its replacement exists; a Terraform-side wait, nothing in AWS is deleted\)/);
  });

  test("a certificate replaced destroy-before-create is flagged, with the names removed", () => {
    const plan: PlanJson = {
      resource_changes: [
        change("aws_acm_certificate.cert", ["delete", "create"], { domain_name: "a.example.com", subject_alternative_names: ["a.example.com", "b.example.com"] }, { domain_name: "a.example.com", subject_alternative_names: ["a.example.com"] }),
      ],
    };
    const summary = renderSummary(plan, {}, { stack: "s" });
    expect(summary).toContain("**replaced DESTROY-BEFORE-CREATE**");
    expect(summary).toContain("names **removed**: `b.example.com`");
    expect(summary).toContain("(old object, BEFORE its replacement exists)");
  });

  test("a policy change shows old and new policy with their minimum TLS versions", () => {
    const summary = renderSummary(recordedPlan("policy-tls13"), {}, { stack: "tls-emu" });
    expect(summary).toMatch(
      /Listener `aws_lb_listener\.HttpsListener_\S+` policy `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` \(minimum TLSv1\.2\) → `ELBSecurityPolicy-TLS13-1-3-2021-06` \(minimum TLSv1\.3\)$/m,
    );
    expect(summary).not.toContain("WARNING");
  });

  test("a policy change to a weaker policy is flagged as a downgrade, and below the minimum as such", () => {
    const to12 = renderSummary(
      { resource_changes: [change("aws_lb_listener.l", ["update"], { ...httpsBefore, ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }, httpsBefore)] },
      {},
      { stack: "s" },
    );
    expect(to12).toContain("(minimum TLSv1.3) → `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` (minimum TLSv1.2) **WARNING: downgrade**");
    const to10 = renderSummary(
      { resource_changes: [change("aws_lb_listener.l", ["update"], httpsBefore, { ...httpsBefore, ssl_policy: "ELBSecurityPolicy-2016-08" })] },
      {},
      { stack: "s" },
    );
    expect(to10).toContain("`ELBSecurityPolicy-2016-08` (minimum TLSv1) **WARNING: allows TLSv1, below TLSv1.2**");
  });

  test("a removed HTTPS listener and a removed redirect are called out and listed as destroyed", () => {
    const summary = renderSummary(
      { resource_changes: [change("aws_lb_listener.https", ["delete"], httpsBefore, null), change("aws_lb_listener.http", ["delete"], redirect, null)] },
      {},
      { stack: "s" },
    );
    expect(summary).toContain("**HTTPS listener removed**: `aws_lb_listener.https`");
    expect(summary).toContain("**HTTP redirect listener removed**: `aws_lb_listener.http` (port 80, redirects to HTTPS:443 with HTTP_301); port 80 stops redirecting to HTTPS");
    expect(summary).toContain("**Destroyed**: `aws_lb_listener.http` (no replacement)");
    expect(summary).toContain("**0 to create, 0 to update, 0 to replace, 2 to destroy**");
  });

  test("HSTS removed, mutual TLS turned off and an SNI certificate detached are each called out", () => {
    const hsts = "max-age=31536000; includeSubDomains";
    const before = { ...httpsBefore, routing_http_response_strict_transport_security_header_value: hsts, mutual_authentication: [{ mode: "verify" }] };
    const summary = renderSummary(
      {
        resource_changes: [
          change("aws_lb_listener.https", ["update"], before, { ...httpsBefore, routing_http_response_strict_transport_security_header_value: null, mutual_authentication: [] }),
          change("aws_lb_listener_certificate.rsa", ["delete"], { certificate_arn: "arn:aws:acm:us-east-1:111111111111:certificate/x" }, null),
        ],
      },
      {},
      { stack: "s" },
    );
    expect(summary).toContain(`- Listener \`aws_lb_listener.https\` HSTS header **removed** (was \`${hsts}\`): browsers stop being told to insist on HTTPS`);
    expect(summary).toContain("- Listener `aws_lb_listener.https` mutual TLS `verify` → `off` **WARNING: clients are no longer asked for a certificate**");
    expect(summary).toContain("- **SNI certificate detached**: `aws_lb_listener_certificate.rsa`");
    expect(summary).not.toContain("policy `");
  });

  test("a new HTTPS listener shows its HSTS header, or says it has none", () => {
    const withHsts = renderSummary(
      { resource_changes: [change("aws_lb_listener.https", ["create"], null, { ...httpsBefore, routing_http_response_strict_transport_security_header_value: "max-age=300" })] },
      {},
      { stack: "s" },
    );
    expect(withHsts).toContain("port 443, policy `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` (minimum TLSv1.2), HSTS `max-age=300`");
    const without = renderSummary({ resource_changes: [change("aws_lb_listener.https", ["create"], null, httpsBefore)] }, {}, { stack: "s" });
    expect(without).toContain("(minimum TLSv1.2), no HSTS header");
  });

  test("a drift check lists the out-of-band policy change and what an apply would change back", () => {
    const summary = renderSummary(recordedPlan("policy-downgraded-drift"), {}, { stack: "tls-emu", mode: "drift" });
    expect(summary).toContain("### TLS edge drift check: `tls-emu`");
    expect(summary).toMatch(
      /policy changed outside Terraform: `ELBSecurityPolicy-TLS13-1-3-2021-06` \(minimum TLSv1\.3\) → `ELBSecurityPolicy-2016-08` \(minimum TLSv1\) \*\*WARNING: allows TLSv1, below TLSv1\.2\*\*/,
    );
    expect(summary).toContain("#### What an apply would change back");
  });

  test("no changes says so and still lists the guard suppressions section", () => {
    const summary = renderSummary({ resource_changes: [change("aws_lb_listener.l", ["no-op"], httpsBefore, httpsBefore)] }, {}, { stack: "s" });
    expect(summary).toContain("**No changes.**");
    expect(summary).toContain("#### TLS guard suppressions in this stack\n- none");
    expect(summary).not.toContain("#### Every change");
  });

  test("counts treat delete+create in either order as one replace and ignore no-ops", () => {
    const plan: PlanJson = {
      resource_changes: [
        change("a.x", ["create", "delete"], {}, {}),
        change("a.y", ["delete", "create"], {}, {}),
        change("a.z", ["no-op"], {}, {}),
        change("a.w", ["update"], {}, {}),
      ],
    };
    expect(countActions(plan)).toMatchObject({ replace: 2, update: 1, create: 0, delete: 0 });
    expect(actionOf(plan.resource_changes![2])).toBe("no-op");
  });

  test("every guard suppression of a synthesized stack is listed with its rule and reason", () => {
    // GIVEN a stack with a suppressed extra listener, synthesized for real
    const app = Testing.app();
    const stack = new TlsStack(app, "tls-test", baseEnvironment());
    const legacy = new LbListener(stack, "Legacy", {
      loadBalancerArn: baseEnvironment().loadBalancerArn,
      port: 8443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01",
      certificateArn: stack.certificate.certificateArn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    });
    suppressTlsGuard(legacy, "listener-tls-policy", "Kiosk firmware only speaks TLS 1.1; retired 2027-03 (EDGE-123)");
    const cdkTfJson = JSON.parse(fs.readFileSync(path.join(Testing.fullSynth(stack), "stacks", "tls-test", "cdk.tf.json"), "utf8"));
    // WHEN
    const found = guardSuppressions(cdkTfJson);
    const summary = renderSummary({ resource_changes: [] }, cdkTfJson, { stack: "tls-test" });
    // THEN
    expect(found).toEqual([
      { address: `aws_lb_listener.${Object.keys(cdkTfJson.resource.aws_lb_listener).find((k) => k.startsWith("Legacy"))}`, path: "tls-test/Legacy", rule: "listener-tls-policy", reason: "Kiosk firmware only speaks TLS 1.1; retired 2027-03 (EDGE-123)" },
    ]);
    expect(summary).toMatch(/- `aws_lb_listener\.Legacy\S*` \(`tls-test\/Legacy`\): rule `listener-tls-policy`: Kiosk firmware only speaks TLS 1\.1; retired 2027-03 \(EDGE-123\)/);
  });

  test("a suppression reason cannot inject HTML or mentions into the PR comment", () => {
    const json = { resource: { aws_lb_listener: { x: { "//": { tls_guard_suppressions: { "http-redirect": "<img src=x> ask @octocat" } } } } } };
    const summary = renderSummary({}, json, { stack: "s" });
    expect(summary).toContain("&lt;img src=x&gt; ask @\u200boctocat");
  });

  test("a summary over the cap is cut to fit and says what was cut and where the full plan is", () => {
    // GIVEN 400 changed records
    const plan: PlanJson = {
      resource_changes: Array.from({ length: 400 }, (_, i) => change(`aws_route53_record.r${String(i).padStart(3, "0")}`, ["create"], null, { name: `_x${i}.example.com` })),
    };
    const suppressions = { resource: { aws_lb_listener: { l: { "//": { tls_guard_suppressions: { "listener-tls-policy": "a reason that must survive the cut" } } } } } };
    // WHEN
    const summary = renderSummary(plan, suppressions, { stack: "s", maxChars: 4000 });
    // THEN
    expect(summary.length).toBeLessThanOrEqual(4000);
    expect(summary).toContain("a reason that must survive the cut");
    expect(summary).toContain("**400 to create");
    expect(summary).toMatch(/_Cut to fit a PR comment \(4000 characters\): \d+ of 400 line\(s\) of "What matters for TLS"; all 400 line\(s\) of "Every change"\. The full plan is plan\.json in this run's plan artifact\._/);
    // The uncut default keeps everything.
    expect(renderSummary(plan, suppressions, { stack: "s" })).not.toContain("_Cut to fit");
  });

  test("what adopted listeners keep is listed under its own heading before the suppressions, and never cut", () => {
    // GIVEN 400 changes, a small cap and the lines lib/guard/adopted-listeners.ts wrote
    const plan: PlanJson = {
      resource_changes: Array.from({ length: 400 }, (_, i) => change(`aws_route53_record.r${String(i).padStart(3, "0")}`, ["create"], null, { name: `_x${i}.example.com` })),
    };
    const adoptedListeners = ["- HTTPS listener `aws_lb_listener.https` (imported by this plan, `arn:l`): no rule besides the default action; 1 SNI certificate(s) this stack does not manage", "  - **WARNING** SNI certificate `arn:c` ..."];
    // WHEN
    const summary = renderSummary(plan, {}, { stack: "s", maxChars: 2000, adoptedListeners });
    // THEN
    expect(summary).toContain(`#### Adopted listeners: what they keep (read from the ELB and ACM APIs)\n${adoptedListeners.join("\n")}\n\n#### TLS guard suppressions in this stack`);
    expect(summary).toContain("_Cut to fit a PR comment (2000 characters)");
    // A stack that adopts nothing has no such section.
    expect(renderSummary(plan, {}, { stack: "s" })).not.toContain("Adopted listeners");
  });

  describe("the size cap never cuts the guard suppressions", () => {
    /** `count` suppressions, each with its own reason of about 80 characters. */
    function manySuppressions(count: number) {
      const listeners: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const id = String(i).padStart(3, "0");
        listeners[`l${id}`] = { "//": { tls_guard_suppressions: { "listener-tls-policy": `reason ${id}: kiosk firmware only speaks TLS 1.1, retired 2027-03 (EDGE-${id})` } } };
      }
      return { resource: { aws_lb_listener: listeners } };
    }
    const plan: PlanJson = {
      resource_changes: Array.from({ length: 400 }, (_, i) => change(`aws_route53_record.r${String(i).padStart(3, "0")}`, ["create"], null, { name: `_x${i}.example.com` })),
    };
    const reasons = (n: number) => Array.from({ length: n }, (_, i) => `reason ${String(i).padStart(3, "0")}:`);

    test("cuts the other sections first, keeping every suppression within the cap", () => {
      // GIVEN 35 suppressions (about 4,900 characters) and 400 changes, with a cap of 4,950 that fits the suppressions
      // but not the reserve for the cut note beside them
      const summary = renderSummary(plan, manySuppressions(35), { stack: "s", maxChars: 4950 });
      // THEN
      expect(summary.length).toBeLessThanOrEqual(4950);
      for (const reason of reasons(35)) expect(summary).toContain(reason);
      expect(summary).not.toMatch(/line\(s\) of "TLS guard suppressions/);
      expect(summary).toContain('_Cut to fit a PR comment (4950 characters): all 400 line(s) of "What matters for TLS"; all 400 line(s) of "Every change". The full plan is plan.json in this run\'s plan artifact._');
      expect(summary).not.toContain("Over the");
    });

    test("says so at the top, and keeps them all, when the suppressions alone exceed the cap", () => {
      // GIVEN 100 suppressions (about 13,800 characters) and a cap of 3,000
      const summary = renderSummary(plan, manySuppressions(100), { stack: "s", maxChars: 3000 });
      const section = summary.slice(summary.indexOf("#### TLS guard suppressions in this stack"), summary.indexOf("\n\n_Cut to fit"));
      // THEN every suppression is listed, the summary says it is over the cap and why, before the list
      for (const reason of reasons(100)) expect(section).toContain(reason);
      expect(summary).toContain(
        `**Over the 3000-character cap**: the section "TLS guard suppressions in this stack" is never cut and alone takes ${section.length} characters, ` +
          "so every other section is left out and this summary is longer than the cap.",
      );
      expect(summary.indexOf("**Over the 3000-character cap**")).toBeLessThan(summary.indexOf("#### TLS guard suppressions in this stack"));
      expect(summary).toContain('_Cut to fit a PR comment (3000 characters): all 400 line(s) of "What matters for TLS"; all 400 line(s) of "Every change".');
      expect(summary.length).toBeGreaterThan(3000);
      expect(summary).not.toContain("…");
    });
  });
});
