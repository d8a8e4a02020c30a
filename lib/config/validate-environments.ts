import { z } from "zod";
import { parseAlbArn } from "../aws/arns";
import { scheduleDate } from "../aws/certificate-lifetimes";
import { dnsNameProblems } from "../aws/dns-names";
import { certificateNames, DEFAULTS, EnvironmentConfig } from "./environment-config";
import { FIELDS, FieldSpec, ValidationContext } from "./fields";
import { isAccountId } from "./fields/account-id";
import { isObject } from "./fields/field";
import { validZoneApexes } from "./fields/hosted-zones";
import { isKeyAlgorithm } from "./fields/key-algorithm";
import { effectiveMaxCertificateNames } from "./fields/max-certificate-names";
import { isEnvironmentName } from "./fields/name";
import { isRegion } from "./fields/region";

/** One thing wrong with one field of one environment. */
export interface ConfigProblem {
  /** The environment's name, or `environments[<index>]` when the name itself is unusable. */
  readonly environment: string;
  /** Field path, e.g. `subjectAlternativeNames[1]` or `hostedZones["example.com"]`. */
  readonly path: string;
  /** The offending value. */
  readonly value: unknown;
  /** What is wrong, as a phrase. */
  readonly message: string;
}

/** Thrown when any environment is invalid; lists every problem of every environment. */
export class EnvironmentConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "EnvironmentConfigError";
  }
}

/** Renders problems grouped by environment, one line each: `path "value": message`. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  const byEnvironment = new Map<string, ConfigProblem[]>();
  for (const problem of problems) {
    byEnvironment.set(problem.environment, [...(byEnvironment.get(problem.environment) ?? []), problem]);
  }
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  const sections = [...byEnvironment.entries()].map(
    ([environment, list]) =>
      `environment ${environment}:\n` +
      list.map((p) => `  - ${problemHead(p)}: ${p.message}`).join("\n"),
  );
  return `Invalid environment configuration (${count}):\n${sections.join("\n")}`;
}

/** `path "value"`; a missing field is its path alone, a whole environment (empty path) its value alone. */
function problemHead(problem: ConfigProblem): string {
  if (problem.path === "") return showValue(problem.value);
  return problem.value === undefined ? problem.path : `${problem.path} ${showValue(problem.value)}`;
}

