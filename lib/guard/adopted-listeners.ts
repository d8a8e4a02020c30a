import { PlanListenerRuleProblem } from "./plan-listener-rules";
import { redirectProblem } from "./tls-guard";

/**
 * The plan-time check of listeners a stack adopts (`existingListeners`: Terraform import blocks). Terraform manages the
 * listener only: the rules and SNI certificates that already hang on it stay, and no plan shows them (no data source
 * lists a listener's rules or certificates). lib/pipeline/listener-inventory.ts reads them from the ELB and ACM APIs;
 * this module judges what it read. Pure: no I/O.
 */

/** A listener the stack adopts through a Terraform import block. */
export interface AdoptedListener {
  /** Terraform address the import block writes to, e.g. `aws_lb_listener.HttpRedirect_Listener_C9EB14CD`. */
  readonly address: string;
  readonly arn: string;
  /** Protocol the stack gives the listener (what it is after apply), upper case: `HTTP` or `HTTPS`. */
  readonly protocol: string;
  /** True when this plan imports it; false when an earlier apply did (the import block stays in the configuration). */
  readonly importing: boolean;
}

/** A rule on an adopted listener other than its default rule, as ELB's DescribeRules states it. */
export interface AdoptedListenerRule {
  readonly arn: string;
  readonly priority: string;
  /** Each condition as `<field> <value>, <value>`, e.g. `path-pattern /api/*`. */
  readonly conditions: readonly string[];
  /**
   * The rule's actions in order, in the shape of the provider's `action` blocks (`type`, `redirect.protocol`,
   * `redirect.status_code`), so the synth-time guard's own redirect check judges them.
   */
  readonly actions: readonly RuleAction[];
}

export interface RuleAction {
  readonly type: string;
  readonly redirect?: { readonly protocol?: string; readonly status_code?: string };
}

/** An entry of an adopted HTTPS listener's certificate list that is not the default certificate. */
export interface AdoptedSniCertificate {
  readonly arn: string;
  /**
   * The certificate's names (ACM's domain name and subject alternative names).
   * @default - not known: `namesUnknown` says why
   */
  readonly names?: readonly string[];
  /** Why the names are not known (a certificate that is not ACM's). */
  readonly namesUnknown?: string;
  /** The listener's current default certificate is listed for SNI too (the import replaces the default, not the list). */
  readonly alsoDefault: boolean;
}

/** What an adopted listener carries besides what Terraform manages. */
export interface ListenerInventory {
  readonly listener: AdoptedListener;
  /** False when ELB answered ListenerNotFound (the plan then creates the listener anew). */
  readonly exists: boolean;
  /** Rules other than the default rule, by priority. */
  readonly rules: readonly AdoptedListenerRule[];
  /** The certificate list without its default entry (HTTPS listeners only). */
  readonly sniCertificates: readonly AdoptedSniCertificate[];
}

/** The certificates the stack manages, as the plan shows them. */
export interface StackCertificates {
  /** Every name of every certificate the stack requests. */
  readonly names: readonly string[];
  /** ARNs of the stack's certificates and of the certificates its listeners and listener certificates name (known ones). */
  readonly arns: ReadonlySet<string>;
}

export interface AdoptionJudgement {
  /** Rules that keep serving content over plain HTTP (plan mode, not suppressed): the plan must not be applied. */
  readonly refusals: readonly PlanListenerRuleProblem[];
  /** Markdown list lines for the summary, one block per adopted listener, warnings marked **WARNING**. */
  readonly lines: readonly string[];
}

export interface AdoptionOptions {
  /** A plan refuses rules that serve over HTTP; a drift check reports them and never refuses. */
  readonly mode: "plan" | "drift";
  /** The stack's TLS-guard suppressions; `http-listener-rule` on an adopted HTTP listener allows its rules. */
  readonly suppressions: ReadonlyArray<{ readonly address: string; readonly rule: string; readonly reason?: string }>;
  readonly stack: StackCertificates;
}

const LISTENER_TYPES = new Set(["aws_lb_listener", "aws_alb_listener"]);

/** An import block into a listener whose listener the check cannot name. */
export class UnresolvedAdoptionError extends Error {}

/**
 * The listeners a stack adopts: every import block of `cdk.tf.json` into an `aws_lb_listener`. The listener's ARN is
 * the block's id, or, when that is an expression, the id the plan imports or the ARN in the prior state. Throws when it
 * is none of them: a listener the check cannot name cannot be checked.
 */
