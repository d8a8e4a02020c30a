/**
 * scripts/ci/plan runs the plan-time half of the TLS guard (listenerRuleProblemsInPlan) on the real plan: a listener
 * rule the synth-time guard could not resolve reaches the plan, and a plan that serves content on the HTTP listener is
 * refused, its tfplan removed, so scripts/ci/apply has nothing to apply. Real Terraform, offline (the provider mirror;
 * the stacks carry dummy credentials and a local backend, as the CLI runs Terraform in the stack directory itself).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LbListener, LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Aspects, Fn, LocalBackend, TerraformStack } from "cdktf";
import { suppressTlsGuard, TlsGuard } from "../../lib";
import { EXIT_CHANGES, EXIT_ERROR, main } from "../../lib/pipeline/cli";
import { describeWithTerraform, findProviderMirror, renderCliConfig } from "../support/terraform";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
const FORWARD: LbListenerRuleAction[] = [{ type: "forward", targetGroupArn: TARGET_GROUP }];
const REDIRECT: LbListenerRuleAction[] = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
const REASON = "Health probe of the legacy monitor speaks HTTP only; retired 2027-03 (EDGE-42).";

/** A guarded stack whose rule forwards on the HTTP listener through `element(...)`, which the guard cannot resolve. */
function rulesStack(app: App, id: string, workDir: string, suppress: boolean): void {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", {
    region: "us-east-1",
    accessKey: "test",
    secretKey: "test",
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
  });
  new LocalBackend(stack, { path: path.join(workDir, `${id}.tfstate`) });
  Aspects.of(stack).add(new TlsGuard());
  const listener = (name: string, config: Partial<LbListenerConfig>) => new LbListener(stack, name, { loadBalancerArn: ALB, defaultAction: REDIRECT, ...config });
  const http = listener("http", { port: 80, protocol: "HTTP" });
  const hidden = new LbListenerRule(stack, "hidden", { listenerArn: Fn.element([http.arn], 0), priority: 20, action: FORWARD, condition: [{ pathPattern: { values: ["/healthz"] } }] });
  if (suppress) suppressTlsGuard(hidden, "http-listener-rule", REASON);
}

describeWithTerraform("scripts/ci/plan runs the plan-time TLS guard (real Terraform, offline)", () => {
  let workDir: string;
  let stacks: string;
  const savedCliConfig = process.env.TF_CLI_CONFIG_FILE;
  const stderr: string[] = [];
  let stderrSpy: jest.SpyInstance;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-plan-guard-"));
    const cliConfig = path.join(workDir, "terraform.rc");
    fs.writeFileSync(cliConfig, renderCliConfig(findProviderMirror()));
    process.env.TF_CLI_CONFIG_FILE = cliConfig;
    const app = new App({ outdir: path.join(workDir, "cdktf.out"), stackTraces: false });
    rulesStack(app, "refused", workDir, false);
    rulesStack(app, "suppressed", workDir, true);
    app.synth();
    stacks = path.join(workDir, "cdktf.out", "stacks");
    stderrSpy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterAll(() => {
    stderrSpy?.mockRestore();
    if (savedCliConfig === undefined) delete process.env.TF_CLI_CONFIG_FILE;
    else process.env.TF_CLI_CONFIG_FILE = savedCliConfig;
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("refuses a plan whose unresolved rule forwards on the HTTP listener, and leaves nothing to apply", async () => {
    // WHEN
    const out = path.join(workDir, "out-refused");
    const code = await main(["plan", path.join(stacks, "refused"), out]);
    // THEN
    expect(code).toBe(EXIT_ERROR);
    expect(fs.existsSync(path.join(out, "tfplan"))).toBe(false);
    expect(fs.existsSync(path.join(out, "plan.json"))).toBe(true);
    const summary = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(summary).toContain(
      "**REFUSED by the plan-time TLS guard**: 1 problem; this plan must not be applied. Fix each resource, or suppress the rule on it with suppressTlsGuard(resource, rule, reason).\n" +
        '- `aws_lb_listener_rule.hidden` [http-listener-rule]: on HTTP listener aws_lb_listener.http: action type is "forward", not a redirect to HTTPS\n',
    );
    expect(stderr.join("")).toContain(
      "scripts/ci/plan: REFUSED by the plan-time TLS guard: 1 listener rule problem:\n" +
        '  - aws_lb_listener_rule.hidden [http-listener-rule]: on HTTP listener aws_lb_listener.http: action type is "forward", not a redirect to HTTPS\n' +
        "tfplan was removed, so nothing can be applied from this plan.",
    );
    // AND scripts/ci/apply has nothing to apply
    expect(await main(["apply", path.join(stacks, "refused"), path.join(out, "tfplan")])).toBe(EXIT_ERROR);
    expect(stderr.join("")).toContain(`scripts/ci/apply: plan file ${path.join(out, "tfplan")} does not exist`);
  });

  test("lets the same rule through when it suppresses http-listener-rule with a reason, and lists the suppression", async () => {
    const out = path.join(workDir, "out-suppressed");
    const code = await main(["plan", path.join(stacks, "suppressed"), out]);
    expect(code).toBe(EXIT_CHANGES);
    expect(fs.existsSync(path.join(out, "tfplan"))).toBe(true);
    const summary = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(summary).not.toContain("REFUSED");
    expect(summary).toMatch(/- `aws_lb_listener_rule\.hidden` \(`suppressed\/hidden`\): rule `http-listener-rule`: Health probe of the legacy monitor/);
  });
});
