/**
 * `npm run check:cdktn [-- --seed <name>] [--keep]`: what moving this project to CDK Terrain changes in what it
 * synthesizes (docs/cdk-terrain.md).
 *
 * 1. Copies the project twice into one temp directory (removed at the end): `cdktf/` as it is (its node_modules is
 *    this checkout's, linked, never written), and `cdktn/`, moved by scripts/cdktn/migrate.ts to the pinned CDK
 *    Terrain packages and installed from the npm registry (npm's own cache makes a second run quick).
 * 2. Type-checks the moved copy against the cdktn and @cdktn/provider-aws (AWS provider 6.x) type definitions.
 * 3. On the pinned Node LTS (scripts/node-lts.js), synthesizes in both copies with the same commands: every
 *    environment (`npm run synth`; in the moved copy also through the cdktn CLI), the bootstrap stack, and the
 *    fixtures of scripts/cdktn/synth-fixtures.ts (everything-on, two zones, adopted listeners, an exempted listener,
 *    and two stacks the TLS guard must refuse).
 * 4. Compares them address by address (scripts/cdktn/compare.ts) and fails on any difference that
 *    scripts/cdktn/expected-differences.json does not explain exactly, on an explanation that no longer matches, on a
 *    Node warning printed by a synth, and when the fixtures stop covering a TLS-relevant resource type.
 *
 * --seed <name>  changes one TLS-relevant default in the moved copy first (see SEEDS), to show the check catches it.
 * --keep         keeps the temp directory and prints where it is.
 * Exit code 0: same addresses, every difference explained; 1: anything else (each problem listed, or the step that failed).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Difference, diffDocuments, Documents, isStackDocument, judge, parseExpectedDifferences, readJsonDocument, readSynthOutput, tlsCoverage } from "./compare";
import { CDKTN_PACKAGES, importedPackages, migrateProject, PackageJson } from "./migrate";

const { nodeLtsBin, NODE_LTS_VERSION } = require("../node-lts.js") as { nodeLtsBin(): string; NODE_LTS_VERSION: string };

const ROOT = path.resolve(__dirname, "..", "..");
const EXPECTED_FILE = path.join(__dirname, "expected-differences.json");

/** What a checkout needs to synthesize, plus the scripts the rename should cover and the fixtures the check synthesizes. */
const COPIED = [
  "main.ts",
  "extend.ts",
  "cdktf.json",
  "tsconfig.json",
  "package.json",
  "lib",
  "environments",
  "bootstrap",
  "scripts/verify.ts",
  "scripts/bench",
  "scripts/cdktn/synth-fixtures.ts",
  "test/fixtures/environments.ts",
  "test/fixtures/everything-on.ts",
  "test/fixtures/extensions.ts",
  "test/fixtures/weak-stack.ts",
];

/**
 * devDependencies the moved copy installs besides those its sources import (importedDevDependencies): the tools that
 * synthesize and type-check it. The rest only run the tests.
 */
const INSTALLED_DEV_DEPENDENCIES = ["cdktn-cli", "tsx", "typescript", "@types/node"];

/** A TLS-relevant change seeded into the moved copy, to prove the comparison fails on one. */
const SEEDS: Record<string, { file: string; from: string; to: string }> = {
  "ssl-policy": {
    file: "lib/aws/tls-policies.ts",
    from: 'DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"',
    to: 'DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"',
  },
  "key-algorithm": { file: "lib/config/environment-config.ts", from: 'keyAlgorithm: "EC_prime256v1" as KeyAlgorithm', to: 'keyAlgorithm: "EC_secp384r1" as KeyAlgorithm' },
};

class StepFailed extends Error {}

interface Options {
  readonly seed?: string;
  readonly keep: boolean;
}

function parseArgs(args: string[]): Options {
  const options: { seed?: string; keep: boolean } = { keep: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--keep") options.keep = true;
    else if (args[i] === "--seed" && args[i + 1] in SEEDS) options.seed = args[++i];
    else throw new StepFailed(`usage: npm run check:cdktn [-- --seed ${Object.keys(SEEDS).join("|")}] [--keep]; got ${JSON.stringify(args[i])}`);
  }
  return options;
}

const timings: Array<[string, number]> = [];

/** Runs a command in a copy on the pinned Node; throws StepFailed with its output when it fails. */
function run(label: string, cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  timings.push([label, (Date.now() - started) / 1000]);
  if (result.error) throw new StepFailed(`${label}: ${result.error.message}`);
  if (result.status !== 0) throw new StepFailed(`${label} failed (exit ${result.status}):\n${(result.stdout + result.stderr).trim()}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The environment of every step: the pinned Node first on PATH, none of the outer npm's variables, no telemetry. */
function stepEnvironment(nodeBin: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|CDKTF_|INIT_CWD$|NODE_OPTIONS$)/i.test(key)));
  return { ...env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ""}`, CHECKPOINT_DISABLE: "1", TSX_DISABLE_CACHE: "1" };
}

