/**
 * The invariants of configuration validation, checked on one generated input (test/support/config-arbitraries.ts),
 * and a seeded, reproducible runner for them. Used by test/config/validation.property.test.ts (the full run, slow
 * project) and test/config/validation-properties.test.ts (a sample, fast project).
 *
 * For every input:
 * 1. `environmentProblems` never throws, and `validateEnvironments` throws nothing but the `EnvironmentConfigError`
 *    with the same problems (and a message that renders), or nothing when there are none;
 * 2. every problem names its environment (its name, or `environments[<i>]`), and a path that starts at a
 *    configuration field or at an unknown key of that environment (only a non-object environment has the empty path);
 *    every unknown top-level key is reported at its own path, with a suggestion when it is one edit from a field;
 * 3. validation is repeatable and leaves its input as it was;
 * 4. nothing is written to a builtin object (Object.prototype and the others, see builtin-prototypes.ts).
 * For an input that validates (and is drawn to be synthesized, see `environmentsInput`):
 * 5. `synthesizeEnvironments` (the app's path: build every stack, the TLS guard, cdktf's validations, write) succeeds,
 *    and each stack carries the configuration: the region, every tag, every certificate's names, and each free-text
 *    value (tags, S3 keys, iodef, e-mail) verbatim and free of `${`/`%{`, which Terraform would read as a template
 *    (https://developer.hashicorp.com/terraform/language/syntax/json, ".../expressions/strings").
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "util";
import {
  ConfigProblem,
  EnvironmentConfig,
  EnvironmentConfigError,
  environmentProblems,
  TlsGuardError,
  validateEnvironments,
} from "../../lib";
import { FIELDS } from "../../lib/config/fields";
import { isEnvironmentName } from "../../lib/config/fields/name";
import { BuiltinSnapshot, builtinChanges, captureBuiltins, restoreBuiltins } from "./builtin-prototypes";
import { configPaths, EDGE_MUTATION_KINDS, EnvironmentsInput, Mutation } from "./config-arbitraries";
import { synthToTemp } from "./synth";

const FIELD_NAMES = new Set(Object.keys(FIELDS));
/** Tags the stack sets itself, over the configured ones (documented on `tags`). */
const STACK_TAGS = new Set(["environment", "managed-by", "stack"]);

/** What a run saw, for the report and for the share checks. */
export class RunStats {
  inputs = 0;
  environments = 0;
  validatedInputs = 0;
  /** Environments (checked one by one) that validate, by how they were made. */
  validatedUnmutated = 0;
  unmutated = 0;
  validatedMutated = 0;
  mutated = 0;
  synthesizedInputs = 0;
  synthesizedStacks = 0;
  problems = 0;
  readonly mutationKinds = new Map<Mutation["kind"], number>();
  /** Configuration paths seen in environments that validated, and in those synthesized. */
  readonly validatedPaths = new Set<string>();
  readonly synthesizedPaths = new Set<string>();

  summary(): string {
    const share = (a: number, b: number) => `${a}/${b} (${b === 0 ? 0 : Math.round((100 * a) / b)}%)`;
    return [
      `inputs ${this.inputs}, environments ${this.environments}, problems reported ${this.problems}`,
      `inputs that validated: ${share(this.validatedInputs, this.inputs)}`,
      `unmutated environments that validated: ${share(this.validatedUnmutated, this.unmutated)}`,
      `mutated environments that validated: ${share(this.validatedMutated, this.mutated)}`,
      `synthesized: ${this.synthesizedInputs} inputs, ${this.synthesizedStacks} stacks (every input that validated with an edge-mutated environment or a path not synthesized before, a drawn share of the rest)`,
      `mutations: ${[...this.mutationKinds].map(([kind, n]) => `${kind} ${n}`).join(", ")}`,
    ].join("\n");
  }
}

class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantError";
  }
}

function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantError(message());
}

