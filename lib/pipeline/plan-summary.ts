/**
 * The reviewer's summary of a Terraform plan of a TLS edge stack (`summary.md`, posted as the PR comment and the job
 * summary). Generic plan renderers list addresses; a reviewer of a TLS edge needs the few events that can break
 * clients or weaken TLS, each on its own line: certificates created or replaced (and whether the new one exists before
 * the old one goes), names added or removed, listener policy changes with both policies' minimum TLS versions, a
 * listener or the redirect removed, validation records replaced, anything destroyed, and every TLS-guard exception the
 * stack carries, on every plan.
 *
 * Pure: takes `terraform show -json` output and the stack's `cdk.tf.json`, returns Markdown. No I/O.
 */
import { findAlbTlsPolicy, MINIMUM_TLS_VERSION, compareTlsVersions } from "../aws/tls-policies";

/** GitHub rejects comments over 65,536 characters; keep room for the sticky-comment marker and a heading. */
export const DEFAULT_SUMMARY_MAX_CHARS = 60_000;

export type PlanAction = "create" | "update" | "replace" | "delete" | "read" | "no-op";

/** The part of `terraform show -json` we read. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly errored?: boolean;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Attributes | null;
    readonly after?: Attributes | null;
    readonly after_unknown?: Attributes | boolean | null;
  };
  readonly action_reason?: string;
}

type Attributes = Record<string, unknown>;

/** One TLS-guard suppression found in `cdk.tf.json`. */
export interface GuardSuppression {
  /** Terraform address, `<type>.<name>`. */
  readonly address: string;
  /** Construct path from cdktf's metadata, when present. */
  readonly path?: string;
  readonly rule: string;
  readonly reason: string;
}

export interface SummaryOptions {
  /** Stack id, for the heading. */
  readonly stack: string;
  /**
   * What the plan is for: a change plan, or a drift check (adds what changed outside Terraform).
   * @default "plan"
   */
  readonly mode?: "plan" | "drift";
  /**
   * Size cap of the whole summary, in characters. The guard-suppressions section is never cut: the other sections are
   * cut first, and when the suppressions alone do not fit, the summary says so under its heading and is longer.
   * @default DEFAULT_SUMMARY_MAX_CHARS
   */
  readonly maxChars?: number;
  /**
   * Problems the plan-time TLS guard found (one Markdown list line each, without the dash); listed under the heading,
   * never cut, with a line saying the plan must not be applied.
   * @default - none
   */
  readonly refusals?: readonly string[];
  /**
   * What the listeners the stack adopts keep besides what Terraform manages (lib/guard/adopted-listeners.ts: their
   * rules and SNI certificates, read from the ELB and ACM APIs), one Markdown list line each, with the dash; listed
   * under the heading, never cut.
   * @default - none: the stack adopts no listener
   */
  readonly adoptedListeners?: readonly string[];
  /**
   * Where the untruncated plan is, named when something is cut.
   * @default "plan.json in this run's plan artifact"
   */
  readonly fullPlanLocation?: string;
}

/** Every `"//": { "tls_guard_suppressions": {...} }` in a synthesized stack, sorted by address then rule. */
export function guardSuppressions(cdkTfJson: unknown): GuardSuppression[] {
  const resources = (cdkTfJson as { resource?: Record<string, Record<string, Attributes>> } | undefined)?.resource ?? {};
  const found: GuardSuppression[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName ?? {})) {
      const comment = body?.["//"] as { tls_guard_suppressions?: Record<string, string>; metadata?: { path?: string } } | undefined;
      for (const [rule, reason] of Object.entries(comment?.tls_guard_suppressions ?? {})) {
        found.push({ address: `${type}.${name}`, path: comment?.metadata?.path, rule, reason: String(reason) });
      }
    }
  }
  return found.sort((a, b) => compare(a.address, b.address) || compare(a.rule, b.rule));
}