function copyProject(to: string): void {
  for (const entry of COPIED) fs.cpSync(path.join(ROOT, entry), path.join(to, entry), { recursive: true });
}

/** The devDependencies (of `dev`) that the copy's TypeScript sources import, e.g. the AWS SDK clients of lib/pipeline. */
function importedDevDependencies(dir: string, dev: Readonly<Record<string, string>>): string[] {
  const imported = new Set<string>();
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ts")) for (const name of importedPackages(fs.readFileSync(full, "utf8"))) imported.add(name);
    }
  };
  walk(dir);
  return [...imported].filter((name) => dev[name] !== undefined).sort();
}

/** The moved copy's package.json, trimmed to what synth and the type-check need before it is installed. */
function trimForInstall(dir: string): string[] {
  const file = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
  const dev = pkg.devDependencies ?? {};
  const kept = [...new Set([...INSTALLED_DEV_DEPENDENCIES, ...importedDevDependencies(dir, dev)])];
  pkg.devDependencies = Object.fromEntries(kept.map((name) => [name, dev[name]]));
  const missing = INSTALLED_DEV_DEPENDENCIES.filter((name) => dev[name] === undefined);
  if (missing.length > 0) throw new StepFailed(`package.json has no devDependency ${missing.join(", ")} after the move`);
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).map(([name, version]) => `${name}@${version}`);
}