/** Checks every invariant on one input; throws an InvariantError (or what the code under test threw) on the first broken one. */
export function checkInput(
  input: EnvironmentsInput,
  stats?: RunStats,
  options: { readonly builtins: boolean; readonly synthesize: boolean } = { builtins: true, synthesize: true },
): void {
  const { environments } = input;
  const before = options.builtins ? captureBuiltins() : undefined;
  const fingerprintBefore = fingerprint(environments);

  let problems: ConfigProblem[];
  try {
    problems = environmentProblems(environments as unknown[]);
  } catch (error) {
    throw new InvariantError(`environmentProblems threw: ${describe(error)}`);
  }
  check(Array.isArray(problems), () => "environmentProblems returned no array");
  for (const problem of problems) {
    check(
      typeof problem.environment === "string" && typeof problem.path === "string" && typeof problem.message === "string" && problem.message.length > 0,
      () => `malformed problem ${describe(problem)}`,
    );
  }
  check(isDeepStrictEqual(environmentProblems(environments as unknown[]), problems), () => "a second validation of the same input gave other problems");

  let thrown: unknown;
  try {
    validateEnvironments(environments as unknown[]);
  } catch (error) {
    thrown = error;
  }
  if (problems.length === 0) {
    check(thrown === undefined, () => `validateEnvironments threw with no problems: ${describe(thrown)}`);
  } else {
    check(thrown instanceof EnvironmentConfigError, () => `validateEnvironments threw ${describe(thrown)} instead of an EnvironmentConfigError`);
    check(isDeepStrictEqual(thrown.problems, problems), () => "EnvironmentConfigError lists other problems than environmentProblems");
    check(thrown.message.includes(`(${problems.length} problem`), () => `EnvironmentConfigError message does not count the problems: ${thrown.message.slice(0, 300)}`);
  }

  checkPaths(environments, problems);
  check(sameFingerprint(fingerprint(environments), fingerprintBefore), () => "validation changed its input");
  if (before !== undefined) checkBuiltins(before, "validation");

  // Each environment on its own (the input's own problems when it is the only one).
  const single = input.cases.length === 1 && Array.isArray(environments) && environments.length === 1;
  const valid = input.cases.map((c) => (single ? problems : environmentProblems([c.environment])).length === 0);
  // The valid generators' environments must validate on their own (else the generator or the validator is wrong).
  input.cases.forEach((c, i) => {
    check(c.mutations.length > 0 || valid[i], () => `a configuration from the valid generators is refused: ${describe(environmentProblems([c.environment]))}`);
  });
  const edge = input.cases.some((c) => c.mutations.length > 0 && c.mutations.every((m) => EDGE_MUTATION_KINDS.has(m.kind)));
  // A configuration path no synthesized input of this run has carried yet makes a validating input synthesized too, so
  // every field that validates reaches synthesis in every run (with the drawn share alone, 2 of 40 seeds tried
  // missed one: `expiryAlarm.topic`, `expiryAlarm.email`). Without stats (a replay), every validating input is new.
  const novel = () =>
    stats === undefined || (environments as unknown[]).some((environment) => configPaths(environment).some((path) => !stats.synthesizedPaths.has(path)));
  if (stats !== undefined) record(stats, input, problems, valid);
  if (problems.length === 0 && options.synthesize && (input.synthesize || edge || novel())) {
    checkSynthesis(environments as EnvironmentConfig[]);
    if (stats !== undefined) {
      stats.synthesizedInputs++;
      stats.synthesizedStacks += (environments as unknown[]).length;
      for (const environment of environments as unknown[]) for (const path of configPaths(environment)) stats.synthesizedPaths.add(path);
    }
    if (before !== undefined) checkBuiltins(before, "synthesis");
  }
}

/** Fails when `what` wrote to a builtin, after putting the builtins back (so the next input starts clean). */
function checkBuiltins(before: BuiltinSnapshot, what: string): void {
  const changed = builtinChanges(before);
  if (changed.length > 0) restoreBuiltins(before);
  check(changed.length === 0, () => `${what} wrote to builtins: ${changed.join("; ")}`);
}

function record(stats: RunStats, input: EnvironmentsInput, problems: readonly ConfigProblem[], validCases: readonly boolean[]): void {
  stats.inputs++;
  stats.problems += problems.length;
  if (problems.length === 0) stats.validatedInputs++;
  for (const [i, c] of input.cases.entries()) {
    stats.environments++;
    const valid = validCases[i];
    if (c.mutations.length === 0) {
      stats.unmutated++;
      if (valid) stats.validatedUnmutated++;
    } else {
      stats.mutated++;
      if (valid) stats.validatedMutated++;
    }
    for (const m of c.mutations) stats.mutationKinds.set(m.kind, (stats.mutationKinds.get(m.kind) ?? 0) + 1);
    if (valid) for (const path of configPaths(c.environment)) stats.validatedPaths.add(path);
  }
}