export function adoptedListenersIn(plan: unknown, cdkTfJson: unknown): AdoptedListener[] {
  const json = cdkTfJson as { import?: Array<{ id?: unknown; to?: unknown }>; resource?: Record<string, Record<string, Record<string, unknown>>> } | undefined;
  const root = plan as PlanJson;
  const planned = new Map(resourcesOf(root.planned_values?.root_module).map((r) => [r.address, r]));
  const prior = new Map(resourcesOf(root.prior_state?.values?.root_module).map((r) => [r.address, r]));
  const importing = new Map((root.resource_changes ?? []).filter((c) => c.change?.importing).map((c) => [c.address, c.change!.importing!.id]));
  const found: AdoptedListener[] = [];
  for (const block of json?.import ?? []) {
    const to = typeof block.to === "string" ? block.to : "";
    const [type, name] = to.split(".");
    if (!LISTENER_TYPES.has(type)) continue;
    const literal = typeof block.id === "string" && /^arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:listener\//.test(block.id) ? block.id : undefined;
    const arn = literal ?? importing.get(to) ?? stringValue(prior.get(to)?.values?.arn);
    if (arn === undefined) {
      throw new UnresolvedAdoptionError(`cannot tell which listener the import block into ${to} adopts: its id ${JSON.stringify(block.id)} is not a listener ARN, and the plan shows none`);
    }
    const protocol = stringValue(planned.get(to)?.values?.protocol) ?? stringValue(json?.resource?.[type]?.[name]?.protocol) ?? "HTTP";
    found.push({ address: to, arn, protocol: protocol.toUpperCase(), importing: importing.has(to) });
  }
  return found.sort((a, b) => compare(a.address, b.address));
}

/** The stack's certificate names and known certificate ARNs, from the plan's prior state and planned values. */
export function stackCertificatesIn(plan: unknown): StackCertificates {
  const root = plan as PlanJson;
  const names = new Set<string>();
  const arns = new Set<string>();
  for (const resource of [...resourcesOf(root.prior_state?.values?.root_module), ...resourcesOf(root.planned_values?.root_module)]) {
    if (resource.mode === "data") continue;
    const values = resource.values ?? {};
    if (resource.type === "aws_acm_certificate") {
      for (const name of [values.domain_name, ...(Array.isArray(values.subject_alternative_names) ? values.subject_alternative_names : [])]) {
        if (typeof name === "string" && name !== "") names.add(name.toLowerCase());
      }
      if (typeof values.arn === "string") arns.add(values.arn);
    }
    if (["aws_lb_listener", "aws_alb_listener", "aws_lb_listener_certificate", "aws_alb_listener_certificate"].includes(resource.type) && typeof values.certificate_arn === "string") {
      arns.add(values.certificate_arn);
    }
  }
  return { names: [...names].sort(compare), arns };
}

/**
 * Judges what adopted listeners keep:
 * - a rule on a listener the stack makes HTTP that does anything but a single 301 redirect to HTTPS keeps serving
 *   content over plain HTTP: refused in a plan (rule `http-listener-rule`, suppressible on the listener), a warning in
 *   a drift check;
 * - an SNI certificate the stack does not manage on a listener it makes HTTPS: a warning naming its names and the
 *   stack's names it overlaps (for those the ALB may serve it instead of the stack's certificate);
 * - rules on an HTTPS listener are listed: they route before the stack's default action.
 */
export function judgeAdoptedListeners(inventories: readonly ListenerInventory[], options: AdoptionOptions): AdoptionJudgement {
  const refusals: PlanListenerRuleProblem[] = [];
  const lines: string[] = [];
  for (const inventory of inventories) {
    const { listener } = inventory;
    const when = listener.importing ? "imported by this plan" : "adopted by an earlier apply";
    const head = `- ${listener.protocol} listener ${code(listener.address)} (${when}, ${code(listener.arn)})`;
    if (!inventory.exists) {
      lines.push(`${head}: ELB answers ListenerNotFound, so there is nothing on it to keep`);
      continue;
    }
    const details: string[] = [];
    const isHttp = listener.protocol === "HTTP";
    const suppression = options.suppressions.find((s) => s.address === listener.address && s.rule === "http-listener-rule");
    for (const rule of inventory.rules) {
      const what = `rule priority ${rule.priority}${rule.conditions.length > 0 ? ` (${rule.conditions.map(code).join(" and ")})` : ""}, ${code(rule.arn)}`;
      const problem = isHttp ? redirectProblem(rule.actions, "action") : undefined;
      if (!isHttp) {
        details.push(`  - ${what}: ${describeActions(rule.actions)}; it routes before the stack's default action`);
      } else if (problem === undefined) {
        details.push(`  - ${what}: a 301 redirect to HTTPS, as the guard allows`);
      } else if (suppression !== undefined) {
        details.push(`  - ${what}: ${problem}; allowed, http-listener-rule is suppressed on this listener`);
      } else {
        const message =
          `adopted HTTP listener ${listener.arn} keeps ${what.replace(/`/g, "")}: ${problem}, so it keeps serving content over plain HTTP. ` +
          `Delete the rule (aws elbv2 delete-rule --rule-arn ${rule.arn}) or make it a 301 redirect to HTTPS`;
        if (options.mode === "plan") {
          refusals.push({ address: listener.address, kind: "http-listener-rule", message });
          details.push(`  - **REFUSED** ${what}: ${problem}, so it keeps serving content over plain HTTP; delete it (\`aws elbv2 delete-rule --rule-arn ${rule.arn}\`) or make it a 301 redirect to HTTPS`);
        } else {
          details.push(`  - **WARNING** ${what}: ${problem}, so it serves content over plain HTTP; delete it (\`aws elbv2 delete-rule --rule-arn ${rule.arn}\`) or make it a 301 redirect to HTTPS`);
        }
      }
    }
    const foreign = inventory.sniCertificates.filter((c) => !options.stack.arns.has(c.arn));
    for (const certificate of foreign) details.push(sniWarning(listener, certificate, options.stack.names));
    const summary = [
      inventory.rules.length === 0 ? "no rule besides the default action" : `${inventory.rules.length} rule(s) besides the default action`,
      ...(listener.protocol === "HTTPS" ? [foreign.length === 0 ? "no SNI certificate this stack does not manage" : `${foreign.length} SNI certificate(s) this stack does not manage`] : []),
    ];
    lines.push(`${head}: ${summary.join("; ")}`, ...details);
  }
  return { refusals, lines };
}

