/**
 * The scripted move to CDK Terrain (scripts/cdktn/migrate.ts) that `npm run check:cdktn` applies to a copy of the
 * project: what it rewrites, what it must leave alone, and that it refuses a reference it has no successor for.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CDKTN_PACKAGES, importedPackages, migratePackageJson, migrateProject, migrateSource, MigrationError, PackageJson } from "../../scripts/cdktn/migrate";
import { REPO_ROOT } from "../support/project";

/** Every TypeScript file the check copies and moves (the app, its library, environments, bootstrap, scripts, fixtures). */
function projectSources(): string[] {
  const below = (dir: string): string[] =>
    fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? below(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
  return ["main.ts", "extend.ts", ...below("lib"), ...below("environments"), ...below("bootstrap"), "scripts/verify.ts", ...below("scripts/bench"), ...below("test/fixtures")];
}

describe("the scripted move to CDK Terrain", () => {
  test("rewrites cdktf and @cdktf/provider-aws module specifiers in every import form, and nothing else", () => {
    const source = [
      'import { App, TerraformStack } from "cdktf";',
      "import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';",
      'export * from "cdktf";',
      'import "cdktf";',
      'const { Fn } = require("cdktf") as typeof import("cdktf");',
      'import { provider } from "@cdktf/provider-aws";',
      '// cdktf records the creation stack of every token; the "cdktf" CLI too',
      'const tags = { "managed-by": "cdktf" };',
      'const dir = "cdktf.out";',
      'import { x } from "./cdktf-helpers";',
    ].join("\n");
    const { text, rewritten, unmapped } = migrateSource(source);
    expect(text.split("\n")).toEqual([
      'import { App, TerraformStack } from "cdktn";',
      "import { LbListener } from '@cdktn/provider-aws/lib/lb-listener';",
      'export * from "cdktn";',
      'import "cdktn";',
      'const { Fn } = require("cdktn") as typeof import("cdktn");',
      'import { provider } from "@cdktn/provider-aws";',
      '// cdktf records the creation stack of every token; the "cdktf" CLI too',
      'const tags = { "managed-by": "cdktf" };',
      'const dir = "cdktf.out";',
      'import { x } from "./cdktf-helpers";',
    ]);
    expect(rewritten).toBe(7);
    expect(unmapped).toEqual([]);
  });

  test("reports a cdktf package it knows no successor for instead of leaving it behind", () => {
    const { text, unmapped } = migrateSource('import { RandomProvider } from "@cdktf/provider-random/lib/provider";\nimport { App } from "cdktf";\n');
    expect(unmapped).toEqual(["@cdktf/provider-random/lib/provider"]);
    expect(text).toContain('"@cdktf/provider-random/lib/provider"');
  });

  test("moves package.json: each cdktf package to its pinned successor in the same section, constructs to the version cdktn accepts, CLI calls in scripts", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;
    const { pkg: moved, unmapped } = migratePackageJson({ ...pkg, scripts: { ...pkg.scripts, deploy: "npx cdktf deploy tls-dev && cdktf output" } });
    expect(unmapped).toEqual([]);
    expect(moved.dependencies).toEqual({
      ...Object.fromEntries(Object.entries(pkg.dependencies!).filter(([name]) => !["cdktf", "@cdktf/provider-aws", "constructs"].includes(name))),
      cdktn: CDKTN_PACKAGES.cdktn,
      "@cdktn/provider-aws": CDKTN_PACKAGES["@cdktn/provider-aws"],
      constructs: CDKTN_PACKAGES.constructs,
    });
    expect(moved.devDependencies!["cdktn-cli"]).toBe(CDKTN_PACKAGES["cdktn-cli"]);
    expect(Object.keys(moved.devDependencies!).filter((name) => /cdktf/.test(name))).toEqual([]);
    expect(moved.scripts!.deploy).toBe("npx cdktn deploy tls-dev && cdktn output");
    expect(moved.scripts!.synth).toBe(pkg.scripts!.synth);
    expect(Object.values(CDKTN_PACKAGES).every((version) => /^\d+\.\d+\.\d+$/.test(version))).toBe(true);
  });

  test("moves every source file of the project completely, and leaves the managed-by tag value alone", () => {
    const leftovers: string[] = [];
    let rewritten = 0;
    for (const file of projectSources()) {
      const moved = migrateSource(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
      rewritten += moved.rewritten;
      leftovers.push(...moved.unmapped.map((s) => `${file}: ${s}`));
      for (const line of moved.text.split("\n")) if (/(from|require\(|import\()\s*["'](cdktf|@cdktf\/)/.test(line)) leftovers.push(`${file}: ${line.trim()}`);
      if (file === "lib/tls-stack.ts") expect(moved.text).toContain('"managed-by": "cdktf"');
    }
    expect(leftovers).toEqual([]);
    expect(rewritten).toBeGreaterThan(20);
  });

  test("refuses the whole move, listing every unknown reference and writing nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktn-migrate-"));
    try {
      const files: Record<string, string> = {
        "package.json": JSON.stringify({ dependencies: { cdktf: "0.21.0", "@cdktf/provider-random": "12.0.0" } }),
        "lib/a.ts": 'import { App } from "cdktf";\n',
        "lib/b.ts": 'import { Password } from "@cdktf/provider-random/lib/password";\n',
      };
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      let error: unknown;
      try {
        migrateProject(dir);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).problems).toEqual([
        'lib/b.ts: no CDK Terrain successor known for the module "@cdktf/provider-random/lib/password"',
        "package.json: no CDK Terrain successor known for the package @cdktf/provider-random",
      ]);
      for (const [file, text] of Object.entries(files)) expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("lists the packages a source imports, in every import form, without subpaths, relative paths or duplicates", () => {
    const source = [
      'import { ACMClient } from "@aws-sdk/client-acm";',
      'import type { Listener } from "@aws-sdk/client-elastic-load-balancing-v2";',
      'import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";',
      "import * as fs from 'fs';",
      'const z = require("zod");',
      'export { x } from "./local";',
      'import "../side-effect";',
      'const later = import("yaml");',
      'import { ACMClient as Again } from "@aws-sdk/client-acm";',
    ].join("\n");
    expect(importedPackages(source)).toEqual(["@aws-sdk/client-acm", "@aws-sdk/client-elastic-load-balancing-v2", "@cdktf/provider-aws", "fs", "yaml", "zod"]);
  });
});