/** An object the validator reads field by field (what lib's isObject accepts). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A plain object: what zod parses as one (a Date, a Map, ... are reported as a whole). */
function isPlainObject(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The index of the environment a problem's label names (its name when that was usable and first, else environments[i]). */
function environmentIndex(environments: readonly unknown[], label: string): number | undefined {
  const indexed = /^environments\[(\d+)\]$/.exec(label);
  if (indexed !== null) return Number(indexed[1]) < environments.length ? Number(indexed[1]) : undefined;
  const index = environments.findIndex((e) => isRecord(e) && e.name === label);
  return index >= 0 && isEnvironmentName(label) ? index : undefined;
}

/** Whether a path starts at `root`: the root itself, then nothing, a member, an index or a remark. */
function startsAt(path: string, root: string): boolean {
  return [root, `[${JSON.stringify(root)}]`].some((head) => path === head || [".", "[", " "].some((separator) => path.startsWith(head + separator)));
}

function checkPaths(environments: unknown, problems: readonly ConfigProblem[]): void {
  if (!Array.isArray(environments)) {
    check(
      problems.length === 1 && problems[0].environment === "environments" && problems[0].path === "",
      () => `a non-array input must give one problem for "environments", got ${describe(problems)}`,
    );
    return;
  }
  for (const problem of problems) {
    const index = environmentIndex(environments, problem.environment);
    check(index !== undefined, () => `problem names no environment of the input: ${describe(problem)}`);
    const environment = environments[index];
    if (problem.path === "") {
      check(!isPlainObject(environment), () => `problem with an empty path on an object environment: ${describe(problem)}`);
      continue;
    }
    // for...in: zod reads an object's inherited enumerable keys too (an environment made with Object.create(base)).
    const roots = [...FIELD_NAMES, ...(isRecord(environment) ? enumerableKeys(environment) : [])];
    check(
      roots.some((root) => startsAt(problem.path, root)),
      () => `path ${JSON.stringify(problem.path)} starts at neither a field nor an unknown key: ${describe(problem)}`,
    );
  }
  environments.forEach((environment, index) => {
    if (!isPlainObject(environment)) return;
    const label = problemsLabel(environments, index);
    for (const key of Object.keys(environment as object)) {
      if (FIELD_NAMES.has(key)) continue;
      const reported = problems.find((p) => p.environment === label && (p.path === key || p.path === `[${JSON.stringify(key)}]`));
      check(reported !== undefined, () => `unknown key ${JSON.stringify(key)} of ${label} is not reported at its own path`);
      const near = [...FIELD_NAMES].find((field) => field.toLowerCase() === key.toLowerCase() || levenshtein(field, key) <= 1);
      check(near === undefined || /did you mean /.test(reported.message), () => `unknown key ${JSON.stringify(key)} is one edit from ${near} but no field is suggested: ${describe(reported)}`);
    }
  });
}

function enumerableKeys(value: object): string[] {
  const keys: string[] = [];
  for (const key in value) keys.push(key);
  return keys;
}

/** The label validation gives the environment at `index` (its name when usable and not a repeat). */
function problemsLabel(environments: readonly unknown[], index: number): string {
  const environment = environments[index];
  const name = isRecord(environment) && typeof environment.name === "string" ? environment.name : undefined;
  const first = name === undefined ? -1 : environments.findIndex((e) => isRecord(e) && e.name === name);
  return name !== undefined && first === index && isEnvironmentName(name) ? name : `environments[${index}]`;
}

/** Edit distance (insertions, deletions, substitutions), written here independently of the validator's. */
export function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return rows[a.length][b.length];
}

/** Synthesizes valid environments the way the app does, and checks that each stack says what its configuration says. */
function checkSynthesis(environments: readonly EnvironmentConfig[]): void {
  let out: ReturnType<typeof synthToTemp> | undefined;
  try {
    try {
      out = synthToTemp(environments);
    } catch (error) {
      if (error instanceof TlsGuardError) throw new InvariantError(`a valid configuration fails the TLS guard: ${error.message}`);
      throw new InvariantError(`a valid configuration fails to synthesize: ${describe(error)}`);
    }
    for (const environment of environments) checkStack(environment, out.stackJson(environment.name));
  } finally {
    out?.cleanup();
  }
}