function showValue(value: unknown): string {
  // A long name is shown as its quoted start and its length, which is usually what is wrong with it.
  if (typeof value === "string" && value.length > 100) return `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function safeJson(value: unknown): string {
  // JSON.stringify turns Infinity and NaN into "null", which would misreport the value.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? safeString(value);
  } catch {
    // A bigint or a cycle inside; and String() throws too on an object without a prototype or an array holding a symbol.
    return safeString(value);
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The whole environment's shape: each field's schema, and no unknown fields. */
const environmentSchema = z.object(
  Object.fromEntries(Object.entries(FIELDS).map(([field, spec]) => [field, spec.schema])) as Record<keyof EnvironmentConfig, z.ZodTypeAny>,
).strict();

/**
 * Validates every environment and throws one `EnvironmentConfigError` listing every problem found.
 * Call it before creating any construct, so a bad configuration never produces partial output.
 */
export function validateEnvironments(environments: readonly unknown[]): asserts environments is EnvironmentConfig[] {
  const problems = environmentProblems(environments);
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
}

/** Every problem in the given environments (empty when all are valid). */
export function environmentProblems(environments: readonly unknown[]): ConfigProblem[] {
  if (!Array.isArray(environments)) {
    return [{ environment: "environments", path: "", value: environments, message: "must be an array of environments" }];
  }
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  environments.forEach((raw, index) => {
    const name = isObject(raw) && typeof raw.name === "string" ? raw.name : undefined;
    // A repeated name does not identify an environment: the second "prod" is reported as environments[<index>].
    const label = name !== undefined && seen.has(name) ? `environments[${index}]` : environmentLabel(raw, index);
    problems.push(...singleEnvironmentProblems(raw, label));
    if (name !== undefined) {
      if (seen.has(name)) {
        problems.push({
          environment: label,
          path: "name",
          value: name,
          message: `duplicate environment name (also environments[${seen.get(name)}])`,
        });
      } else {
        seen.set(name, index);
      }
    }
  });
  return problems;
}

function environmentLabel(raw: unknown, index: number): string {
  if (isObject(raw) && typeof raw.name === "string" && isEnvironmentName(raw.name)) return raw.name;
  return `environments[${index}]`;
}

/**
 * One environment's problems: first its shape (every field's schema at once, unknown fields with a suggestion), then
 * each field's domain rules (lib/config/fields/), run only on fields whose shape is right, so no mistake is reported twice.
 */
function singleEnvironmentProblems(raw: unknown, environment: string): ConfigProblem[] {
  if (!isObject(raw)) {
    return [{ environment, path: "", value: raw, message: `must be an object, not ${describeType(raw)}` }];
  }
  const problems: ConfigProblem[] = [];
  const add = (path: string, value: unknown, message: string) => problems.push({ environment, path, value, message });

  const shapeProblemFields = new Set<string>();
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const known = issue.path.length === 0 ? Object.keys(FIELDS) : [];
          const suggestion = closestName(key, known);
          add(
            formatPath([...issue.path, key]),
            valueAt(raw, [...issue.path, key]),
            `is not a known field${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`,
          );
        }
        if (issue.path.length > 0) shapeProblemFields.add(String(issue.path[0]));
      } else {
        add(formatPath(issue.path), valueAt(raw, issue.path), describeIssue(issue));
        shapeProblemFields.add(String(issue.path[0]));
      }
    }
  }

  const context = validationContext(raw);
  for (const [field, spec] of Object.entries(FIELDS) as Array<[string, FieldSpec<keyof EnvironmentConfig>]>) {
    const value = raw[field];
    if (value === undefined || shapeProblemFields.has(field) || spec.rules === undefined) continue;
    for (const problem of spec.rules(value as never, context)) add(problem.path, problem.value, problem.message);
  }
  return problems;
}

/** What each field establishes for the others' cross-field rules; only values that are themselves valid. */
function validationContext(raw: Record<string, unknown>): ValidationContext {
  const text = (key: string): string | undefined => (typeof raw[key] === "string" ? (raw[key] as string) : undefined);
  const region = text("region") !== undefined && isRegion(text("region")!) ? text("region") : undefined;
  const accountId = text("accountId") !== undefined && isAccountId(text("accountId")!) ? text("accountId") : undefined;
  const loadBalancer = text("loadBalancerArn") === undefined ? undefined : parseAlbArn(text("loadBalancerArn")!);
  const agrees =
    loadBalancer !== undefined &&
    (region === undefined || loadBalancer.region === region) &&
    (accountId === undefined || loadBalancer.account === accountId);
  return {
    raw,
    region,
    accountId,
    zoneApexes: isObject(raw.hostedZones) ? validZoneApexes(raw.hostedZones) : [],
    loadBalancer,
    agreeingLoadBalancer: agrees ? loadBalancer : undefined,
    maxCertificateNames: effectiveMaxCertificateNames(raw.maxCertificateNames),
    certificateNames: validCertificateNames(raw),
    keyAlgorithm: raw.keyAlgorithm === undefined ? DEFAULTS.keyAlgorithm : isKeyAlgorithm(raw.keyAlgorithm) ? raw.keyAlgorithm : undefined,
    asOf: scheduleDate(),
  };
}

function validCertificateNames(raw: Record<string, unknown>): string[] | undefined {
  const sans = raw.subjectAlternativeNames;
  if (typeof raw.domainName !== "string" || !(sans === undefined || (Array.isArray(sans) && sans.every((s) => typeof s === "string")))) return undefined;
  const names = certificateNames({ domainName: raw.domainName, subjectAlternativeNames: sans as string[] | undefined });
  return names.every((n) => dnsNameProblems(n, { allowWildcard: true }).length === 0) ? names : undefined;
}

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.received === "undefined") return "is required";
    const received = issue.received === "nan" ? "NaN" : issue.received === "null" ? "null" : article(issue.received);
    return `must be ${article(issue.expected)}, not ${received}`;
  }
  // Our own messages (custom issues) are already phrases and name fields in their spelling; zod's start capitalised.
  return issue.code === "custom" ? issue.message : issue.message.toLowerCase();
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}

/** The known name a misspelt field most likely meant (same letters ignoring case, or at most two edits away). */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    // The distance is at least the difference in length: skip those, so a huge key costs no quadratic work.
    if (Math.abs(candidate.length - name.length) > 2) continue;
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(candidate, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    // An empty key (an unknown one) would vanish from the path: `[""]` still names it.
    if (text === "hostedZones" || text === "tags" || part === "") return `${text}[${JSON.stringify(part)}]`;
    return text === "" ? part : `${text}.${part}`;
  }, "");
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((value, part) => (isObject(value) || Array.isArray(value) ? (value as never)[part] : undefined), root);
}
