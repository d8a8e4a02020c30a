import * as fs from "fs";
import * as path from "path";

// A YAML parser keeps these assertions on structure, not on text.
import { parse as parseYaml } from "yaml";

const WORKFLOW = path.resolve(__dirname, "..", "..", ".github", "workflows", "tls-edge.yml");
const text = fs.readFileSync(WORKFLOW, "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  name?: string;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix: Record<string, unknown> };
  steps: Step[];
}
const workflow = parseYaml(text) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const allSteps = Object.values(jobs).flatMap((job) => job.steps);

describe("tls-edge workflow", () => {
  test("runs on pull requests, pushes to main, a nightly schedule and by hand", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(workflow.on.push).toEqual({ branches: ["main"] });
  });

  test("grants nothing at the top and each job only what it uses", () => {
    expect(workflow.permissions).toEqual({});
    const usesOidc = (job: Job) => job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    for (const [id, job] of Object.entries(jobs)) {
      expect(job.permissions).toBeDefined();
      expect([id, job.permissions?.["id-token"] === "write"]).toEqual([id, usesOidc(job)]);
      expect([id, job.permissions?.["pull-requests"]]).toEqual([id, id === "plan" ? "write" : undefined]);
      expect([id, job.permissions?.issues]).toEqual([id, id === "drift" ? "write" : undefined]);
      expect([id, job.permissions?.contents]).toEqual([id, "read"]);
    }
  });

  test("pins every action by a full commit SHA with its version in a comment", () => {
    const usesLines = text.split("\n").filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(usesLines.length).toBeGreaterThan(10);
    for (const line of usesLines) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test("never expands an expression inside a run script", () => {
    for (const step of allSteps.filter((s) => s.run !== undefined)) expect(step.run).not.toContain("${{");
  });

  test("assumes roles only through OIDC, never with stored keys", () => {
    const credentialSteps = allSteps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentialSteps).toHaveLength(4);
    for (const step of credentialSteps) {
      expect(Object.keys(step.with ?? {}).sort()).toEqual(["aws-region", "role-to-assume"]);
      expect(String(step.with?.["role-to-assume"])).toMatch(/^\$\{\{ fromJSON\(vars\.TLS_EDGE_AWS_ROLES\)\[matrix\.stack\]\.(planRole|deployRole) \}\}$/);
    }
    expect(text).not.toMatch(/aws-access-key-id|secrets\./);
  });

  test("plans each stack on a pull request, uploads plan and lock file, and comments through the shipped script", () => {
    const plan = jobs.plan;
    expect(plan.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan.strategy?.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(plan.steps.some((s) => s.run?.includes('scripts/ci/plan "cdktf.out/stacks/$STACK"'))).toBe(true);
    const upload = plan.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: "plan-${{ matrix.stack }}", "include-hidden-files": true });
    const comment = plan.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(comment?.with?.script).toContain('require("./scripts/ci/github-report.cjs")');
    expect(comment?.with?.script).toContain("stickyPlanComment");
  });

  test("the test job runs the README's two commands and the scan, with node-pty built for its Node before the tests", () => {
    expect(jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual([
      "npm ci --no-audit --no-fund && npm run synth",
      "npm rebuild @cdktf/node-pty-prebuilt-multiarch",
      "npm test",
      "npm run scan",
    ]);
  });

  test("on main, applies exactly the planned artifact one stack at a time in its environment, never cancelled", () => {
    const apply = jobs.apply;
    expect(apply.needs).toEqual(["stacks", "plan-main"]);
    expect(apply.environment).toBe("${{ matrix.stack }}");
    expect(apply.strategy).toMatchObject({ "max-parallel": 1, "fail-fast": true });
    expect(apply.concurrency).toEqual({ group: "tls-edge-apply-${{ matrix.stack }}", "cancel-in-progress": false });
    const download = apply.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with).toEqual({ name: "plan-${{ matrix.stack }}", path: "plan-in" });
    expect(apply.steps.some((s) => s.run?.includes('scripts/ci/apply "cdktf.out/stacks/$STACK" plan-in/tfplan'))).toBe(true);
    // No plan of its own: what is applied is what plan-main published.
    expect(apply.steps.some((s) => s.run?.includes("scripts/ci/plan"))).toBe(false);
  });

  test("ends the apply job with the verify step, off unless TLS_EDGE_VERIFY is true", () => {
    const last = jobs.apply.steps[jobs.apply.steps.length - 1];
    expect(last).toMatchObject({ if: "vars.TLS_EDGE_VERIFY == 'true'", run: 'npm run --silent verify -- "${STACK#tls-}"', env: { STACK: "${{ matrix.stack }}" } });
    // verify provisions its TLS scanner (sslyze) into a venv: the Python it needs comes just before it, under the same switch.
    const python = jobs.apply.steps[jobs.apply.steps.length - 2];
    expect(python).toMatchObject({ if: "vars.TLS_EDGE_VERIFY == 'true'", uses: expect.stringMatching(/^actions\/setup-python@[0-9a-f]{40}$/), with: { "python-version": "3.11" } });
  });

  test("checks drift per stack on schedule and dispatch and reports it as an issue", () => {
    expect(jobs.drift.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    expect(jobs.drift.steps.some((s) => s.run?.includes('scripts/ci/drift "cdktf.out/stacks/$STACK"'))).toBe(true);
    expect(jobs.drift.steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script).toContain("driftIssue");
  });
});