/** The action of one resource change, as a reviewer counts it (delete+create either way round is one replace). */
export function actionOf(change: ResourceChange): PlanAction {
  const actions = change.change.actions;
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.length === 1 && ["create", "update", "delete", "read", "no-op"].includes(actions[0])) return actions[0] as PlanAction;
  return "no-op";
}

/** True when a replace creates the new object before destroying the old one (`create_before_destroy`). */
export function isCreateBeforeDestroy(change: ResourceChange): boolean {
  const actions = change.change.actions;
  return actions.length === 2 && actions[0] === "create" && actions[1] === "delete";
}

const COUNTED: readonly PlanAction[] = ["create", "update", "replace", "delete", "read"];

/** Counts of managed-resource changes by action (no-ops left out). */
export function countActions(plan: PlanJson): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, "no-op": 0 };
  for (const change of plan.resource_changes ?? []) counts[actionOf(change)] += 1;
  return counts;
}

/** The TLS-relevant events of a plan, one Markdown list line each, most important first. */
export function tlsEvents(plan: PlanJson): string[] {
  const events: string[] = [];
  for (const change of sortedChanges(plan.resource_changes)) {
    const action = actionOf(change);
    if (action === "no-op" || action === "read") continue;
    switch (change.type) {
      case "aws_acm_certificate":
        events.push(...certificateEvents(change, action));
        break;
      case "aws_lb_listener":
      case "aws_alb_listener":
        events.push(...listenerEvents(change, action));
        break;
      case "aws_lb_listener_certificate":
      case "aws_alb_listener_certificate":
        events.push(...sniCertificateEvents(change, action));
        break;
      case "aws_route53_record":
        if (action === "replace") events.push(`- Validation record ${code(change.address)} **replaced** (${recordName(change)})${cbdNote(change)}`);
        if (action === "create") events.push(`- Validation record ${code(change.address)} created (${recordName(change)})`);
        break;
      default:
        break;
    }
  }
  const destroyed = sortedChanges(plan.resource_changes).filter((c) => ["delete", "replace"].includes(actionOf(c)));
  for (const change of destroyed) {
    const how = actionOf(change) === "replace" ? (isCreateBeforeDestroy(change) ? "old object, after its replacement exists" : "old object, BEFORE its replacement exists") : "no replacement";
    // The validation resource only waits for ISSUED inside Terraform: destroying it deletes nothing in AWS.
    const note = change.type === "aws_acm_certificate_validation" ? "; a Terraform-side wait, nothing in AWS is deleted" : "";
    events.push(`- **Destroyed**: ${code(change.address)} (${how}${note})`);
  }
  return events;
}

/** What changed outside Terraform (the plan's `resource_drift`), one line per changed attribute that matters. */
export function driftEvents(plan: PlanJson): string[] {
  const events: string[] = [];
  for (const drift of sortedChanges(plan.resource_drift)) {
    const before = drift.change.before ?? undefined;
    const after = drift.change.after ?? undefined;
    if (after === undefined || after === null) {
      events.push(`- ${code(drift.address)} was **deleted outside Terraform**`);
      continue;
    }
    if (isListener(drift.type) && isTlsListener(before, after) && before?.ssl_policy !== after.ssl_policy) {
      events.push(`- Listener ${code(drift.address)} policy changed outside Terraform: ${policyTransition(before?.ssl_policy, after.ssl_policy)}`);
    }
    const changed = changedKeys(before, after).filter((key) => !(key === "ssl_policy" && isListener(drift.type)));
    if (changed.length > 0) events.push(`- ${code(drift.address)} changed outside Terraform: ${changed.map(code).join(", ")}`);
  }
  return events;
}

