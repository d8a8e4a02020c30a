import { environments } from "../environments";
import { expectedStack, stackChecks } from "./support/environment-oracle";
import { synthToTemp } from "./support/synth";

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
    const want = expectedStack(config);

    test("matches the reviewed snapshot", () => {
      expect(stack).toMatchSnapshot();
    });

    test.each(Object.keys(stackChecks))("%s", (check) => {
      stackChecks[check](stack, want);
    });
  });
});