function checkStack(config: EnvironmentConfig, stack: any): void {
  const provider = stack.provider?.aws?.find((p: any) => p.alias === undefined);
  check(provider?.region === config.region, () => `${config.name}: provider region ${provider?.region} is not ${config.region}`);
  const tags: Record<string, unknown> = provider.default_tags?.[0]?.tags ?? {};
  for (const key of Object.keys(config.tags ?? {})) {
    if (STACK_TAGS.has(key)) continue;
    check(
      Object.prototype.hasOwnProperty.call(tags, key) && tags[key] === config.tags![key],
      () => `${config.name}: tag ${JSON.stringify(key)}=${JSON.stringify(config.tags![key])} is not in the provider's default tags ${JSON.stringify(tags)}`,
    );
  }
  const certificates = Object.values<any>(stack.resource?.aws_acm_certificate ?? {}).map((c) => JSON.stringify([c.domain_name, ...[...(c.subject_alternative_names ?? [])].sort()]));
  const expected = [config, ...(config.additionalCertificates ?? [])].map((c) =>
    JSON.stringify([c.domainName, ...[...(c.subjectAlternativeNames ?? [`*.${c.domainName}`])].sort()]),
  );
  for (const names of expected) check(certificates.includes(names), () => `${config.name}: no certificate for ${names} among ${certificates.join(", ")}`);

  const strings = new Set<string>();
  collectStrings(stack, strings);
  for (const [where, value] of freeText(config)) {
    check(!/[$%]\{/.test(value), () => `${config.name}: ${where} ${JSON.stringify(value)} reaches Terraform, which reads "\${" and "%{" as a template`);
    check([...strings].some((s) => s.includes(value)), () => `${config.name}: ${where} ${JSON.stringify(value)} is not in the synthesized stack verbatim`);
  }
}

/** The configured free-text values this environment's own stack writes (where they are not validated to a charset). */
function freeText(config: EnvironmentConfig): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(config.tags ?? {})) {
    if (STACK_TAGS.has(key)) continue;
    found.push([`tags key`, key], [`tags[${JSON.stringify(key)}]`, value]);
  }
  if (config.mutualTls?.mode === "verify") found.push(["mutualTls.trustStore.key", config.mutualTls.trustStore.key]);
  if (config.stateBackend?.s3.key !== undefined) found.push(["stateBackend.s3.key", config.stateBackend.s3.key]);
  if (config.caa?.iodef !== undefined) found.push(["caa.iodef", config.caa.iodef]);
  const alarm = config.expiryAlarm;
  if (alarm !== undefined && alarm !== false && alarm.email !== undefined && alarm.snsTopicArn === undefined && alarm.topic !== "bootstrap") {
    found.push(["expiryAlarm.email", alarm.email]);
  }
  return found;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (typeof value === "object" && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      into.add(key);
      collectStrings(member, into);
    }
  }
}

/**
 * A list that changes when anything reachable through own properties changes: keys (symbols too), attributes,
 * primitive values (-0 and NaN told apart), prototypes and extensibility; objects by their first-seen order, so two
 * fingerprints of the same graph match and cycles end. Compare two with `sameFingerprint`.
 */
export function fingerprint(root: unknown): unknown[] {
  const ids = new Map<unknown, number>();
  const parts: unknown[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== "object" && typeof value !== "function") {
      parts.push(typeof value, Object.is(value, -0) ? "-0" : value);
      return;
    }
    if (value === null) {
      parts.push(null);
      return;
    }
    if (ids.has(value)) {
      parts.push("@", ids.get(value));
      return;
    }
    ids.set(value, ids.size);
    parts.push("{", Object.getPrototypeOf(value), Object.isExtensible(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
      parts.push(key, descriptor.enumerable, descriptor.writable, descriptor.configurable, descriptor.get, descriptor.set);
      if ("value" in descriptor) visit(descriptor.value);
    }
    parts.push("}");
  };
  visit(root);
  return parts;
}

