/**
 * Node >= 22 prints "[DEP0044] DeprecationWarning: The `util.isArray` API is deprecated" the first time anything
 * calls util.isArray. cdktf 0.21.0 (its last release) calls it in TerraformOutput whenever an output's value is an
 * object or an array that is not a token; TlsStack passes its list output as a token (Token.asAny), so nothing we
 * synthesize reaches that call. Node 20 never prints the warning, so this is checked by watching the call itself,
 * which fails on any Node.
 */
import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { environments } from "../../environments";
import { bootstrap } from "../../bootstrap/config";
import { BOOTSTRAP_STACK_ID, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import { twoZones } from "../fixtures/environments";
import { everythingOn } from "../fixtures/everything-on";
import { synthToTemp } from "../support/synth";

describe("synth on Node >= 22 prints no deprecation warning (DEP0044, util.isArray)", () => {
  // The module object itself (what cdktf's require("util") returns), not an import's namespace copy of it.
  const util = require("util") as { isArray(value: unknown): boolean };
  let isArray: jest.SpyInstance;
  beforeEach(() => {
    isArray = jest.spyOn(util, "isArray");
  });
  afterEach(() => isArray.mockRestore());

  test("synthesizing every environment and the test fixtures never calls util.isArray", () => {
    const synth = synthToTemp([...environments, twoZones, everythingOn]);
    try {
      expect(synth.stackJson("everything").output.validation_record_fqdns.value.length).toBeGreaterThan(1);
      expect(isArray).not.toHaveBeenCalled();
    } finally {
      synth.cleanup();
    }
  });

  test("synthesizing the bootstrap stack never calls util.isArray", () => {
    const json = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), BOOTSTRAP_STACK_ID, bootstrap)));
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["state_bucket", "github_roles_variable"]));
    expect(isArray).not.toHaveBeenCalled();
  });

  test("the watch sees the call: an output whose value is a plain list reaches util.isArray in cdktf", () => {
    const stack = new TerraformStack(Testing.app(), "plain");
    new TerraformOutput(stack, "names", { value: ["a", "b"] });
    Testing.synth(stack);
    expect(isArray).toHaveBeenCalled();
  });
});