/** Renders `summary.md`. */
export function renderSummary(plan: PlanJson, cdkTfJson: unknown, options: SummaryOptions): string {
  const mode = options.mode ?? "plan";
  const maxChars = options.maxChars ?? DEFAULT_SUMMARY_MAX_CHARS;
  const counts = countActions(plan);
  const changes = sortedChanges(plan.resource_changes).filter((c) => !["no-op", "read"].includes(actionOf(c)));
  const drift = mode === "drift" ? driftEvents(plan) : [];

  const head: string[] = [`### ${mode === "drift" ? "TLS edge drift check" : "TLS edge plan"}: ${code(options.stack)}`, ""];
  if (changes.length === 0 && drift.length === 0) {
    head.push(mode === "drift" ? "**No drift**: the infrastructure matches the configuration and the state." : "**No changes.**");
  } else {
    head.push(
      `**${COUNTED.filter((a) => a !== "read").map((a) => `${counts[a]} to ${a === "delete" ? "destroy" : a}`).join(", ")}**` +
        (counts.read > 0 ? ` (${counts.read} data source read${counts.read === 1 ? "" : "s"})` : ""),
    );
  }
  head.push("");
  const refusals = options.refusals ?? [];
  if (refusals.length > 0) {
    head.push(
      `**REFUSED by the plan-time TLS guard**: ${refusals.length} problem${refusals.length === 1 ? "" : "s"}; this plan must not be applied. ` +
        "Fix each resource, or suppress the rule on it with suppressTlsGuard(resource, rule, reason).",
      ...refusals.map((r) => `- ${r}`),
      "",
    );
  }
  const adopted = options.adoptedListeners ?? [];
  if (adopted.length > 0) {
    // Never cut: a plan shows none of this, and an old SNI certificate or a plain-HTTP rule outlives the import.
    head.push("#### Adopted listeners: what they keep (read from the ELB and ACM APIs)", ...adopted, "");
  }

  const suppressions = guardSuppressions(cdkTfJson);
  // Exceptions are never cut: a reviewer sees every one on every plan. The other sections share what the cap leaves.
  const kept: Section = {
    title: "#### TLS guard suppressions in this stack",
    lines:
      suppressions.length > 0
        ? suppressions.map((s) => `- ${code(s.address)}${s.path ? ` (${code(s.path)})` : ""}: rule ${code(s.rule)}: ${escapeMarkdown(s.reason)}`)
        : ["- none"],
  };
  const sections: Section[] = [];
  if (mode === "drift") {
    sections.push({ title: "#### Changed outside Terraform", lines: drift.length > 0 ? drift : ["- nothing"] });
  }
  const events = tlsEvents(plan);
  if (changes.length > 0) {
    sections.push({ title: mode === "drift" ? "#### What an apply would change back" : "#### What matters for TLS", lines: events.length > 0 ? events : ["- no certificate, listener or validation-record change"] });
  }
  if (changes.length > 0) {
    sections.push({ title: "#### Every change", lines: changes.map((c) => `- ${actionOf(c)} ${code(c.address)}${actionOf(c) === "replace" ? (isCreateBeforeDestroy(c) ? " (create before destroy)" : " (destroy before create)") : ""}`) });
  }
  return fitSections(head, kept, sections, maxChars, options.fullPlanLocation ?? "plan.json in this run's plan artifact");
}