/** The type-check of the moved copy: the project's compiler options, its app sources, no test types. */
function writeTypeCheckConfig(dir: string): void {
  const config = {
    extends: "./tsconfig.json",
    compilerOptions: { types: ["node"], noEmit: true },
    files: [],
    include: ["main.ts", "extend.ts", "lib/**/*.ts", "environments/**/*.ts", "bootstrap/**/*.ts", "scripts/**/*.ts", "test/fixtures/*.ts"],
    exclude: ["node_modules", "scripts/bench/template-idiom.ts"],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.check-cdktn.json"), `${JSON.stringify(config, null, 2)}\n`);
}

function applySeed(dir: string, name: string): void {
  const { file, from, to } = SEEDS[name];
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  if (!text.includes(from)) throw new StepFailed(`seed ${name}: ${file} no longer contains ${from}`);
  fs.writeFileSync(path.join(dir, file), text.replace(from, to));
  console.log(`seeded ${name}: ${file}: ${from} -> ${to}`);
}

/** Synthesizes everything in one copy; returns its documents and any Node warning a step printed. */
function synthesizeAll(side: "cdktf" | "cdktn", dir: string, env: NodeJS.ProcessEnv): { documents: Documents; warnings: string[] } {
  const warnings: string[] = [];
  const step = (label: string, command: string, args: string[]) => {
    const { stderr } = run(`${side}: ${label}`, dir, command, args, env);
    for (const line of stderr.split("\n")) if (/^\(node:\d+\) /.test(line)) warnings.push(`${side}: ${label}: ${line}`);
  };
  step("npm run synth", "npm", ["run", "--silent", "synth"]);
  step("npm run bootstrap:synth", "npm", ["run", "--silent", "bootstrap:synth"]);
  step("fixtures", "node", ["--require", "tsx/cjs", "scripts/cdktn/synth-fixtures.ts", "fixtures.out"]);
  const documents: Documents = new Map();
  readSynthOutput(path.join(dir, "cdktf.out"), "environments", documents);
  if (side === "cdktn") {
    step("cdktn synth (the CLI)", path.join(dir, "node_modules", ".bin", "cdktn"), ["synth", "--output", "cli.out"]);
    readSynthOutput(path.join(dir, "cli.out"), "cli", documents);
  } else {
    // The cdktf CLI runs the same app command as npm run synth (test/app/app.test.ts); on Node 24 it needs node-pty
    // built for that Node, so the baseline for the cdktn CLI's output is npm run synth's.
    readSynthOutput(path.join(dir, "cdktf.out"), "cli", documents);
  }
  readSynthOutput(path.join(dir, "bootstrap.out"), "bootstrap", documents);
  readSynthOutput(path.join(dir, "fixtures.out", "fixtures"), "fixtures", documents);
  readSynthOutput(path.join(dir, "fixtures.out", "extended"), "extended", documents);
  readJsonDocument(path.join(dir, "fixtures.out", "guard.json"), "guard", documents);
  return { documents, warnings };
}

function show(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function where(difference: Pick<Difference, "address" | "path">): string {
  return [difference.address, ...difference.path].join(" > ");
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  const expected = parseExpectedDifferences(fs.readFileSync(EXPECTED_FILE, "utf8"), path.relative(ROOT, EXPECTED_FILE));
  const started = Date.now();
  const nodeBin = nodeLtsBin();
  const env = stepEnvironment(nodeBin);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "check-cdktn-"));
  const cleanup = () => fs.rmSync(temp, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  if (!options.keep) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  try {
    const [before, after] = [path.join(temp, "cdktf"), path.join(temp, "cdktn")];
    copyProject(before);
    copyProject(after);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(before, "node_modules"), "dir");

    const { changed } = migrateProject(after);
    console.log(`moved the copy to CDK Terrain (${[...changed.values()].flat().length} changes in ${changed.size} files):`);
    for (const [file, changes] of changed) console.log(`  ${file}: ${changes.join("; ")}`);
    const installed = trimForInstall(after);
    if (options.seed !== undefined) applySeed(after, options.seed);

    console.log(`installing ${installed.join(" ")} on node ${NODE_LTS_VERSION}...`);
    run("cdktn: npm install", after, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], env);
    writeTypeCheckConfig(after);
    run("cdktn: tsc (type-check against cdktn + @cdktn/provider-aws)", after, path.join(after, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.check-cdktn.json"], env);

    const cdktf = synthesizeAll("cdktf", before, env);
    const cdktn = synthesizeAll("cdktn", after, env);

    const stackDocuments = [...cdktf.documents].filter(([, addresses]) => isStackDocument(addresses)).map(([name]) => name);
    const differences = diffDocuments(cdktf.documents, cdktn.documents);
    const verdict = judge(differences, expected, stackDocuments);
    const addressCount = [...cdktf.documents.values()].reduce((sum, addresses) => sum + addresses.size, 0);
    const problems: string[] = [];

    console.log(`\ncompared ${cdktf.documents.size} documents (${stackDocuments.length} stacks + the guard's verdicts), ${addressCount} addresses on the cdktf side:`);
    console.log(`  ${[...cdktf.documents.keys()].join(", ")}`);
    console.log("\nTLS-relevant resources compared (attribute: how many of them set it; every attribute of every address is compared):");
    for (const [type, { resources, attributes }] of tlsCoverage(cdktf.documents)) {
      console.log(`  ${type} x${resources}: ${[...attributes].map(([a, n]) => `${a} ${n}`).join(", ")}`);
      if (resources === 0) problems.push(`the fixtures synthesize no ${type} any more, so the comparison no longer covers it`);
      for (const [attribute, n] of attributes) if (resources > 0 && n === 0) problems.push(`no ${type} sets ${attribute} any more, so the comparison no longer covers it`);
    }

    const byEntry = new Map<object, string[]>();
    for (const { difference, entry } of verdict.explained) byEntry.set(entry, [...(byEntry.get(entry) ?? []), difference.document]);
    console.log(`\ndifferences: ${differences.length} (${verdict.explained.length} explained, ${verdict.unexplained.length} unexplained)`);
    for (const entry of expected) {
      const documents = byEntry.get(entry) ?? [];
      console.log(`  explained: ${where(entry)}: ${show(entry.cdktf)} -> ${show(entry.cdktn)} in ${documents.length} document${documents.length === 1 ? "" : "s"}`);
      console.log(`    why: ${entry.reason}`);
    }
    for (const difference of verdict.unexplained) {
      problems.push(`UNEXPLAINED in ${difference.document}: ${where(difference)}: cdktf ${show(difference.cdktf)}, cdktn ${show(difference.cdktn)}`);
    }
    for (const { entry, missingIn } of verdict.stale) {
      problems.push(`expected but not found (stale explanation?): ${where(entry)}: ${show(entry.cdktf)} -> ${show(entry.cdktn)} in ${missingIn.join(", ")}`);
    }
    problems.push(...cdktf.warnings, ...cdktn.warnings);

    const seconds = (Date.now() - started) / 1000;
    console.log(`\nsteps: ${timings.map(([label, s]) => `${label} ${s.toFixed(1)} s`).join("; ")}`);
    console.log(`cdktn: ${Object.entries(CDKTN_PACKAGES).map(([name, version]) => `${name}@${version}`).join(", ")}; node ${NODE_LTS_VERSION}`);
    if (problems.length > 0) {
      console.log(`\ncheck:cdktn FAILED in ${seconds.toFixed(0)} s: ${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
      for (const problem of problems) console.log(`  - ${problem}`);
      console.log(`A difference the move should make goes into ${path.relative(ROOT, EXPECTED_FILE)} with its exact place, both values and why.`);
      return 1;
    }
    console.log(`\ncheck:cdktn passed in ${seconds.toFixed(0)} s: same addresses; every difference is explained.`);
    return 0;
  } finally {
    if (options.keep) console.log(`kept ${temp}`);
    else {
      const removing = Date.now();
      cleanup();
      console.log(`removed the temp directory in ${((Date.now() - removing) / 1000).toFixed(1)} s`);
    }
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`check:cdktn: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
