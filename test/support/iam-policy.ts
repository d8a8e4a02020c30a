/**
 * Which of the emulator's logged API calls an IAM policy allows: a small, independent model of IAM's evaluation of
 * Allow statements, for checking the bootstrap roles against what a real deploy or plan calls. It matches actions
 * (IAM's wildcards, case-insensitive), resources (IAM's wildcards; a call logged with resource "*" is one IAM
 * authorizes on no particular resource, which only a statement with Resource "*" covers) and the condition operators
 * the policies use, on the condition keys the log models (see ApiCall.context). It fails closed: a statement with a
 * condition on a key the log does not model, or with an operator this model does not know, allows nothing, so a
 * policy can never pass here on a condition nobody checked.
 */
import { PolicyDocument, PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { ApiCall } from "./emulator-aws";

/** moto's service names, where IAM's action prefix differs. */
const IAM_PREFIX: Readonly<Record<string, string>> = { elbv2: "elasticloadbalancing" };

/** `elbv2 CreateListener` -> `elasticloadbalancing:CreateListener`. */
export function iamAction(call: ApiCall): string {
  return `${IAM_PREFIX[call.service] ?? call.service}:${call.action}`;
}

function wildcard(pattern: string, flags = ""): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, flags);
}

/** True when the IAM resource pattern (`*` and `?` wildcards) covers `arn`. */
export function resourceMatches(pattern: string, arn: string): boolean {
  return wildcard(pattern).test(arn);
}

type Context = ApiCall["context"];

/** A key the log models for this call: present, or a request tag where the call's tag keys are known. */
function modelled(key: string, context: Context): boolean {
  return key in context || (key.startsWith("aws:RequestTag/") && "aws:TagKeys" in context);
}

/** The condition operators this model evaluates; a statement using any other allows nothing here. */
export const MODELLED_OPERATORS = ["StringEquals", "StringLike", "ArnEquals", "ArnLike", "Bool"] as const;

function valueMatches(operator: string, expected: string, actual: string): boolean {
  if (operator === "StringEquals" || operator === "ArnEquals" || operator === "Bool") return expected === actual;
  if (operator === "StringLike" || operator === "ArnLike") return wildcard(expected).test(actual);
  return false;
}

/** IAM's semantics: a single-valued key must match one expected value (absent: no match); ForAllValues: every value
 * of the request's set matches one (an empty or absent set matches); ForAnyValue: at least one does. */
function conditionHolds(qualifiedOperator: string, key: string, expected: readonly string[], context: Context): boolean {
  const [qualifier, operator] = qualifiedOperator.includes(":") ? qualifiedOperator.split(":") : [undefined, qualifiedOperator];
  const raw = context[key] ?? null;
  const actual = raw === null ? [] : [raw].flat();
  const matchesOne = (value: string) => expected.some((e) => valueMatches(operator, e, value));
  if (qualifier === "ForAllValues") return actual.every(matchesOne);
  if (qualifier === "ForAnyValue") return actual.some(matchesOne);
  return raw !== null && !Array.isArray(raw) && matchesOne(raw);
}

function conditionsHold(statement: PolicyStatement, context: Context): boolean {
  return Object.entries(statement.Condition ?? {}).every(([qualifiedOperator, keys]) => {
    const operator = qualifiedOperator.split(":").pop()!;
    if (!(MODELLED_OPERATORS as readonly string[]).includes(operator)) return false;
    return Object.entries(keys).every(([key, values]) => modelled(key, context) && conditionHolds(qualifiedOperator, key, [values].flat().map(String), context));
  });
}

/** Whether one statement allows the call: an Allow whose action, resource and every condition match. */
export function statementAllows(statement: PolicyStatement, action: string, call: Pick<ApiCall, "resource" | "context">): boolean {
  if (statement.Effect !== "Allow") return false;
  if (![statement.Action].flat().some((pattern) => wildcard(pattern, "i").test(action))) return false;
  if (![statement.Resource ?? "*"].flat().some((pattern) => resourceMatches(pattern, call.resource))) return false;
  return conditionsHold(statement, call.context);
}

/** The calls no Allow statement of `policy` covers, as "<iam action> <resource> <context>" (sts:GetCallerIdentity
 * needs no permission). */
export function callsNotAllowed(policy: PolicyDocument, calls: readonly ApiCall[]): string[] {
  const denied = calls
    .filter((call) => iamAction(call) !== "sts:GetCallerIdentity")
    .filter((call) => !policy.Statement.some((statement) => statementAllows(statement, iamAction(call), call)))
    .map((call) => `${iamAction(call)} ${call.resource} ${JSON.stringify(call.context)}`);
  return [...new Set(denied)].sort();
}
