import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withCheapStackTraces } from "../../lib/app/stack-traces";
import { REPO_ROOT } from "../support/project";

describe("withCheapStackTraces", () => {
  test("restores the previous stack formatter, also when the build throws", () => {
    const previous = Error.prepareStackTrace;
    expect(() =>
      withCheapStackTraces(() => {
        expect(Error.prepareStackTrace).not.toBe(previous);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(Error.prepareStackTrace).toBe(previous);
  });

  test("keeps .ts positions under tsx (frames captured inside, errors made inside but printed after), also with dependencies loaded plainly", () => {
    // GIVEN a TypeScript file whose type-only lines esbuild drops, so unmapped JavaScript lines would differ
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-stack-traces-"));
    try {
      const probe = path.join(dir, "probe.ts");
      fs.writeFileSync(
        probe,
        [
          `import { withCheapStackTraces } from ${JSON.stringify(path.join(REPO_ROOT, "lib", "app", "stack-traces"))};`,
          "interface Dropped {",
          "  readonly a: string;",
          "  readonly b: number;",
          "}",
          "export type { Dropped };",
          "function where(): string {",
          '  return new Error("probe").stack!.split("\\n")[1];', // line 8, column 10
          "}",
          "let late: Error | undefined;",
          "console.log(withCheapStackTraces(() => where()));",
          'withCheapStackTraces(() => { late = new Error("late"); });', // line 12, column 37
          'console.log(late!.stack!.split("\\n")[1]);',
          // A dependency loaded after loadDependenciesAsPlainCommonJs() is plain CommonJS (no source map read),
          // while this .ts file keeps its own.
          `require(${JSON.stringify(path.join(REPO_ROOT, "lib", "app", "plain-dependencies"))}).loadDependenciesAsPlainCommonJs();`,
          'const { findSourceMap } = require("module");',
          `const dependency = require.resolve("constructs", { paths: [${JSON.stringify(REPO_ROOT)}] });`,
          "require(dependency);",
          "console.log(findSourceMap(dependency) === undefined, findSourceMap(__filename) !== undefined);",
          "",
        ].join("\n"),
      );
      // WHEN it runs the way cdktf.json runs main.ts
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", probe], { cwd: REPO_ROOT, encoding: "utf8" });
      // THEN
      expect(run.stderr).toBe("");
      expect(run.stdout.split("\n")).toEqual([`    at where (${probe}:8:10)`, expect.stringContaining(`${probe}:12:37)`), "true true", ""]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
