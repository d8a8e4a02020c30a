/**
 * Regressions for what the configuration properties (test/config/validation.property.test.ts) found, each with its
 * shrunk counterexample, and the behaviour of cdktf that makes two of the new rules necessary (if cdktf changes, these
 * fail and the rule can be relaxed).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { EnvironmentConfigError, environmentProblems, validateEnvironments } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

/** The problems of one environment, as `path: message`. */
function problemsOf(environment: unknown): string[] {
  return environmentProblems([environment]).map((p) => `${p.path}: ${p.message}`);
}

const TEMPLATE = /^must not contain "\$\{" or "%\{": Terraform would read the text from there on as a template, not as written$/;

describe("the configuration error", () => {
  test("renders a value JSON cannot hold (a bigint in an object without a prototype) instead of throwing a TypeError", () => {
    // GIVEN: found as `{ ..., extra: <Object.create(null) with a bigint member> }`: JSON.stringify threw, and so did String()
    const junk = Object.assign(Object.create(null), { big: 10n });
    const environment = { ...baseEnvironment(), extra: junk };
    // WHEN / THEN
    expect(() => validateEnvironments([environment])).toThrow(EnvironmentConfigError);
    expect(() => validateEnvironments([environment])).toThrow(/extra \[object Object\]: is not a known field/);
  });

  test("renders an array holding a symbol and a bigint instead of throwing a TypeError", () => {
    // GIVEN: found as domainName [["}&", 411082508, [Symbol("junk"), ...]], [..., -4650...n]]
    const environment = { ...baseEnvironment(), domainName: [[Symbol("junk")], 10n] };
    // WHEN / THEN
    expect(() => validateEnvironments([environment])).toThrow(/domainName \[object Array\]: must be a string, not an array/);
  });

  test('names an unknown empty key as [""], not with an empty path', () => {
    // GIVEN: found as an environment with a key "" (as JSON.parse('{"": ...}') makes one)
    const environment = JSON.parse(JSON.stringify({ ...baseEnvironment(), "": 5 }));
    // WHEN / THEN
    expect(environmentProblems([environment])).toEqual([{ environment: "test", path: '[""]', value: 5, message: "is not a known field" }]);
  });
});

describe("free-text fields", () => {
  test("refuses a tag named __proto__ (an own key, as JSON.parse makes it), which cdktf would drop without a word", () => {
    // GIVEN: found as tags { "__proto__": "Do*Qto" }: it validated, and the synthesized default tags had no such tag
    const environment = { ...baseEnvironment(), tags: JSON.parse('{"__proto__": "Do*Qto", "owner": "platform"}') };
    // WHEN / THEN
    expect(problemsOf(environment)).toEqual(['tags["__proto__"]: tag key __proto__ cannot be synthesized: cdktf would silently drop the tag']);
  });

  test("cdktf drops a default tag named __proto__ (why the tags rule refuses it)", () => {
    const stack = new TerraformStack(Testing.app(), "tags");
    new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: JSON.parse('{"__proto__": "x", "owner": "platform"}') }] });
    expect(JSON.parse(Testing.synth(stack)).provider.aws[0].default_tags[0].tags).toEqual({ owner: "platform" });
  });

  test('cdktf reads "${TfToken[...]}" in a tag value as one of its tokens (why template sequences are refused)', () => {
    // Found as tags { Name: "${TfToken[TOKEN.0]}" } (synthesized as another resource's expression) and
    // { "${TfToken[TOKEN.99999]}": ... } (synth failed after validation passed).
    const stack = new TerraformStack(Testing.app(), "tokens");
    new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: { Name: "${TfToken[TOKEN.99999]}" } }] });
    expect(() => Testing.synth(stack)).toThrow(/Unrecognized Token Key 'TOKEN.99999'/);
  });

  test.each([
    // Each found by the properties: valid, synthesized verbatim, and read by Terraform as a template.
    ["a tag value", { tags: { Name: "${var.x}" } }, 'tags["Name"]'],
    ["a tag key", { tags: { "${var.x}": "a" } }, 'tags["${var.x}"]'],
    ["a tag value with a directive", { tags: { "x:y/z=+-@_.": "%{ if true }x%{ endif }" } }, 'tags["x:y/z=+-@_."]'],
    ["the trust store's object key", { mutualTls: { mode: "verify", trustStore: { bucket: "example-tf-state", key: "${var.x}" } } }, "mutualTls.trustStore.key"],
    ["the state object key", { stateBackend: { s3: { bucket: "example-tf-state", key: "state/${terraform.workspace}" } } }, "stateBackend.s3.key"],
    ["an https iodef URL", { caa: { iodef: "https://example.com/%{y}" } }, "caa.iodef"],
    ["a mailto iodef URL", { caa: { iodef: "mailto:a${b}@example.com" } }, "caa.iodef"],
    ["the alarm e-mail address", { expiryAlarm: { email: "a${b}@example.com" } }, "expiryAlarm.email"],
  ])("refuses a template sequence in %s", (_what, fields, path) => {
    const problems = environmentProblems([{ ...baseEnvironment(), ...fields }]);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0].message).toMatch(TEMPLATE);
  });

  test("keeps $, %, braces and the prototype-like keys that cdktf writes faithfully", () => {
    const environment = {
      ...baseEnvironment(),
      tags: JSON.parse('{"constructor": "$HOME", "prototype": "100%", "owner": "{a}", "cost": "$ {x}"}'),
      caa: { iodef: "https://example.com/100%25" },
      expiryAlarm: { email: "a$b@example.com" },
    };
    expect(problemsOf(environment)).toEqual([]);
  });
});