export function sameFingerprint(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((part, i) => Object.is(part, b[i]));
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message.slice(0, 2000)}${value.stack ? `\n${value.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  try {
    return fc.stringify(value).slice(0, 2000);
  } catch {
    return String(value);
  }
}

/** The seed, the replay path and the number of runs: FC_SEED / FC_PATH / FC_RUNS when set, else a fresh seed. */
export function runParameters(defaultRuns: number): { seed: number; path?: string; numRuns: number } {
  const seed = process.env.FC_SEED !== undefined && process.env.FC_SEED !== "" ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED ${JSON.stringify(process.env.FC_SEED)}: not an integer`);
  const numRuns = process.env.FC_RUNS !== undefined && process.env.FC_RUNS !== "" ? Number(process.env.FC_RUNS) : defaultRuns;
  const path = process.env.FC_PATH !== undefined && process.env.FC_PATH !== "" ? process.env.FC_PATH : undefined;
  return { seed, numRuns, ...(path !== undefined ? { path } : {}) };
}

/**
 * Runs `checkInput` on `numRuns` inputs (seed, replay path and count from FC_SEED / FC_PATH / FC_RUNS, see
 * runParameters) and throws, on the first broken invariant, fast-check's report (the shrunk counterexample, the error,
 * the seed and the path) with the command that replays it. Returns what the run saw.
 *
 * Two costs are kept out of the common path:
 * - builtins are compared once for the whole run (a snapshot costs ~2 ms, more than validating); when the run changed
 *   them, they are restored and the run is repeated with the same seed, comparing after every input, so the report
 *   names the input that did it;
 * - a failure is found without shrinking, then replayed from its path and shrunk for at most SHRINK_TIME_LIMIT_MS:
 *   shrinking a failure in synthesis synthesizes hundreds of candidates (measured: over 6 minutes unbounded).
 */
export function runConfigurationProperty(
  arbitrary: fc.Arbitrary<EnvironmentsInput>,
  options: {
    readonly defaultRuns: number;
    readonly testFile: string;
    readonly project: "fast" | "slow";
    /** Synthesize what validates (as EnvironmentsInput.synthesize draws); false checks validation only. */
    readonly synthesize: boolean;
  },
): RunStats {
  const parameters = runParameters(options.defaultRuns);
  const { synthesize } = options;
  const stats = new RunStats();
  const before = captureBuiltins();
  const found = fc.check(
    fc.property(arbitrary, (input) => checkInput(input, stats, { builtins: false, synthesize })),
    { ...parameters, endOnFailure: true, includeErrorInReport: true },
  );
  let failure: fc.RunDetails<[EnvironmentsInput]> | undefined = found.failed ? found : undefined;
  const runChanges = failure === undefined ? builtinChanges(before) : [];
  if (runChanges.length > 0) {
    restoreBuiltins(before);
    // Fresh stats, so the same inputs are synthesized as in the first run.
    const replayStats = new RunStats();
    const again = fc.check(fc.property(arbitrary, (input) => checkInput(input, replayStats, { builtins: true, synthesize })), {
      ...parameters,
      endOnFailure: true,
      includeErrorInReport: true,
    });
    failure = again.failed ? again : undefined;
    if (failure === undefined) throw new Error(`the run (seed ${parameters.seed}) wrote to builtins (${runChanges.join("; ")}), and no single input did when replayed`);
  }
  if (failure === undefined) return stats;
  const builtins = /wrote to builtins/.test(String((failure.errorInstance as Error | null)?.message));
  const shrunk = fc.check(fc.property(arbitrary, (input) => checkInput(input, undefined, { builtins, synthesize })), {
    seed: failure.seed,
    path: failure.counterexamplePath ?? undefined,
    includeErrorInReport: true,
    plugins: [fc.interruptAfterTimeLimit(SHRINK_TIME_LIMIT_MS)],
  });
  const report = shrunk.failed ? shrunk : failure;
  const replay =
    `FC_SEED=${report.seed} FC_PATH="${report.counterexamplePath}" ` +
    (options.project === "slow" ? `CI=true npx jest ${options.testFile} --selectProjects slow` : `npx jest ${options.testFile} --selectProjects fast`);
  throw new Error(`Configuration property failed on input ${failure.numRuns} (seed ${report.seed}). Replay the shrunk counterexample with:\n  ${replay}\n\n${shortenRuns(fc.defaultReportMessage(report as fc.RunDetails<unknown>) ?? "")}`);
}

/** How long a failure is shrunk before the smallest counterexample found so far is reported. */
const SHRINK_TIME_LIMIT_MS = 60_000;

/** A long run of one character (a huge generated string) as `<c × n>`, so a report stays readable. */
function shortenRuns(text: string): string {
  return text.replace(/([^])\1{199,}/g, (run, c: string) => `<${JSON.stringify(c)} × ${run.length}>`);
}
