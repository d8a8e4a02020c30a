/**
 * The fast project's share of the configuration properties: a sample of generated and mutated inputs checked for the
 * same invariants as the full run (validation.property.test.ts, slow project), and the checks that keep the generators
 * honest: a generator for every field and every nested member, and oracles that can fail.
 */
import { execFileSync } from "child_process";
import fc from "fast-check";
import { FIELDS } from "../../lib/config/fields";
import { builtinChanges, captureBuiltins } from "../support/builtin-prototypes";
import { configPaths, environmentsInput, expectedConfigPaths, FIELD_ARBITRARIES, validEnvironment } from "../support/config-arbitraries";
import { fingerprint, levenshtein, runConfigurationProperty, sameFingerprint } from "../support/config-properties";

/** Inputs in the sample: 0.2-0.4 s of CPU on this 2-CPU machine (the fast project has 4 s for every suite). */
const SAMPLE_RUNS = 100;

describe("configuration validation, on a sample of generated configurations", () => {
  test("never throws, names every problem by a field or the unknown key, and leaves input and builtins untouched", () => {
    // Validation only: synthesis of the valid ones is the slow project's (about 40 ms a stack).
    const stats = runConfigurationProperty(environmentsInput(0), {
      defaultRuns: SAMPLE_RUNS,
      testFile: "test/config/validation-properties.test.ts",
      project: "fast",
      synthesize: false,
    });
    if (process.env.FC_PATH || process.env.FC_RUNS) return;
    expect(stats.inputs).toBe(SAMPLE_RUNS);
    expect(stats.validatedInputs).toBeGreaterThan(0);
    expect(stats.validatedInputs).toBeLessThan(SAMPLE_RUNS);
  });
});

describe("the configuration generators", () => {
  test("have a generator for every field of EnvironmentConfig", () => {
    expect(Object.keys(FIELD_ARBITRARIES).sort()).toEqual(Object.keys(FIELDS).sort());
  });

  test("produce every field and every nested member of the configuration", () => {
    // A fixed seed: this checks the generators, not validation, and must not depend on the draw.
    const seen = new Set(fc.sample(validEnvironment, { seed: 42, numRuns: 200 }).flatMap((environment) => configPaths(environment)));
    expect(expectedConfigPaths().filter((path) => !seen.has(path))).toEqual([]);
    expect(expectedConfigPaths().filter((path) => !path.includes(".") && !path.includes("[")).sort()).toEqual(Object.keys(FIELDS).sort());
  });
});

describe("the property oracles", () => {
  test("see a property written to Object.prototype and a builtin method replaced", () => {
    const before = captureBuiltins();
    const map = Array.prototype.map;
    try {
      (Object.prototype as Record<string, unknown>).polluted = true;
      Array.prototype.map = function () {
        return [];
      };
      expect(builtinChanges(before)).toEqual(["Object.prototype[polluted] added", "Array.prototype[map] redefined"]);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
      Array.prototype.map = map;
    }
    expect(builtinChanges(before)).toEqual([]);
  });

  test("take a snapshot of the builtins that taking it does not change, in a fresh Node where no lazy global was read", () => {
    // A fresh process: in this worker another file may already have loaded what a first snapshot loads (Node 24's
    // fetch, undici). The same Node as this test's, so CI's run on the LTS checks the LTS.
    const script = `const b = require(${JSON.stringify(require.resolve("../support/builtin-prototypes"))});` +
      "process.stdout.write(JSON.stringify(b.builtinChanges(b.captureBuiltins())));";
    const output = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(output)).toEqual([]);
  });

  test("see a changed input, also deep inside, and a swapped prototype", () => {
    const input = () => ({ tags: { owner: "a" }, list: [1, -0] });
    const before = fingerprint(input());
    expect(sameFingerprint(fingerprint(input()), before)).toBe(true);
    expect(sameFingerprint(fingerprint({ ...input(), tags: { owner: "b" } }), before)).toBe(false);
    expect(sameFingerprint(fingerprint({ ...input(), list: [1, 0] }), before)).toBe(false);
    expect(sameFingerprint(fingerprint({ ...input(), tags: Object.assign(Object.create(null), { owner: "a" }) }), before)).toBe(false);
  });

  test("count one edit between a field and its near miss", () => {
    expect(levenshtein("domainName", "domainNme")).toBe(1);
    expect(levenshtein("domainName", "domainNamee")).toBe(1);
    expect(levenshtein("region", "regoin")).toBe(2);
  });
});
