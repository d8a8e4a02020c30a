/**
 * The scripted move from cdktf to CDK Terrain (cdktn) that `npm run check:cdktn` applies to a copy of the project, and
 * that a team would apply to its own checkout (docs/cdk-terrain.md): module specifiers in the sources, the packages in
 * package.json, CLI calls in its scripts, and the jest adapter path in tsconfig.json. Nothing else changes: cdktn
 * keeps cdktf's environment variables (CDKTF_OUTDIR, ...), its output directory (cdktf.out), its config file
 * (cdktf.json) and its annotation levels (@cdktf/warn), and a string such as the `managed-by = cdktf` tag is data,
 * not a reference to the package (renaming it would retag every resource).
 */
import * as fs from "fs";
import * as path from "path";

/**
 * The CDK Terrain packages, exact versions (looked up with `npm view <name> versions` on 2026-12-04: cdktn and
 * cdktn-cli have 0.24.0 only, @cdktn/provider-aws 25.7.0 is the newest 25.x and binds hashicorp/aws 6.66.0,
 * constructs 10.6.0 is the only 10.6.x; cdktn 0.24.0 asks for constructs >=10.6.0 <10.8.0).
 */
export const CDKTN_PACKAGES = {
  cdktn: "0.24.0",
  "cdktn-cli": "0.24.0",
  "@cdktn/provider-aws": "25.7.0",
  constructs: "10.6.0",
} as const;

/** Each cdktf package and its CDK Terrain successor. */
export const SUCCESSORS: Readonly<Record<string, keyof typeof CDKTN_PACKAGES>> = {
  cdktf: "cdktn",
  "cdktf-cli": "cdktn-cli",
  "@cdktf/provider-aws": "@cdktn/provider-aws",
};

/** What precedes a quoted module specifier: import, export-from, require() or import() (also `typeof import(...)`). */
const SPECIFIER_CONTEXT = String.raw`\bfrom\s*|\brequire\(\s*|\bimport\(\s*|\bimport\s+`;

/** A cdktf module specifier, quoted, after SPECIFIER_CONTEXT. */
const SPECIFIER = new RegExp(String.raw`(${SPECIFIER_CONTEXT})(["'])((?:@cdktf\/[a-z0-9-]+|cdktf(?:-cli)?)(?:\/[^"']*)?)\2`, "g");

export interface SourceMigration {
  readonly text: string;
  /** Specifiers rewritten. */
  readonly rewritten: number;
  /** cdktf specifiers with no known successor (e.g. another prebuilt provider): the move cannot be scripted. */
  readonly unmapped: string[];
}

/** Rewrites `cdktf` and `@cdktf/provider-aws[/...]` module specifiers to their successors; nothing else. */
export function migrateSource(text: string): SourceMigration {
  let rewritten = 0;
  const unmapped: string[] = [];
  const migrated = text.replace(SPECIFIER, (whole, before: string, quote: string, specifier: string) => {
    const successor = successorOf(specifier);
    if (successor === undefined) {
      unmapped.push(specifier);
      return whole;
    }
    rewritten++;
    return `${before}${quote}${successor}${quote}`;
  });
  return { text: migrated, rewritten, unmapped };
}

/** Any bare module specifier (a package, not a relative or `node:` path), quoted, after SPECIFIER_CONTEXT. */
const PACKAGE_SPECIFIER = new RegExp(String.raw`(?:${SPECIFIER_CONTEXT})(["'])((?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*)(?:\/[^"']*)?\1`, "gi");

/**
 * The packages a source file imports (`@scope/name` or `name`, without subpaths), sorted: what a copy that type-checks
 * this file must install. Node's builtins (`fs`, `node:fs`) are packages too here; the caller keeps only the ones
 * package.json names.
 */
export function importedPackages(text: string): string[] {
  return [...new Set([...text.matchAll(PACKAGE_SPECIFIER)].map((match) => match[2]))].sort();
}

function successorOf(specifier: string): string | undefined {
  const name = Object.keys(SUCCESSORS).find((pkg) => specifier === pkg || specifier.startsWith(`${pkg}/`));
  return name === undefined ? undefined : SUCCESSORS[name] + specifier.slice(name.length);
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: Json | undefined;
}

export interface PackageMigration {
  readonly pkg: PackageJson;
  /** What changed, one line each (`cdktf 0.21.0 -> cdktn 0.24.0`). */
  readonly changes: string[];
  /** cdktf-family packages with no known successor. */
  readonly unmapped: string[];
}

