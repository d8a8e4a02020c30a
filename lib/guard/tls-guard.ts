import { Annotations, Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { allowsOnlyModernTls, findAlbTlsPolicy, MINIMUM_TLS_VERSION } from "../aws/tls-policies";

/** The rules the TLS guard enforces; each can be suppressed per resource with a written reason. */
export const TLS_GUARD_RULES = {
  "listener-tls-policy": "HTTPS/TLS listeners use a predefined policy that allows nothing older than TLS 1.2",
  "http-redirect": "HTTP listeners only redirect to HTTPS with a 301",
  "listener-mutual-tls-trust-store": "listeners that verify client certificates name the trust store to verify them against",
  "certificate-dns-validation": "requested ACM certificates use DNS validation",
  "certificate-transparency": "ACM certificates keep certificate transparency logging on",
  "listener-certificate": "HTTPS/TLS listeners and listener certificates name a certificate",
  "http-listener-rule": "rules on HTTP listeners only redirect to HTTPS with a 301, like the listener's default action",
} as const;
export type TlsGuardRule = keyof typeof TLS_GUARD_RULES;

/** One resource that breaks one rule. */
export interface TlsGuardViolation {
  /** Construct path of the resource, e.g. `tls-prod/Extra/Listener`. */
  readonly path: string;
  /** Terraform resource type. */
  readonly resourceType: string;
  readonly rule: TlsGuardRule;
  /** What is wrong, naming the offending value. */
  readonly message: string;
  /**
   * The attribute whose value is not known at synth (a token), when that is why the resource cannot be proven to
   * follow the rule.
   * @default - the value is known and breaks the rule
   */
  readonly unresolved?: string;
}

/** Thrown at synth when any resource breaks a rule that is not suppressed; lists every violation. */
export class TlsGuardError extends Error {
  constructor(public readonly violations: readonly TlsGuardViolation[]) {
    super(
      `TLS guard: ${violations.length} violation${violations.length === 1 ? "" : "s"}:\n` +
        violations.map((v) => `  - ${v.path} (${v.resourceType}) [${v.rule}]: ${v.message}`).join("\n") +
        (violations.some((v) => v.unresolved !== undefined) ? `\n${UNRESOLVED_ADVICE}` : "") +
        "\nFix the resource, or suppress the rule on it with suppressTlsGuard(resource, rule, reason).",
    );
    this.name = "TlsGuardError";
  }
}

/** Closes the error when a violation is a value the guard cannot see. */
const UNRESOLVED_ADVICE =
  "A value that is not known at synth (a Terraform variable, a function such as Fn.lower, a reference, a dynamic block) " +
  "cannot be proven to follow a rule, so it fails closed: write it as a literal, or suppress the rule with a reason " +
  "that says why every value it can take is safe.";

/** Minimum length of a suppression reason: long enough to be a sentence, not "ok". */
export const MIN_SUPPRESSION_REASON_LENGTH = 20;
const SUPPRESSION_METADATA = "tls-guard-suppression";

/**
 * Exempts one resource from one rule. The reason is written into the resource's synthesized metadata
 * (`"//": { "tls_guard_suppressions": { <rule>: <reason> } }`), so reviewers see it in the snapshot diff, and is
 * reported as a warning at synth.
 */
export function suppressTlsGuard(resource: TerraformResource, rule: TlsGuardRule, reason: string): void {
  if (!(rule in TLS_GUARD_RULES)) {
    throw new Error(`suppressTlsGuard(${resource.node.path}): unknown rule "${rule}" (rules: ${Object.keys(TLS_GUARD_RULES).join(", ")})`);
  }
  if (typeof reason !== "string" || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new Error(
      `suppressTlsGuard(${resource.node.path}, "${rule}"): a written reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters is required, got ${JSON.stringify(reason)}`,
    );
  }
  resource.node.addMetadata(SUPPRESSION_METADATA, { rule, reason: reason.trim() });
  resource.addOverride(`//.tls_guard_suppressions.${rule}`, reason.trim());
}

function suppressions(node: IConstruct): Map<TlsGuardRule, string> {
  return new Map(
    node.node.metadata
      .filter((entry) => entry.type === SUPPRESSION_METADATA)
      .map((entry) => [entry.data.rule as TlsGuardRule, entry.data.reason as string]),
  );
}

/**
 * An aspect that checks every resource below the scope it is added to, including resources created outside this
 * project's constructs, and fails synth with a `TlsGuardError` listing every violation. `TlsStack` applies it; add it
 * to your own stacks with `Aspects.of(stack).add(new TlsGuard())`.
 *
 * Values are checked as they will be synthesized (after `addOverride`). A TLS-relevant value that is not known at synth
 * (a token: a Terraform variable, a function, a reference; or a dynamic block) cannot be proven safe, so it fails
 * closed; suppress with a reason when every value it can take is safe. A listener whose protocol is a token is checked
 * as HTTPS/TLS and as HTTP, and every rule it breaks either way is reported. The one exception is a listener rule's
 * `listener_arn` that names no listener of the stack: that rule is left to the plan-time check (see
 * `listenerRuleFindings`).
 */
export class TlsGuard implements IAspect {
  public visit(node: IConstruct): void {
    // Check the whole subtree from the scope the aspect was added to, so one error lists every violation; the
    // descendants it is then visited with are already covered. Stateless, so every synth checks afresh.
    if (!Aspects.of(node).all.includes(this)) return;
    const violations = node.node
      .findAll()
      .filter((child): child is TerraformResource => child instanceof TerraformResource)
      .flatMap(checkResource);
    if (violations.length > 0) throw new TlsGuardError(violations);
  }
}

/** Violations of one resource that are not suppressed; suppressed ones become synth warnings. */
export function checkResource(resource: TerraformResource): TlsGuardViolation[] {
  const attributes = synthesizedAttributes(resource);
  const found = attributes === undefined ? [] : rulesBrokenBy(resource.terraformResourceType, attributes, resource);
  const suppressed = suppressions(resource);
  const violations: TlsGuardViolation[] = [];
  for (const { rule, message, unresolved } of found) {
    const reason = suppressed.get(rule);
    if (reason !== undefined) {
      Annotations.of(resource).addWarning(`TLS guard rule ${rule} suppressed: ${reason} (${message})`);
    } else {
      violations.push({ path: resource.node.path, resourceType: resource.terraformResourceType, rule, message, ...(unresolved !== undefined ? { unresolved } : {}) });
    }
  }
  return violations;
}

type Attributes = Record<string, unknown>;

function synthesizedAttributes(resource: TerraformResource): Attributes | undefined {
  const json = Tokenization.resolve(resource.toTerraform(), {
    scope: resource,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as { resource?: Record<string, Record<string, Attributes>> };
  const byType = json.resource?.[resource.terraformResourceType];
  return byType === undefined ? undefined : Object.values(byType)[0];
}

interface Finding {
  readonly rule: TlsGuardRule;
  readonly message: string;
  /** See `TlsGuardViolation.unresolved`. */
  readonly unresolved?: string;
}

/** Why an attribute breaks a rule; `unresolved` names the attribute when the reason is that it is not known at synth. */
interface Problem {
  readonly message: string;
  readonly unresolved?: string;
}

function rulesBrokenBy(type: string, attributes: Attributes, resource: TerraformResource): Finding[] {
  switch (type) {
    case "aws_lb_listener_rule":
    case "aws_alb_listener_rule":
      return listenerRuleFindings(attributes, resource);
    case "aws_lb_listener":
    case "aws_alb_listener":
      return listenerFindings(attributes);
    case "aws_acm_certificate":
      return certificateFindings(attributes);
    case "aws_lb_listener_certificate":
    case "aws_alb_listener_certificate":
      return isBlank(attributes.certificate_arn)
        ? [{ rule: "listener-certificate", message: "certificate_arn is missing" }]
        : [];
    default:
      return [];
  }
}

function listenerFindings(attributes: Attributes): Finding[] {
  const protocol = attributes.protocol;
  if (isToken(protocol)) {
    // It could be any protocol: the listener must pass as HTTPS/TLS and as HTTP, whichever the value turns out to be.
    const as = (label: string, findings: Finding[]): Finding[] =>
      findings.map((f) => ({ rule: f.rule, message: `protocol ${JSON.stringify(protocol)} is not known at synth; as ${label}: ${f.message}`, unresolved: "protocol" }));
    return [...as("HTTPS or TLS", tlsListenerFindings(attributes, "the")), ...as("HTTP", httpListenerFindings(attributes))];
  }
  // AWS's default protocol for an ALB listener is HTTP.
  const known = typeof protocol === "string" ? protocol.toUpperCase() : "HTTP";
  if (known === "HTTPS" || known === "TLS") return tlsListenerFindings(attributes, known);
  if (known === "HTTP") return httpListenerFindings(attributes);
  return [];
}

/** An HTTPS or TLS listener: policy, certificate, mutual TLS. `label` names the listener in the certificate message. */
function tlsListenerFindings(attributes: Attributes, label: string): Finding[] {
  const findings: Finding[] = [];
  const policy = attributes.ssl_policy;
  if (isBlank(policy)) {
    findings.push({
      rule: "listener-tls-policy",
      message: "ssl_policy is unset, so AWS applies ELBSecurityPolicy-2016-08, which allows TLSv1",
    });
  } else if (isToken(policy)) {
    findings.push({ rule: "listener-tls-policy", message: notKnown("ssl_policy", policy), unresolved: "ssl_policy" });
  } else {
    const known = findAlbTlsPolicy(String(policy));
    if (known === undefined) {
      findings.push({ rule: "listener-tls-policy", message: `ssl_policy ${JSON.stringify(policy)} is not a predefined ALB security policy` });
    } else if (!allowsOnlyModernTls(known)) {
      findings.push({
        rule: "listener-tls-policy",
        message: `ssl_policy ${JSON.stringify(policy)} allows ${known.minTlsVersion}; the minimum is ${MINIMUM_TLS_VERSION}`,
      });
    }
  }
  if (isBlank(attributes.certificate_arn)) {
    findings.push({ rule: "listener-certificate", message: `${label} listener has no certificate_arn` });
  }
  findings.push(...mutualTlsFindings(attributes.mutual_authentication, dynamicBlock(attributes, "mutual_authentication")));
  return findings;
}

/** A plain-HTTP listener: its default action must be a single 301 redirect to HTTPS. */
function httpListenerFindings(attributes: Attributes): Finding[] {
  const problem = actionProblem(attributes.default_action, "default_action", dynamicBlock(attributes, "default_action"));
  return problem === undefined ? [] : [{ rule: "http-redirect", ...problem }];
}

/**
 * Why the actions of an HTTP listener (its `default_action`) or of a rule on one (its `action`) are not a single 301
 * redirect to HTTPS, or undefined when they are. Works on synthesized JSON and on `terraform show -json` values.
 */
export function redirectProblem(defaultAction: unknown, field: "default_action" | "action" = "default_action"): string | undefined {
  return actionProblem(defaultAction, field)?.message;
}

/**
 * `redirectProblem`, naming a value that is not known at synth: a token anywhere on the path the check reads (the
 * actions, an action, its type, its redirect block, protocol or status code) or a dynamic block of actions.
 */
function actionProblem(value: unknown, field: "default_action" | "action", dynamic?: unknown): Problem | undefined {
  if (dynamic !== undefined) return { message: `${field} is a dynamic block, so its actions are not known at synth`, unresolved: field };
  if (isToken(value)) return { message: notKnown(field, value), unresolved: field };
  const actions = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (actions.length !== 1) return { message: `${field} must be a single redirect to HTTPS, found ${actions.length} actions` };
  const action = actions[0] as Attributes;
  if (isToken(action)) return { message: notKnown(field, action), unresolved: field };
  if (isToken(action.type)) return { message: notKnown(`${field} type`, action.type), unresolved: `${field}.type` };
  if (action.type !== "redirect") return { message: `${field} type is ${JSON.stringify(action.type)}, not a redirect to HTTPS` };
  if (isToken(action.redirect)) return { message: notKnown("redirect", action.redirect), unresolved: `${field}.redirect` };
  const redirect = (Array.isArray(action.redirect) ? action.redirect[0] : action.redirect) as Attributes | undefined;
  if (redirect === undefined) return { message: "redirect action has no redirect block" };
  if (isToken(redirect.protocol)) return { message: notKnown("redirect protocol", redirect.protocol), unresolved: `${field}.redirect.protocol` };
  if (String(redirect.protocol).toUpperCase() !== "HTTPS") return { message: `redirect protocol is ${JSON.stringify(redirect.protocol ?? "#{protocol}")}, not HTTPS` };
  if (isToken(redirect.status_code)) return { message: notKnown("redirect status_code", redirect.status_code), unresolved: `${field}.redirect.status_code` };
  if (redirect.status_code !== "HTTP_301") return { message: `redirect status_code is ${JSON.stringify(redirect.status_code)}, not HTTP_301` };
  return undefined;
}

/**
 * `terraform validate` and `plan` accept verify mode without a trust store (measured with hashicorp/aws 5.100.0), so
 * without this rule the mistake surfaces only when the AWS API refuses it during apply, after the plan was approved.
 * A trust store named by a reference to an `aws_lb_trust_store` resource or data source is named, though its ARN is a
 * token; any other token (a variable, a function) could be empty, so it fails closed like every unknown value.
 */
function mutualTlsFindings(mutualAuthentication: unknown, dynamic: unknown): Finding[] {
  const rule = "listener-mutual-tls-trust-store";
  if (dynamic !== undefined) {
    return [{ rule, message: "mutual_authentication is a dynamic block, so its mode and trust store are not known at synth", unresolved: "mutual_authentication" }];
  }
  if (isToken(mutualAuthentication)) return [{ rule, message: notKnown("mutual_authentication", mutualAuthentication), unresolved: "mutual_authentication" }];
  const block = (Array.isArray(mutualAuthentication) ? mutualAuthentication[0] : mutualAuthentication) as Attributes | undefined;
  if (block === undefined || block === null) return [];
  const mode = block.mode;
  const store = block.trust_store_arn;
  const storeUnknown = isToken(store) && !TRUST_STORE_REFERENCE.test(store);
  if (isToken(mode)) {
    if (isBlank(store)) {
      return [{ rule, message: `mutual_authentication mode ${JSON.stringify(mode)} is not known at synth, and there is no trust_store_arn for verify`, unresolved: "mutual_authentication.mode" }];
    }
    return storeUnknown
      ? [{ rule, message: `mutual_authentication mode ${JSON.stringify(mode)} and trust_store_arn ${JSON.stringify(store)} are not known at synth`, unresolved: "mutual_authentication.mode" }]
      : [];
  }
  if (String(mode).toLowerCase() !== "verify") return [];
  if (isBlank(store)) return [{ rule, message: 'mutual_authentication mode "verify" has no trust_store_arn' }];
  return storeUnknown ? [{ rule, message: notKnown("mutual_authentication trust_store_arn", store), unresolved: "mutual_authentication.trust_store_arn" }] : [];
}

/** A reference to a trust store's ARN (or id, which is its ARN): the trust store exists before the listener uses it. */
const TRUST_STORE_REFERENCE = /^\$\{(data\.)?aws_lb_trust_store\.[A-Za-z0-9_-]+\.(arn|id)\}$/;

function certificateFindings(attributes: Attributes): Finding[] {
  // Imported certificates (certificate_body) are not requested here: ACM neither validates nor renews them.
  if (!isBlank(attributes.certificate_body)) return [];
  const findings: Finding[] = [];
  if (isToken(attributes.validation_method)) {
    findings.push({ rule: "certificate-dns-validation", message: notKnown("validation_method", attributes.validation_method), unresolved: "validation_method" });
  } else if (attributes.validation_method !== "DNS") {
    findings.push({
      rule: "certificate-dns-validation",
      message: `validation_method is ${JSON.stringify(attributes.validation_method ?? null)}; only DNS validation renews without a person`,
    });
  }
  if (isToken(attributes.options) || dynamicBlock(attributes, "options") !== undefined) {
    findings.push({ rule: "certificate-transparency", message: "options is not known at synth, so neither is certificate_transparency_logging_preference", unresolved: "options" });
    return findings;
  }
  const options = (Array.isArray(attributes.options) ? attributes.options[0] : attributes.options) as Attributes | undefined;
  const transparency = options?.certificate_transparency_logging_preference;
  if (isToken(transparency)) {
    findings.push({ rule: "certificate-transparency", message: notKnown("certificate_transparency_logging_preference", transparency), unresolved: "options.certificate_transparency_logging_preference" });
  } else if (transparency !== undefined && transparency !== "ENABLED") {
    findings.push({ rule: "certificate-transparency", message: `certificate_transparency_logging_preference is ${JSON.stringify(transparency)}` });
  }
  return findings;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** A value cdktf resolved to a Terraform expression: a variable, a function call, a reference. */
function isToken(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** `<attribute> "<value>" is not known at synth`: the wording of every unresolved-value finding. */
function notKnown(attribute: string, value: unknown): string {
  return `${attribute} ${JSON.stringify(value)} is not known at synth`;
}

/** The `dynamic` block cdktf writes for a block built with `TerraformIterator.dynamic`, if any. */
function dynamicBlock(attributes: Attributes, name: string): unknown {
  const dynamic = attributes.dynamic as Attributes | undefined;
  return typeof dynamic === "object" && dynamic !== null ? dynamic[name] : undefined;
}

const LISTENER_REFERENCE = /^\$\{(aws_lb_listener|aws_alb_listener)\.([A-Za-z0-9_-]+)\.(arn|id)\}$/;

/**
 * A listener rule on a plain-HTTP listener may only redirect to HTTPS with a 301: otherwise it serves content over
 * HTTP beside the redirect. The rule's `listener_arn` is resolved to a listener of the same stack; when it names
 * anything else (an ARN from outside the stack, an expression) the protocol is unknown at synth, so the rule is left
 * to the plan-time check (`listenerRuleProblemsInPlan`, which `scripts/ci/plan` runs on every plan, refusing the plan
 * and removing its tfplan on a problem) and a warning says so.
 */
function listenerRuleFindings(attributes: Attributes, rule: TerraformResource): Finding[] {
  const listener = listenerOfRule(attributes.listener_arn, rule);
  if (listener === undefined) {
    Annotations.of(rule).addWarning(
      `TLS guard: listener_arn ${JSON.stringify(attributes.listener_arn)} is no listener of this stack, so its protocol is unknown at synth; ` +
        "check the plan with listenerRuleProblemsInPlan (lib/guard/plan-listener-rules.ts; scripts/ci/plan runs it and refuses a plan it flags)",
    );
    return [];
  }
  const listenerAttributes = synthesizedAttributes(listener);
  const problem = actionProblem(attributes.action, "action", dynamicBlock(attributes, "action"));
  const protocol = listenerAttributes?.protocol;
  if (isToken(protocol)) {
    // The listener could be HTTP, so the rule must be what a rule on an HTTP listener must be.
    return problem === undefined
      ? []
      : [{ rule: "http-listener-rule", message: `on listener ${listener.node.path}, whose protocol ${JSON.stringify(protocol)} is not known at synth: ${problem.message}`, unresolved: "protocol" }];
  }
  if ((typeof protocol === "string" ? protocol.toUpperCase() : "HTTP") !== "HTTP") return [];
  return problem === undefined ? [] : [{ rule: "http-listener-rule", message: `on HTTP listener ${listener.node.path}: ${problem.message}`, ...(problem.unresolved ? { unresolved: problem.unresolved } : {}) }];
}

/** The listener resource of the rule's stack that `listenerArn` references, or undefined. */
function listenerOfRule(listenerArn: unknown, rule: TerraformResource): TerraformResource | undefined {
  const match = typeof listenerArn === "string" ? LISTENER_REFERENCE.exec(listenerArn) : null;
  if (match === null) return undefined;
  return TerraformStack.of(rule)
    .node.findAll()
    .find(
      (child): child is TerraformResource =>
        child instanceof TerraformResource && child.terraformResourceType === match[1] && child.friendlyUniqueId === match[2],
    );
}
