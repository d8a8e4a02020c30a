import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The module actions/github-script loads in the workflow (CommonJS, no build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const report = require("../../scripts/ci/github-report.cjs") as {
  stickyPlanComment(client: unknown, input: { stack: string; summaryFile: string; exitCode: string }): Promise<string>;
  driftIssue(client: unknown, input: { stack: string; summaryFile: string; exitCode: string }): Promise<string>;
  MAX_BODY: number;
};

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}
interface Issue {
  number: number;
  title: string;
  body: string;
  state: string;
  labels: string[];
  pull_request?: unknown;
}

/**
 * An in-memory stand-in for the part of GitHub's REST API the module uses (issues and their comments), shaped like
 * github-script's Octokit client: `github.rest.issues.*` and `github.paginate`.
 */
function fakeGitHub() {
  const comments: Comment[] = [];
  const issues: Issue[] = [];
  let next = 1;
  const issuesApi = {
    listComments: async () => ({ data: [...comments] }),
    createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
      const issue = issues.find((i) => i.number === issue_number);
      if (issue) return { data: { id: next++ } };
      comments.push({ id: next++, body, user: { type: "Bot" } });
      return { data: comments[comments.length - 1] };
    },
    updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
      comments.find((c) => c.id === comment_id)!.body = body;
      return { data: {} };
    },
    listForRepo: async ({ state, labels }: { state: string; labels: string }) => ({ data: issues.filter((i) => i.state === state && i.labels.includes(labels)) }),
    create: async ({ title, body, labels }: { title: string; body: string; labels: string[] }) => {
      issues.push({ number: next++, title, body, labels, state: "open" });
      return { data: issues[issues.length - 1] };
    },
    update: async ({ issue_number, body, state }: { issue_number: number; body?: string; state?: string }) => {
      const issue = issues.find((i) => i.number === issue_number)!;
      if (body !== undefined) issue.body = body;
      if (state !== undefined) issue.state = state;
      return { data: issue };
    },
  };
  const github = {
    rest: { issues: issuesApi },
    paginate: async (method: (args: any) => Promise<{ data: unknown[] }>, args: unknown) => (await method(args)).data,
  };
  const context = {
    repo: { owner: "acme", repo: "edge" },
    payload: { pull_request: { number: 7 } },
    sha: "0123456789abcdef0123456789abcdef01234567",
    runId: 42,
    serverUrl: "https://github.example",
  };
  return { client: { github, context }, comments, issues };
}

let summaries: string;
beforeAll(() => {
  summaries = fs.mkdtempSync(path.join(os.tmpdir(), "summaries-"));
});
afterAll(() => fs.rmSync(summaries, { recursive: true, force: true }));

function summaryFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(summaries, "summary-")), "summary.md");
  fs.writeFileSync(file, text);
  return file;
}

describe("GitHub reporting of plans and drift", () => {
  test("the plan comment of a stack is created once and then updated, not duplicated; other stacks get their own", async () => {
    const { client, comments } = fakeGitHub();
    expect(await report.stickyPlanComment(client, { stack: "tls-dev", summaryFile: summaryFile("first plan"), exitCode: "2" })).toBe("created");
    expect(await report.stickyPlanComment(client, { stack: "tls-dev", summaryFile: summaryFile("second plan"), exitCode: "0" })).toBe("updated");
    expect(await report.stickyPlanComment(client, { stack: "tls-prod", summaryFile: summaryFile("prod plan"), exitCode: "2" })).toBe("created");
    expect(comments).toHaveLength(2);
    expect(comments[0].body).toMatch(/^<!-- tls-edge:plan:tls-dev -->\nsecond plan\n[\s\S]*_no changes · commit 0123456 · \[run\]\(https:\/\/github\.example\/acme\/edge\/actions\/runs\/42\)/);
    expect(comments[1].body).toContain("prod plan");
  });

  test("a person's comment that quotes the marker is never edited", async () => {
    const { client, comments } = fakeGitHub();
    comments.push({ id: 99, body: "<!-- tls-edge:plan:tls-dev --> copied", user: { type: "User" } });
    expect(await report.stickyPlanComment(client, { stack: "tls-dev", summaryFile: summaryFile("plan"), exitCode: "2" })).toBe("created");
    expect(comments.find((c) => c.id === 99)?.body).toBe("<!-- tls-edge:plan:tls-dev --> copied");
  });

  test("a failed plan without a summary still says so in the comment", async () => {
    const { client, comments } = fakeGitHub();
    await report.stickyPlanComment(client, { stack: "tls-dev", summaryFile: "/nonexistent/summary.md", exitCode: "1" });
    expect(comments[0].body).toContain("No summary.md was written");
    expect(comments[0].body).toContain("_plan failed ·");
  });

  test("a body over GitHub's limit is cut to fit", async () => {
    const { client, comments } = fakeGitHub();
    await report.stickyPlanComment(client, { stack: "tls-dev", summaryFile: summaryFile("x".repeat(70_000)), exitCode: "2" });
    expect(comments[0].body.length).toBeLessThanOrEqual(report.MAX_BODY);
    expect(comments[0].body).toContain("Cut at GitHub's comment size limit");
  });

  test("drift opens one issue per stack, updates it while drift lasts and closes it when drift is gone", async () => {
    const { client, issues } = fakeGitHub();
    expect(await report.driftIssue(client, { stack: "tls-prod", summaryFile: summaryFile("policy drifted"), exitCode: "0" })).toBe("none");
    expect(await report.driftIssue(client, { stack: "tls-prod", summaryFile: summaryFile("policy drifted"), exitCode: "2" })).toBe("opened");
    expect(await report.driftIssue(client, { stack: "tls-prod", summaryFile: summaryFile("still drifted"), exitCode: "2" })).toBe("updated");
    expect(await report.driftIssue(client, { stack: "tls-dev", summaryFile: summaryFile("dev drifted"), exitCode: "2" })).toBe("opened");
    expect(issues.filter((i) => i.state === "open").map((i) => i.title)).toEqual(["Drift detected in tls-prod", "Drift detected in tls-dev"]);
    expect(issues[0].body).toMatch(/^<!-- tls-edge:drift:tls-prod -->\nstill drifted/);
    expect(issues[0].labels).toEqual(["tls-edge-drift"]);
    expect(await report.driftIssue(client, { stack: "tls-prod", summaryFile: summaryFile("clean"), exitCode: "0" })).toBe("closed");
    expect(issues[0].state).toBe("closed");
    expect(issues[1].state).toBe("open");
  });
});
