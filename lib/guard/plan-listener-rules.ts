import { redirectProblem } from "./tls-guard";

/** A listener rule the plan-time check refuses. */
export interface PlanListenerRuleProblem {
  /** Terraform address of the rule, e.g. `aws_lb_listener_rule.api`. */
  readonly address: string;
  /** `http-listener-rule`: the rule serves content on an HTTP listener; `unresolved-listener`: its listener is unknown. */
  readonly kind: "http-listener-rule" | "unresolved-listener";
  readonly message: string;
}

export interface PlanListenerRuleOptions {
  /**
   * Protocols of listeners that are not in the plan (listener ARN -> protocol), e.g. from `aws elbv2
   * describe-listeners` or another stack's `terraform show -json` (see `listenerProtocolsIn`).
   * @default - only the listeners the plan itself shows
   */
  readonly listeners?: Readonly<Record<string, string>>;
  /**
   * The stack's TLS-guard suppressions, e.g. `guardSuppressions(cdkTfJson)` (lib/pipeline/plan-summary.ts). A rule
   * that suppresses `http-listener-rule` with a reason is not reported, as at synth.
   * @default - none
   */
  readonly suppressions?: ReadonlyArray<{ readonly address: string; readonly rule: string }>;
}

const RULE_TYPES = new Set(["aws_lb_listener_rule", "aws_alb_listener_rule"]);
const LISTENER_TYPES = new Set(["aws_lb_listener", "aws_alb_listener"]);

/**
 * The plan-time half of the TLS guard's `http-listener-rule` rule, for rules whose listener the synth-time guard could
 * not resolve (an ARN from outside the stack, an expression). Takes `terraform show -json <planfile>` output and flags
 * every listener rule that will exist after apply, sits on an HTTP listener and does anything but a single 301
 * redirect to HTTPS. A rule's listener is found, in order, through the configuration's references to a listener
 * resource of the plan, by its known ARN among the plan's listeners (planned, in prior state, or read by a data
 * source), or in `options.listeners`. A rule whose listener is found nowhere is reported as unresolved: the check
 * fails closed, as the guard does for values it cannot see.
 */
export function listenerRuleProblemsInPlan(plan: unknown, options: PlanListenerRuleOptions = {}): PlanListenerRuleProblem[] {
  const root = plan as PlanJson;
  const planned = resourcesOf(root.planned_values?.root_module);
  const prior = resourcesOf(root.prior_state?.values?.root_module);
  const protocolByAddress = new Map<string, string>();
  const protocolByArn = new Map<string, string>(Object.entries(options.listeners ?? {}).map(([arn, p]) => [arn, p.toUpperCase()]));
  for (const resource of [...prior, ...planned]) {
    if (!LISTENER_TYPES.has(resource.type)) continue;
    // AWS's default protocol for an ALB listener is HTTP.
    const protocol = typeof resource.values?.protocol === "string" ? resource.values.protocol.toUpperCase() : "HTTP";
    if (resource.mode !== "data") protocolByAddress.set(resource.address, protocol);
    if (typeof resource.values?.arn === "string") protocolByArn.set(resource.values.arn, protocol);
  }
  const references = listenerReferences(root.configuration?.root_module);
  const suppressed = new Set((options.suppressions ?? []).filter((s) => s.rule === "http-listener-rule").map((s) => s.address));

  const problems: PlanListenerRuleProblem[] = [];
  for (const rule of planned) {
    if (!RULE_TYPES.has(rule.type) || rule.mode === "data" || suppressed.has(configAddress(rule.address))) continue;
    const listenerArn = rule.values?.listener_arn;
    const referenced = (references.get(configAddress(rule.address)) ?? []).filter((address) => protocolByAddress.has(address));
    let protocols: string[];
    let listenerName: string;
    if (referenced.length > 0) {
      protocols = referenced.map((address) => protocolByAddress.get(address)!);
      listenerName = referenced.join(", ");
    } else if (typeof listenerArn === "string" && protocolByArn.has(listenerArn)) {
      protocols = [protocolByArn.get(listenerArn)!];
      listenerName = listenerArn;
    } else {
      problems.push({
        address: rule.address,
        kind: "unresolved-listener",
        message:
          `listener ${typeof listenerArn === "string" ? listenerArn : "(known only after apply)"} is not in the plan: ` +
          "pass its protocol in options.listeners so the rule can be checked",
      });
      continue;
    }
    // An expression over several listeners is checked against each of them: any HTTP one is enough to serve HTTP.
    if (!protocols.includes("HTTP")) continue;
    const problem = redirectProblem(rule.values?.action, "action");
    if (problem !== undefined) problems.push({ address: rule.address, kind: "http-listener-rule", message: `on HTTP listener ${listenerName}: ${problem}` });
  }
  return problems;
}

/** Listener ARN -> protocol of every listener a plan or state JSON shows, for `options.listeners` of another check. */
export function listenerProtocolsIn(planOrState: unknown): Record<string, string> {
  const json = planOrState as PlanJson & { values?: { root_module?: PlanModule } };
  const out: Record<string, string> = {};
  for (const module of [json.values?.root_module, json.prior_state?.values?.root_module, json.planned_values?.root_module]) {
    for (const resource of resourcesOf(module)) {
      if (LISTENER_TYPES.has(resource.type) && typeof resource.values?.arn === "string") {
        out[resource.values.arn] = typeof resource.values.protocol === "string" ? resource.values.protocol.toUpperCase() : "HTTP";
      }
    }
  }
  return out;
}

interface PlanResource {
  address: string;
  mode?: string;
  type: string;
  values?: Record<string, any>;
}

interface PlanModule {
  resources?: PlanResource[];
  child_modules?: PlanModule[];
}

interface ConfigModule {
  resources?: Array<{ address: string; type: string; expressions?: Record<string, { references?: string[] }> }>;
}

interface PlanJson {
  planned_values?: { root_module?: PlanModule };
  prior_state?: { values?: { root_module?: PlanModule } };
  configuration?: { root_module?: ConfigModule };
}

function resourcesOf(module: PlanModule | undefined): PlanResource[] {
  if (module === undefined) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(resourcesOf)];
}

/** Rule config address -> the listener resources its listener_arn expression references (root module). */
function listenerReferences(module: ConfigModule | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const resource of module?.resources ?? []) {
    if (!RULE_TYPES.has(resource.type)) continue;
    const refs = resource.expressions?.listener_arn?.references ?? [];
    // Terraform lists both `aws_lb_listener.x.arn` and `aws_lb_listener.x`; keep the resource addresses.
    const listeners = refs.filter((ref) => /^aws_(lb|alb)_listener\.[^.]+$/.test(ref));
    out.set(resource.address, [...new Set(listeners)]);
  }
  return out;
}

/** `aws_lb_listener_rule.x["a"]` (an instance) -> `aws_lb_listener_rule.x` (its configuration block). */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}
