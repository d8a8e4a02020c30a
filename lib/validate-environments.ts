import { z } from "zod";
import { describeBadElbArn, parseAlbArn, parseTargetGroupArn } from "./arns";
import { dnsNameProblems, zoneApexFor } from "./dns-names";
import { DEFAULTS, EnvironmentConfig, KEY_ALGORITHMS } from "./environment-config";
import { allowsOnlyModernTls, findAlbTlsPolicy, MINIMUM_TLS_VERSION } from "./tls-policies";

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
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ENVIRONMENT_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const TERRAFORM_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Shape and types; the domain rules below run on whatever parts have the right shape. */
const environmentSchema = z
  .object({
    name: z.string(),
    region: z.string(),
    accountId: z.string().optional(),
    tags: z.record(z.string()).optional(),
    domainName: z.string(),
    subjectAlternativeNames: z.array(z.string()).optional(),
    hostedZones: z.record(z.string()),
    loadBalancerArn: z.string(),
    targetGroupArn: z.string().optional(),
    tlsPolicy: z.string().optional(),
    keyAlgorithm: z.string().optional(),
    validationTimeout: z.string().optional(),
    stateBackend: z
      .object({
        s3: z
          .object({
            bucket: z.string(),
            key: z.string().optional(),
            region: z.string().optional(),
            dynamodbTable: z.string().optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    maxCertificateNames: z.number().int().optional(),
  })
  .strict();

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
  if (isObject(raw) && typeof raw.name === "string" && ENVIRONMENT_NAME.test(raw.name)) return raw.name;
  return `environments[${index}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function singleEnvironmentProblems(raw: unknown, environment: string): ConfigProblem[] {
  if (!isObject(raw)) {
    return [{ environment, path: "", value: raw, message: `must be an object, not ${describeType(raw)}` }];
  }
  const problems: ConfigProblem[] = [];
  const add = (path: string, value: unknown, message: string) => problems.push({ environment, path, value, message });

  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const known = issue.path.length === 0 ? Object.keys(environmentSchema.shape) : [];
          const suggestion = closestName(key, known);
          add(
            formatPath([...issue.path, key]),
            valueAt(raw, [...issue.path, key]),
            `is not a known field${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`,
          );
        }
      } else {
        add(formatPath(issue.path), valueAt(raw, issue.path), describeIssue(issue));
      }
    }
  }
  // Domain rules: each runs only on a field whose type is right, so one mistake is not reported twice.
  const str = (key: string): string | undefined => (typeof raw[key] === "string" ? (raw[key] as string) : undefined);

  const name = str("name");
  if (name !== undefined && !ENVIRONMENT_NAME.test(name)) {
    add("name", name, "must be 1-32 lowercase letters, digits or inner hyphens, starting with a letter");
  }
  // An invalid region or account is reported once, here; the ARN checks below compare only against valid ones.
  let region = str("region");
  if (region !== undefined && !REGION.test(region)) {
    add("region", region, "is not an AWS region name (like us-east-1)");
    region = undefined;
  }
  let accountId = str("accountId");
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    add("accountId", accountId, "must be 12 digits");
    accountId = undefined;
  }

  if (isObject(raw.tags)) {
    for (const [key, value] of Object.entries(raw.tags)) {
      if (key.length === 0 || key.length > 128) add(`tags[${JSON.stringify(key)}]`, key, "tag key must be 1-128 characters");
      if (key.toLowerCase().startsWith("aws:")) add(`tags[${JSON.stringify(key)}]`, key, "tag keys starting with aws: are reserved");
      if (typeof value === "string" && value.length > 256) add(`tags[${JSON.stringify(key)}]`, value, "tag value must be at most 256 characters");
    }
  }

  // Hosted zones: apex names and IDs.
  const zones = isObject(raw.hostedZones) ? raw.hostedZones : undefined;
  const validApexes: string[] = [];
  if (zones !== undefined) {
    if (Object.keys(zones).length === 0) add("hostedZones", zones, "must name at least one hosted zone");
    for (const [apex, id] of Object.entries(zones)) {
      const path = `hostedZones[${JSON.stringify(apex)}]`;
      const apexProblems = dnsNameProblems(apex, { allowWildcard: false });
      apexProblems.forEach((problem) => add(path, apex, `zone apex ${problem}`));
      if (apexProblems.length === 0) validApexes.push(apex);
      if (typeof id === "string" && !HOSTED_ZONE_ID.test(id)) {
        add(path, id, id.startsWith("/hostedzone/")
          ? "hosted zone ID must be the bare ID, without the /hostedzone/ prefix"
          : "is not a Route53 hosted zone ID (Z followed by uppercase letters and digits)");
      }
    }
  }

  // Certificate names: syntax, duplicates, quota, zone membership.
  const domainName = str("domainName");
  const sans = raw.subjectAlternativeNames;
  const sanList = Array.isArray(sans) ? sans : undefined;
  // `isDefault`: the name comes from the `*.<domainName>` default, not from the configuration.
  const named: Array<{ path: string; name: string; isDefault: boolean }> = [];
  if (domainName !== undefined) named.push({ path: "domainName", name: domainName, isDefault: false });
  if (sanList !== undefined) {
    sanList.forEach((san, i) => typeof san === "string" && named.push({ path: `subjectAlternativeNames[${i}]`, name: san, isDefault: false }));
  } else if (sans === undefined && domainName !== undefined) {
    named.push({ path: "subjectAlternativeNames (default)", name: `*.${domainName}`, isDefault: true });
  }
  const domainNameValid = domainName !== undefined && dnsNameProblems(domainName, { allowWildcard: true }).length === 0;
  const firstPath = new Map<string, string>();
  for (const { path, name: certName, isDefault } of named) {
    // The default wildcard SAN only repeats problems already reported on domainName.
    if (isDefault && !domainNameValid) continue;
    const syntax = dnsNameProblems(certName, { allowWildcard: true });
    const hint = isDefault ? " (the default *.<domainName>; list subjectAlternativeNames explicitly)" : "";
    syntax.forEach((problem) => add(path, certName, `${problem}${hint}`));
    if (firstPath.has(certName)) {
      add(path, certName, `duplicate of ${firstPath.get(certName)}`);
    } else {
      firstPath.set(certName, path);
    }
    // The default "*.<domainName>" lies in domainName's zone, so its zone is checked on domainName alone.
    const zoneChecked = syntax.length === 0 && !isDefault && validApexes.length > 0;
    if (zoneChecked && zoneApexFor(certName, validApexes) === undefined) {
      add(path, certName, `is under no configured hosted zone (zones: ${validApexes.join(", ")})`);
    }
  }
  // A non-integer maxCertificateNames is reported by the schema; an out-of-range one here. Either way the quota check
  // below is skipped, since "more than maxCertificateNames (0)" would only repeat that problem.
  const rawMax = raw.maxCertificateNames;
  let maxNames: number | undefined = rawMax === undefined ? DEFAULTS.maxCertificateNames : undefined;
  if (typeof rawMax === "number" && Number.isInteger(rawMax)) {
    if (rawMax < 1 || rawMax > 100) add("maxCertificateNames", rawMax, "must be between 1 and 100 (ACM's hard limit is 100)");
    else maxNames = rawMax;
  }
  if (maxNames !== undefined && named.length > maxNames) {
    add(
      "subjectAlternativeNames",
      sans,
      `certificate would have ${named.length} names (domainName and ${named.length - 1} more), more than maxCertificateNames (${maxNames}); ask AWS for a higher ACM quota and raise maxCertificateNames`,
    );
  }

  // Load balancer and target group ARNs.
  const albArnText = str("loadBalancerArn");
  const alb = albArnText === undefined ? undefined : parseAlbArn(albArnText);
  if (albArnText !== undefined && alb === undefined) add("loadBalancerArn", albArnText, describeBadElbArn(albArnText, "loadbalancer/app"));
  if (alb !== undefined) {
    if (region !== undefined && alb.region !== region) add("loadBalancerArn", albArnText, `region ${alb.region} does not match environment region ${region}`);
    if (accountId !== undefined && alb.account !== accountId) add("loadBalancerArn", albArnText, `account ${alb.account} does not match accountId ${accountId}`);
  }
  const tgArnText = str("targetGroupArn");
  if (tgArnText !== undefined) {
    const tg = parseTargetGroupArn(tgArnText);
    if (tg === undefined) {
      add("targetGroupArn", tgArnText, describeBadElbArn(tgArnText, "targetgroup"));
    } else {
      // Compared with the load balancer when it agrees with the environment, else with the environment: a load
      // balancer in the wrong region or account is reported on loadBalancerArn, not again on a target group that is right.
      const albRegionAgrees = alb !== undefined && (region === undefined || alb.region === region);
      if (albRegionAgrees && tg.region !== alb.region) add("targetGroupArn", tgArnText, `region ${tg.region} differs from the load balancer's region ${alb.region}`);
      else if (!albRegionAgrees && region !== undefined && tg.region !== region) add("targetGroupArn", tgArnText, `region ${tg.region} does not match environment region ${region}`);
      const albAccountAgrees = alb !== undefined && (accountId === undefined || alb.account === accountId);
      if (albAccountAgrees && tg.account !== alb.account) add("targetGroupArn", tgArnText, `account ${tg.account} differs from the load balancer's account ${alb.account}`);
      else if (!albAccountAgrees && accountId !== undefined && tg.account !== accountId) add("targetGroupArn", tgArnText, `account ${tg.account} does not match accountId ${accountId}`);
    }
  }

  // TLS policy, key algorithm, timeout.
  const tlsPolicy = str("tlsPolicy");
  if (tlsPolicy !== undefined) {
    const policy = findAlbTlsPolicy(tlsPolicy);
    if (policy === undefined) add("tlsPolicy", tlsPolicy, "is not a predefined ALB security policy (see lib/tls-policies.ts)");
    else if (!allowsOnlyModernTls(policy)) add("tlsPolicy", tlsPolicy, `allows ${policy.minTlsVersion}; the minimum is ${MINIMUM_TLS_VERSION}`);
  }
  const keyAlgorithm = str("keyAlgorithm");
  if (keyAlgorithm !== undefined && !(KEY_ALGORITHMS as readonly string[]).includes(keyAlgorithm)) {
    add("keyAlgorithm", keyAlgorithm, `must be one of ${KEY_ALGORITHMS.join(", ")}`);
  }
  const timeout = str("validationTimeout");
  if (timeout !== undefined && (!TERRAFORM_DURATION.test(timeout) || !/[1-9]/.test(timeout))) {
    add("validationTimeout", timeout, 'must be a positive Terraform duration like "30m" or "1h30m"');
  }

  // State backend.
  const s3 = isObject(raw.stateBackend) && isObject(raw.stateBackend.s3) ? raw.stateBackend.s3 : undefined;
  if (s3 !== undefined) {
    if (typeof s3.bucket === "string" && (!S3_BUCKET.test(s3.bucket) || s3.bucket.includes(".."))) {
      add("stateBackend.s3.bucket", s3.bucket, "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
    }
    if (typeof s3.key === "string" && (s3.key.length === 0 || s3.key.startsWith("/"))) {
      add("stateBackend.s3.key", s3.key, "must be a non-empty key without a leading slash");
    }
    if (typeof s3.region === "string" && !REGION.test(s3.region)) add("stateBackend.s3.region", s3.region, "is not an AWS region name (like us-east-1)");
    if (typeof s3.dynamodbTable === "string" && !/^[A-Za-z0-9_.-]{3,255}$/.test(s3.dynamodbTable)) {
      add("stateBackend.s3.dynamodbTable", s3.dynamodbTable, "is not a valid DynamoDB table name");
    }
  }
  return problems;
}

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.received === "undefined") return "is required";
    const received = issue.received === "nan" ? "NaN" : issue.received === "null" ? "null" : article(issue.received);
    return `must be ${article(issue.expected)}, not ${received}`;
  }
  return issue.message.toLowerCase();
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
    if (text === "hostedZones" || text === "tags") return `${text}[${JSON.stringify(part)}]`;
    return text === "" ? part : `${text}.${part}`;
  }, "");
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((value, part) => (isObject(value) || Array.isArray(value) ? (value as never)[part] : undefined), root);
}
