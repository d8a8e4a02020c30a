import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { EnvironmentConfigError, reportSynthFailure, synthesizeEnvironments, TlsGuardError } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";
import { snapshotTree } from "../support/files";

describe("synthesizeEnvironments", () => {
  let root: string;
  let outdir: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tls-synthesize-"));
    outdir = path.join(root, "cdktf.out");
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("writes one stack tls-<name> per environment and a manifest", () => {
    const ids = synthesizeEnvironments([baseEnvironment({ name: "a" }), baseEnvironment({ name: "b" })], { outdir });
    expect(ids).toEqual(["tls-a", "tls-b"]);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["tls-a", "tls-b"]);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["tls-a", "tls-b"]);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("replaces the previous output, dropping stacks of removed environments", () => {
    synthesizeEnvironments([baseEnvironment({ name: "old" })], { outdir });
    synthesizeEnvironments([baseEnvironment({ name: "new" })], { outdir });
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["tls-new"]);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("leaves the existing output untouched and writes nothing when a configuration is invalid", () => {
    // GIVEN a previous good synth
    synthesizeEnvironments([baseEnvironment()], { outdir });
    const before = snapshotTree(outdir);
    // WHEN
    expect(() => synthesizeEnvironments([baseEnvironment(), baseEnvironment({ name: "bad", region: "mars-1" })], { outdir })).toThrow(
      EnvironmentConfigError,
    );
    // THEN
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("leaves the existing output untouched when synthesis fails after stacks were written", () => {
    // GIVEN a previous good synth, and a synth that fails once cdktf has written its files (as a guard or a cdktf
    // validation failing on a later stack would)
    synthesizeEnvironments([baseEnvironment()], { outdir });
    const before = snapshotTree(outdir);
    const realSynth = App.prototype.synth;
    jest.spyOn(App.prototype, "synth").mockImplementation(function (this: App) {
      realSynth.call(this);
      throw new Error("late failure");
    });
    // WHEN
    expect(() => synthesizeEnvironments([baseEnvironment({ name: "other" })], { outdir })).toThrow("late failure");
    // THEN
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("does not create the output directory when the first synth fails", () => {
    expect(() => synthesizeEnvironments([baseEnvironment({ domainName: "" })], { outdir })).toThrow(EnvironmentConfigError);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});

describe("reportSynthFailure", () => {
  function report(error: unknown): { code: number; stderr: string } {
    let stderr = "";
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return { code: reportSynthFailure(error), stderr };
    } finally {
      spy.mockRestore();
    }
  }

  test.each([
    ["a configuration error", new EnvironmentConfigError([{ environment: "prod", path: "region", value: "mars-1", message: "is not an AWS region name" }]), 'region "mars-1": is not an AWS region name'],
    ["a guard violation", new TlsGuardError([{ path: "tls-prod/X", resourceType: "aws_lb_listener", rule: "http-redirect", message: "forwards" }]), "tls-prod/X (aws_lb_listener) [http-redirect]: forwards"],
    ["an environment file that ts-node could not compile", Object.assign(new Error("environments/dev.ts(6,3): error TS1005: ',' expected."), { name: "TSError" }), "environments/dev.ts(6,3): error TS1005"],
    ["an environment file that tsx could not compile", Object.assign(new Error('Transform failed with 1 error:\nenvironments/dev.ts:3:7: ERROR: Expected "}" but found "3"'), { name: "TransformError" }), 'environments/dev.ts:3:8: Expected "}" but found "3"'],
  ])("reports %s by its message alone, without a stack trace", (_case, error, shown) => {
    const { code, stderr } = report(error);
    expect(code).toBe(1);
    expect(stderr).toContain(shown);
    expect(stderr).toContain("Nothing was written");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("reports a tsx compile error by file, line and 1-based column, relative to the working directory", () => {
    const error = Object.assign(
      new Error(`Transform failed with 2 errors:\n${process.cwd()}/environments/dev.ts:3:7: ERROR: Expected "}" but found "3"\n/elsewhere/x.ts:1:0: ERROR: Unexpected ";"`),
      { name: "TransformError" },
    );
    const { code, stderr } = report(error);
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        "A TypeScript file does not compile:",
        'environments/dev.ts:3:8: Expected "}" but found "3"',
        '/elsewhere/x.ts:1:1: Unexpected ";"',
        "",
        "Nothing was written: the output directory is unchanged.",
        "",
      ].join("\n"),
    );
  });

  test("keeps the stack trace of an unexpected error, which is a bug", () => {
    const { code, stderr } = report(new TypeError("cannot read properties of undefined"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Synth failed: TypeError: cannot read properties of undefined\n\s+at /);
  });
});