/**
 * Replaces each cdktf package by its successor at the pinned version (in the same section), pins constructs to the
 * version cdktn accepts, and calls `cdktn` where a script called `cdktf`.
 */
export function migratePackageJson(original: PackageJson): PackageMigration {
  const pkg = JSON.parse(JSON.stringify(original)) as PackageJson;
  const changes: string[] = [];
  const unmapped: string[] = [];
  for (const section of ["dependencies", "devDependencies"] as const) {
    const deps = pkg[section];
    if (deps === undefined) continue;
    const entries = Object.entries(deps).map(([name, version]): [string, string] => {
      const successor = SUCCESSORS[name];
      if (successor !== undefined) {
        changes.push(`${section}: ${name} ${version} -> ${successor} ${CDKTN_PACKAGES[successor]}`);
        return [successor, CDKTN_PACKAGES[successor]];
      }
      if (name === "constructs" && version !== CDKTN_PACKAGES.constructs) {
        changes.push(`${section}: constructs ${version} -> ${CDKTN_PACKAGES.constructs}`);
        return [name, CDKTN_PACKAGES.constructs];
      }
      if (/^(@cdktf\/|cdktf)/.test(name)) unmapped.push(name);
      return [name, version];
    });
    pkg[section] = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  for (const [name, script] of Object.entries(pkg.scripts ?? {})) {
    const migrated = script.replace(/(^|[\s;&|(])((?:npx )?)cdktf(?=\s|$)/g, "$1$2cdktn");
    if (migrated !== script) {
      changes.push(`scripts.${name}: ${script} -> ${migrated}`);
      pkg.scripts![name] = migrated;
    }
  }
  return { pkg, changes, unmapped };
}

export interface ProjectMigration {
  /** Relative path -> what changed in it. */
  readonly changed: ReadonlyMap<string, string[]>;
}

export class MigrationError extends Error {
  constructor(readonly problems: string[]) {
    super(`The move to CDK Terrain cannot be scripted as it is:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "MigrationError";
  }
}

const SOURCE = /\.(ts|js|cjs|mjs)$/;
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "cdktf.out", "bootstrap.out", ".node-lts"]);

/**
 * Applies the move to every source file, package.json and tsconfig.json below `dir`, in place. Throws a
 * MigrationError listing every cdktf reference it has no successor for (after rewriting nothing).
 */
export function migrateProject(dir: string): ProjectMigration {
  const writes: Array<[string, string]> = [];
  const changed = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of filesBelow(dir)) {
    const relative = path.relative(dir, file);
    const text = fs.readFileSync(file, "utf8");
    if (path.basename(file) === "package.json") {
      const { pkg, changes, unmapped } = migratePackageJson(JSON.parse(text) as PackageJson);
      problems.push(...unmapped.map((name) => `${relative}: no CDK Terrain successor known for the package ${name}`));
      if (changes.length > 0) {
        writes.push([file, `${JSON.stringify(pkg, null, 2)}\n`]);
        changed.set(relative, changes);
      }
    } else if (path.basename(file) === "tsconfig.json") {
      const migrated = text.replace(/node_modules\/cdktf\//g, "node_modules/cdktn/");
      if (migrated !== text) {
        writes.push([file, migrated]);
        changed.set(relative, ["node_modules/cdktf/ -> node_modules/cdktn/ (the jest adapter's types)"]);
      }
    } else if (SOURCE.test(file)) {
      const { text: migrated, rewritten, unmapped } = migrateSource(text);
      problems.push(...unmapped.map((specifier) => `${relative}: no CDK Terrain successor known for the module "${specifier}"`));
      if (rewritten > 0) {
        writes.push([file, migrated]);
        changed.set(relative, [`${rewritten} module specifier${rewritten === 1 ? "" : "s"}`]);
      }
    }
  }
  if (problems.length > 0) throw new MigrationError(problems);
  for (const [file, text] of writes) fs.writeFileSync(file, text);
  return { changed };
}

function filesBelow(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : filesBelow(full);
    return entry.isFile() ? [full] : [];
  });
}

// `node --require tsx/cjs scripts/cdktn/migrate.ts [dir]`: the move itself, on a checkout (default: the current
// directory). It prints what it changed; run `npm install` afterwards (docs/cdk-terrain.md has the other steps).
if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? ".");
  try {
    const { changed } = migrateProject(dir);
    for (const [file, changes] of changed) process.stdout.write(`${file}: ${changes.join("; ")}\n`);
    process.stdout.write(`${changed.size} files changed in ${dir}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