interface Section {
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * Joins head, the `kept` section (whole, never cut) and the other sections within maxChars. The other sections keep
 * their order; when the cap is reached, the remaining lines of each are cut and a closing note says how many lines of
 * which sections were cut and where the full plan is. Nothing is ever cut silently: when the head, the kept section
 * and that note alone exceed the cap, every other section is left out and a line under the head says the summary is
 * over its cap and why.
 */
function fitSections(head: readonly string[], kept: Section, sections: readonly Section[], maxChars: number, fullPlanLocation: string): string {
  const reserve = 200 + [kept, ...sections].reduce((n, s) => n + s.title.length + 40, 0);
  const budget = Math.max(0, maxChars - reserve);
  const render = (notice: string[], others: readonly Section[], budgetLeft: number): string => {
    // Counted as the other sections are counted below (title + 2, each line + 1, the blank line + 1).
    let used = [...head, ...notice].join("\n").length + kept.title.length + 2 + kept.lines.reduce((n, line) => n + line.length + 1, 0) + 1;
    const out: string[] = [...head, ...notice, kept.title, ...kept.lines, ""];
    const cut: string[] = [];
    for (const section of others) {
      const titleCost = section.title.length + 2;
      if (used + titleCost > budgetLeft) {
        cut.push(`all ${section.lines.length} line(s) of "${stripHeading(section.title)}"`);
        continue;
      }
      out.push(section.title);
      used += titleCost;
      let count = 0;
      for (const line of section.lines) {
        if (used + line.length + 1 > budgetLeft) break;
        out.push(line);
        used += line.length + 1;
        count += 1;
      }
      if (count < section.lines.length) cut.push(`${section.lines.length - count} of ${section.lines.length} line(s) of "${stripHeading(section.title)}"`);
      out.push("");
      used += 1;
    }
    if (cut.length > 0) {
      out.push(`_Cut to fit a PR comment (${maxChars} characters): ${cut.join("; ")}. The full plan is ${fullPlanLocation}._`, "");
    }
    return out.join("\n");
  };
  const fitted = render([], sections, budget);
  if (fitted.length <= maxChars) return fitted;
  // The note took more than its reserve (a long fullPlanLocation, a tiny cap): leave every other section out.
  const keptOnly = render([], sections, 0);
  if (keptOnly.length <= maxChars) return keptOnly;
  const keptChars = [kept.title, ...kept.lines].join("\n").length;
  return render(
    [
      `**Over the ${maxChars}-character cap**: the section "${stripHeading(kept.title)}" is never cut and alone takes ${keptChars} characters, ` +
        "so every other section is left out and this summary is longer than the cap.",
      "",
    ],
    sections,
    0,
  );
}

function certificateEvents(change: ResourceChange, action: PlanAction): string[] {
  const before = change.change.before ?? undefined;
  const after = change.change.after ?? undefined;
  const afterNames = certificateNames(after);
  const beforeNames = certificateNames(before);
  if (action === "create") return [`- Certificate ${code(change.address)} **created** for ${list(afterNames)}`];
  if (action === "delete") return [`- Certificate ${code(change.address)} **destroyed** (it covered ${list(beforeNames)})`];
  const lines: string[] = [];
  if (action === "replace") {
    lines.push(
      isCreateBeforeDestroy(change)
        ? `- Certificate ${code(change.address)} **replaced, create-before-destroy holds**: the new certificate is issued and the listener moved to it before the old one is deleted`
        : `- Certificate ${code(change.address)} **replaced DESTROY-BEFORE-CREATE**: the old certificate is deleted first; a listener using it breaks until the new one is issued`,
    );
  } else {
    lines.push(`- Certificate ${code(change.address)} updated in place (${changedKeys(before, after).map(code).join(", ") || "no attribute named"})`);
  }
  const added = afterNames.filter((n) => !beforeNames.includes(n));
  const removed = beforeNames.filter((n) => !afterNames.includes(n));
  if (added.length > 0) lines.push(`  - names added: ${list(added)}`);
  if (removed.length > 0) lines.push(`  - names **removed**: ${list(removed)} (clients using them fail the certificate check after the change)`);
  return lines;
}

function listenerEvents(change: ResourceChange, action: PlanAction): string[] {
  const before = change.change.before ?? undefined;
  const after = change.change.after ?? undefined;
  const unknown = typeof change.change.after_unknown === "object" && change.change.after_unknown !== null ? change.change.after_unknown : {};
  if (action === "create") return [`- ${listenerKind(after)} ${code(change.address)} **created**: ${listenerDescription(after, unknown)}`];
  if (action === "delete") {
    const kind = listenerKind(before);
    return [`- **${kind} removed**: ${code(change.address)} (${listenerDescription(before, {})})${kind === "HTTP redirect listener" ? "; port 80 stops redirecting to HTTPS" : ""}`];
  }
  const lines: string[] = [];
  if (action === "replace") lines.push(`- ${listenerKind(after)} ${code(change.address)} **replaced**${cbdNote(change)}: ${listenerDescription(after, unknown)}`);
  if (isTlsListener(before, after) && before?.ssl_policy !== after?.ssl_policy) {
    const next = unknown.ssl_policy === true ? undefined : after?.ssl_policy;
    lines.push(`- Listener ${code(change.address)} policy ${policyTransition(before?.ssl_policy, next)}`);
  }
  const hstsBefore = before?.[HSTS_ATTRIBUTE];
  const hstsAfter = unknown[HSTS_ATTRIBUTE] === true ? "(known after apply)" : after?.[HSTS_ATTRIBUTE];
  if (isTlsListener(before, after) && (hstsBefore ?? null) !== (hstsAfter ?? null)) {
    lines.push(
      hstsAfter === undefined || hstsAfter === null || hstsAfter === ""
        ? `- Listener ${code(change.address)} HSTS header **removed** (was ${code(String(hstsBefore))}): browsers stop being told to insist on HTTPS`
        : `- Listener ${code(change.address)} HSTS header ${hstsBefore ? code(String(hstsBefore)) : "(none)"} → ${code(String(hstsAfter))}`,
    );
  }
  const mtlsBefore = mutualTlsMode(before);
  const mtlsAfter = mutualTlsMode(after);
  if (isTlsListener(before, after) && mtlsBefore !== mtlsAfter) {
    lines.push(`- Listener ${code(change.address)} mutual TLS ${code(mtlsBefore)} → ${code(mtlsAfter)}${mtlsAfter === "off" ? " **WARNING: clients are no longer asked for a certificate**" : ""}`);
  }
  if (before?.protocol !== after?.protocol && after?.protocol !== undefined) {
    lines.push(`- Listener ${code(change.address)} protocol ${code(String(before?.protocol))} → ${code(String(after?.protocol))}`);
  }
  if (action === "update" && lines.length === 0) {
    lines.push(`- ${listenerKind(after)} ${code(change.address)} updated in place (${changedKeys(before, after).map(code).join(", ") || "no attribute named"})`);
  }
  return lines;
}

/** The listener attribute that carries the Strict-Transport-Security header the ALB adds to HTTPS responses. */
const HSTS_ATTRIBUTE = "routing_http_response_strict_transport_security_header_value";

/** `off` when there is no mutual_authentication block (AWS's default), else its mode. */
function mutualTlsMode(attributes: Attributes | undefined): string {
  const block = firstBlock(attributes?.mutual_authentication);
  return typeof block?.mode === "string" && block.mode !== "" ? block.mode : "off";
}

/** Certificates served by SNI beside a listener's default certificate (`aws_lb_listener_certificate`). */
function sniCertificateEvents(change: ResourceChange, action: PlanAction): string[] {
  if (action === "create") return [`- SNI certificate ${code(change.address)} attached to a listener`];
  if (action === "delete") return [`- **SNI certificate detached**: ${code(change.address)} (clients that were served it get the default certificate)`];
  if (action === "replace") return [`- SNI certificate ${code(change.address)} **replaced**${cbdNote(change)}`];
  return [];
}

/** `old (minimum X) → new (minimum Y)`, flagging a downgrade and anything below the project's minimum. */
export function policyTransition(from: unknown, to: unknown): string {
  const describe = (name: unknown): string => {
    if (typeof name !== "string" || name === "") return "(none)";
    const policy = findAlbTlsPolicy(name);
    return `${code(name)} (minimum ${policy ? policy.minTlsVersion : "unknown: not in lib/aws/tls-policies.ts"})`;
  };
  if (to === undefined) return `${describe(from)} → (known after apply)`;
  let text = `${describe(from)} → ${describe(to)}`;
  const oldPolicy = typeof from === "string" ? findAlbTlsPolicy(from) : undefined;
  const newPolicy = typeof to === "string" ? findAlbTlsPolicy(to) : undefined;
  if (newPolicy === undefined) {
    text += " **WARNING: the new policy is not in the catalogue**";
  } else if (compareTlsVersions(newPolicy.minTlsVersion, MINIMUM_TLS_VERSION) < 0) {
    text += ` **WARNING: allows ${newPolicy.minTlsVersion}, below ${MINIMUM_TLS_VERSION}**`;
  } else if (oldPolicy !== undefined && compareTlsVersions(newPolicy.minTlsVersion, oldPolicy.minTlsVersion) < 0) {
    text += " **WARNING: downgrade**";
  }
  return text;
}

function listenerKind(attributes: Attributes | undefined): string {
  const protocol = String(attributes?.protocol ?? "HTTP").toUpperCase();
  if (protocol === "HTTPS" || protocol === "TLS") return `${protocol} listener`;
  return isRedirect(attributes) ? "HTTP redirect listener" : `${protocol} listener`;
}

function listenerDescription(attributes: Attributes | undefined, unknown: Attributes): string {
  const port = attributes?.port ?? "?";
  const protocol = String(attributes?.protocol ?? "HTTP").toUpperCase();
  if (protocol === "HTTPS" || protocol === "TLS") {
    const policy = unknown.ssl_policy === true ? "(known after apply)" : policyTransition(undefined, attributes?.ssl_policy).replace(/^\(none\) → /, "");
    const hsts = attributes?.[HSTS_ATTRIBUTE];
    const mtls = mutualTlsMode(attributes);
    return `port ${port}, policy ${policy}${typeof hsts === "string" && hsts !== "" ? `, HSTS ${code(hsts)}` : ", no HSTS header"}${mtls !== "off" ? `, mutual TLS ${code(mtls)}` : ""}`;
  }
  if (isRedirect(attributes)) {
    const redirect = firstBlock(firstBlock(attributes?.default_action)?.redirect);
    return `port ${port}, redirects to ${String(redirect?.protocol ?? "?")}:${String(redirect?.port ?? "?")} with ${String(redirect?.status_code ?? "?")}`;
  }
  return `port ${port}, protocol ${protocol}`;
}

function isRedirect(attributes: Attributes | undefined): boolean {
  return firstBlock(attributes?.default_action)?.type === "redirect";
}

function isListener(type: string): boolean {
  return type === "aws_lb_listener" || type === "aws_alb_listener";
}

/** HTTPS/TLS on either side. (The emulator reports an SslPolicy on HTTP listeners too; that is not a TLS policy.) */
function isTlsListener(before: Attributes | undefined, after: Attributes | undefined): boolean {
  return [before?.protocol, after?.protocol].some((p) => typeof p === "string" && ["HTTPS", "TLS"].includes(p.toUpperCase()));
}

function certificateNames(attributes: Attributes | undefined): string[] {
  if (attributes === undefined) return [];
  const names = [attributes.domain_name, ...(Array.isArray(attributes.subject_alternative_names) ? attributes.subject_alternative_names : [])];
  return [...new Set(names.filter((n): n is string => typeof n === "string" && n !== ""))].sort(compare);
}

function recordName(change: ResourceChange): string {
  const attributes = change.change.after ?? change.change.before ?? {};
  return typeof attributes.name === "string" ? `name ${code(attributes.name)}` : "name known after apply";
}

function cbdNote(change: ResourceChange): string {
  return isCreateBeforeDestroy(change) ? ", create before destroy" : ", destroy before create";
}

/** Top-level attributes whose values differ, sorted; tags_all is reported as tags. */
function changedKeys(before: Attributes | undefined, after: Attributes | undefined): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => k !== "tags_all" && JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])).sort(compare);
}

function firstBlock(value: unknown): Attributes | undefined {
  return (Array.isArray(value) ? value[0] : value) as Attributes | undefined;
}

function sortedChanges(changes: readonly ResourceChange[] | undefined): ResourceChange[] {
  return [...(changes ?? [])].filter((c) => c.mode !== "data").sort((a, b) => compare(a.address, b.address));
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.map(code).join(", ") : "(names known after apply)";
}

function code(text: string): string {
  return "`" + text.replace(/`/g, "'") + "`";
}

/** A reason is free text written by a developer; keep it from opening HTML or mentions in the PR comment. */
function escapeMarkdown(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;")).replace(/@/g, "@\u200b");
}

function stripHeading(title: string): string {
  return title.replace(/^#+\s*/, "");
}

/** Code-unit order, independent of locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