function sniWarning(listener: AdoptedListener, certificate: AdoptedSniCertificate, stackNames: readonly string[]): string {
  const remove = `\`aws elbv2 remove-listener-certificates --listener-arn ${listener.arn} --certificates CertificateArn=${certificate.arn}\``;
  const defaultNote = certificate.alsoDefault ? " It is also the listener's current default certificate: the apply replaces the default, this list entry stays." : "";
  if (certificate.names === undefined) {
    return (
      `  - **WARNING** SNI certificate ${code(certificate.arn)}, not managed by this stack: its names are not known (${certificate.namesUnknown ?? "not read"}), ` +
      `so it may win the ALB's choice for any of this stack's names. Remove it: ${remove}.${defaultNote}`
    );
  }
  const overlapped = stackNames.filter((mine) => certificate.names!.some((theirs) => namesOverlap(mine, theirs)));
  const names = `ACM names ${certificate.names.map(code).join(", ")}`;
  if (overlapped.length === 0) {
    return (
      `  - **WARNING** SNI certificate ${code(certificate.arn)} (${names}), not managed by this stack: it overlaps none of this stack's names, ` +
      `and keeps serving its own from a listener the stack owns. Remove it: ${remove}, after adding its names to \`additionalCertificates\` if this listener must keep serving them.${defaultNote}`
    );
  }
  return (
    `  - **WARNING** SNI certificate ${code(certificate.arn)} (${names}), not managed by this stack, overlaps this stack's ${overlapped.map(code).join(", ")}: ` +
    "for those names the ALB may serve it instead of the stack's certificate (it picks among the listed certificates that match the name by key " +
    `algorithm, then hash, key length and validity). Remove it: ${remove}, after adding its other names to \`additionalCertificates\` if this listener must keep serving them.${defaultNote}`
  );
}

/**
 * True when some host name matches both certificate names (RFC 6125: a wildcard is the whole leftmost label and
 * matches exactly one label): equal names, or a wildcard and a name one label below its parent.
 */
export function namesOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, "");
  const y = b.toLowerCase().replace(/\.$/, "");
  if (x === y) return true;
  const coveredBy = (wildcard: string, name: string) =>
    wildcard.startsWith("*.") && !name.startsWith("*.") && name.includes(".") && name.slice(name.indexOf(".") + 1) === wildcard.slice(2);
  return coveredBy(x, y) || coveredBy(y, x);
}

function describeActions(actions: readonly RuleAction[]): string {
  return actions.length === 0 ? "no action" : actions.map((a) => (a.type === "redirect" ? `redirect to ${a.redirect?.protocol ?? "?"} (${a.redirect?.status_code ?? "?"})` : a.type)).join(", then ");
}

interface PlanResource {
  address: string;
  mode?: string;
  type: string;
  values?: Record<string, unknown>;
}

interface PlanModule {
  resources?: PlanResource[];
  child_modules?: PlanModule[];
}

interface PlanJson {
  planned_values?: { root_module?: PlanModule };
  prior_state?: { values?: { root_module?: PlanModule } };
  resource_changes?: Array<{ address: string; change?: { importing?: { id: string } } }>;
}

function resourcesOf(module: PlanModule | undefined): PlanResource[] {
  if (module === undefined) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(resourcesOf)];
}

function stringValue(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function code(text: string): string {
  return "`" + text.replace(/`/g, "'") + "`";
}

/** Code-unit order, independent of locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
