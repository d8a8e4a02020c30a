// Posts a stack's summary.md to GitHub from the tls-edge workflow, through actions/github-script (its `github`
// client is authenticated with the job's GITHUB_TOKEN, whose permissions the job declares):
//   - stickyPlanComment: one PR comment per stack, found by a hidden marker and edited in place on every push, so a
//     PR never collects a pile of stale plans;
//   - driftIssue: one open issue per stack (found by label + title), opened on drift, updated while it lasts,
//     commented on and closed when a later check finds none.
// Inputs come from the environment (set by the workflow step), never from template expansion into code.
"use strict";
const fs = require("fs");

/** GitHub's limit for a comment or issue body. summary.md is capped below it; this is the last line of defence. */
const MAX_BODY = 65536;

function marker(kind, stack) {
  return `<!-- tls-edge:${kind}:${stack} -->`;
}

function readSummary(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "_No summary.md was written: the step failed before the plan finished. See the job log._\n";
}

function fit(body) {
  return body.length <= MAX_BODY ? body : body.slice(0, MAX_BODY - 80) + "\n\n_Cut at GitHub's comment size limit._\n";
}

function runUrl(context) {
  return `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
}

/** Creates or updates the one comment of this stack on the pull request. Returns "created" or "updated". */
async function stickyPlanComment({ github, context }, { stack, summaryFile, exitCode }) {
  const issue_number = context.payload.pull_request && context.payload.pull_request.number;
  if (!issue_number) throw new Error("stickyPlanComment: not a pull_request event");
  const tag = marker("plan", stack);
  const status = { 0: "no changes", 2: "changes" }[String(exitCode)] || "plan failed";
  const body = fit(
    `${tag}\n${readSummary(summaryFile)}\n---\n_${status} · commit ${context.sha.slice(0, 7)} · [run](${runUrl(context)}) · ` +
      `artifact \`plan-${stack}\` (tfplan, plan.json, lock file) · this comment is updated on every push_\n`,
  );
  const comments = await github.paginate(github.rest.issues.listComments, { ...context.repo, issue_number, per_page: 100 });
  // Only our own bot's comment: anyone can paste the marker into a comment of theirs.
  const mine = comments.find((c) => c.user && c.user.type === "Bot" && typeof c.body === "string" && c.body.startsWith(tag));
  if (mine) {
    await github.rest.issues.updateComment({ ...context.repo, comment_id: mine.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ ...context.repo, issue_number, body });
  return "created";
}

const DRIFT_LABEL = "tls-edge-drift";

/** Opens, updates or closes the one drift issue of this stack. Returns "opened", "updated", "closed" or "none". */
async function driftIssue({ github, context }, { stack, summaryFile, exitCode }) {
  const title = `Drift detected in ${stack}`;
  const tag = marker("drift", stack);
  const open = await github.paginate(github.rest.issues.listForRepo, { ...context.repo, state: "open", labels: DRIFT_LABEL, per_page: 100 });
  const existing = open.find((i) => !i.pull_request && i.title === title && typeof i.body === "string" && i.body.startsWith(tag));
  if (String(exitCode) === "0") {
    if (!existing) return "none";
    await github.rest.issues.createComment({ ...context.repo, issue_number: existing.number, body: `No drift in ${stack} any more ([run](${runUrl(context)})). Closing.` });
    await github.rest.issues.update({ ...context.repo, issue_number: existing.number, state: "closed", state_reason: "completed" });
    return "closed";
  }
  const body = fit(
    `${tag}\n${readSummary(summaryFile)}\n---\n_Last checked by [this run](${runUrl(context)}) on ${new Date().toISOString()}. ` +
      "Fix it by reverting the out-of-band change, or by merging a configuration change whose plan is reviewed like any other; " +
      "this issue closes itself when a drift check finds none._\n",
  );
  if (existing) {
    await github.rest.issues.update({ ...context.repo, issue_number: existing.number, body });
    return "updated";
  }
  await github.rest.issues.create({ ...context.repo, title, body, labels: [DRIFT_LABEL] });
  return "opened";
}

module.exports = { stickyPlanComment, driftIssue, marker, DRIFT_LABEL, MAX_BODY };
