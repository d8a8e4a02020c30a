import { environments } from "../../environments";
import { EnvironmentConfig } from "../../lib";
import { everythingOn } from "../fixtures/everything-on";
import { expectedStack, stackChecks } from "../support/environment-oracle";
import { synthToTemp } from "../support/synth";

/** Every oracle check of one synthesized stack, one test each. */
function checkAgainstOracle(stack: unknown, config: EnvironmentConfig): void {
  const want = expectedStack(config);
  test.each(Object.keys(stackChecks))("%s", (check) => {
    stackChecks[check](stack, want);
  });
}

// Every environment listed in environments/index.ts, whatever it is: expectations come from its configuration
// through the oracle in test/support/environment-oracle.ts, so adding an environment needs no edit here.
describe("shipped environments", () => {
  const synth = synthToTemp(environments);
  afterAll(() => synth.cleanup());

  test("are at least one, with distinct names", () => {
    const names = environments.map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(environments.map((e) => [e.name, e] as const))("%s", (name, config) => {
    const stack = synth.stackJson(name);

    test("matches the reviewed snapshot", () => {
      expect(stack).toMatchSnapshot();
    });

    checkAgainstOracle(stack, config);
  });
});

// The same checks over a fixture with every optional field set, so the oracle's model of each field is exercised
// although no shipped environment uses it yet. Its snapshot and hand-written assertions are in test/everything-on*.
describe("the everything-on fixture, through the same oracle", () => {
  const synth = synthToTemp([everythingOn]);
  afterAll(() => synth.cleanup());

  checkAgainstOracle(synth.stackJson(everythingOn.name), everythingOn);
});
