/**
 * The comparison behind `npm run check:cdktn` (scripts/cdktn/compare.ts), on real cdktf output: every environment, the
 * everything-on fixture and the bootstrap stack. Each TLS-relevant change seeded into a copy must come out as exactly
 * that one difference, and the committed explanations must not excuse it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { environments } from "../../environments";
import { bootstrap } from "../../bootstrap/config";
import { synthesizeEnvironments } from "../../lib";
import { BOOTSTRAP_STACK_ID, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import {
  Difference,
  diffDocuments,
  Documents,
  ExpectedDifference,
  isStackDocument,
  Json,
  judge,
  parseExpectedDifferences,
  readSynthOutput,
  tlsCoverage,
  TLS_RELEVANT,
} from "../../scripts/cdktn/compare";
import { everythingOn } from "../fixtures/everything-on";

const EXPECTED_FILE = path.resolve(__dirname, "..", "..", "scripts", "cdktn", "expected-differences.json");
const committed = parseExpectedDifferences(fs.readFileSync(EXPECTED_FILE, "utf8"));

type Body = { [key: string]: any };

describe("check:cdktn's comparison", () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "cdktn-compare-"));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));
  synthesizeEnvironments([...environments, everythingOn], { outdir: path.join(temp, "environments") });
  const app = new App({ outdir: path.join(temp, "bootstrap") });
  new BootstrapStack(app, BOOTSTRAP_STACK_ID, bootstrap);
  app.synth();
  const cdktf: Documents = readSynthOutput(path.join(temp, "environments"), "environments");
  readSynthOutput(path.join(temp, "bootstrap"), "bootstrap", cdktf);
  cdktf.set("guard", new Map<string, Json>([["weakStack", "TlsGuardError: TLS guard: 4 violations"]]));
  const stacks = [...cdktf].filter(([, addresses]) => isStackDocument(addresses)).map(([name]) => name);

  /** A deep copy of the cdktf side, to seed one change into. */
  const copy = (): Documents => new Map([...cdktf].map(([name, addresses]) => [name, new Map([...addresses].map(([a, body]) => [a, JSON.parse(JSON.stringify(body)) as Json]))]));
  /** The one address of a type in a document that `pick` selects. */
  const find = (documents: Documents, document: string, type: string, pick: (body: Body) => boolean = () => true): [string, Body] => {
    const found = [...documents.get(document)!].filter(([address, body]) => address.startsWith(`${type}.`) && pick(body as Body));
    expect(found).toHaveLength(1);
    return found[0] as [string, Body];
  };

  test("finds no difference between an output and an identical copy of it", () => {
    expect(diffDocuments(cdktf, copy())).toEqual([]);
  });

  test("covers every TLS-relevant resource type it reports on, in the environments, the everything-on fixture and the bootstrap stack", () => {
    const coverage = tlsCoverage(cdktf);
    expect([...coverage.keys()]).toEqual(Object.keys(TLS_RELEVANT));
    for (const [type, { resources }] of coverage) expect({ type, covered: resources > 0 }).toEqual({ type, covered: true });
  });

  const https = (body: Body) => body.protocol === "HTTPS";
  const seeded: Array<[string, string, string, (body: Body) => boolean, string[], (body: Body) => void]> = [
    ["the HTTPS listener's ssl_policy", "environments/tls-dev", "aws_lb_listener", https, ["ssl_policy"], (b) => (b.ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06")],
    ["the HTTPS listener's port", "environments/tls-prod", "aws_lb_listener", https, ["port"], (b) => (b.port = 8443)],
    ["the HTTP listener's redirect status", "environments/tls-dev", "aws_lb_listener", (b) => b.protocol === "HTTP", ["default_action", "0", "redirect", "status_code"], (b) => (b.default_action[0].redirect.status_code = "HTTP_302")],
    ["the HSTS header", "environments/tls-dev", "aws_lb_listener", https, ["routing_http_response_strict_transport_security_header_value"], (b) => (b.routing_http_response_strict_transport_security_header_value = "max-age=300")],
    ["mutual TLS's mode", "environments/tls-everything", "aws_lb_listener", https, ["mutual_authentication", "mode"], (b) => (b.mutual_authentication.mode = "passthrough")],
    ["the certificate's key algorithm", "environments/tls-dev", "aws_acm_certificate", () => true, ["key_algorithm"], (b) => (b.key_algorithm = "RSA_2048")],
    ["the certificate's validation method", "environments/tls-dev", "aws_acm_certificate", () => true, ["validation_method"], (b) => (b.validation_method = "EMAIL")],
    ["a SAN dropped", "environments/tls-staging", "aws_acm_certificate", () => true, ["subject_alternative_names", "LAST"], (b) => b.subject_alternative_names.pop()],
    ["a listener certificate's certificate", "environments/tls-everything", "aws_lb_listener_certificate", (b) => /RsaFallback/.test(b.certificate_arn), ["certificate_arn"], (b) => (b.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/other")],
    ["a validation record's TTL", "environments/tls-dev", "aws_route53_record", () => true, ["ttl"], (b) => (b.ttl = 300)],
    ["an expiry alarm's threshold", "environments/tls-dev", "aws_cloudwatch_metric_alarm", () => true, ["threshold"], (b) => (b.threshold = 1)],
    ["the bootstrap plan role's policy", "bootstrap/tls-bootstrap", "aws_iam_policy", (b) => /"Sid":"CertificatesRead"/.test(b.policy), ["policy"], (b) => (b.policy = b.policy.replace('"Effect":"Allow"', '"Effect":"Deny"'))],
  ];

  test.each(seeded)("reports a seeded change to %s as its one unexplained difference", (_what, document, type, pick, at, change) => {
    // GIVEN the cdktn side with one TLS-relevant change
    const cdktn = copy();
    const [address, body] = find(cdktn, document, type, pick);
    const before = JSON.parse(JSON.stringify(body)) as Body;
    change(body);
    const pathTo = at.map((key, i) => (key === "LAST" ? String(before[at[i - 1]].length - 1) : key));
    const value = (root: Body) => pathTo.reduce<any>((node, key) => node?.[key], root);
    // WHEN
    const differences = diffDocuments(cdktf, cdktn);
    const verdict = judge(differences, committed, stacks);
    // THEN
    const expected: Difference = { document, address, path: pathTo, cdktf: value(before), ...(value(body) === undefined ? {} : { cdktn: value(body) }) };
    expect(differences).toEqual([expected]);
    expect(verdict.unexplained).toEqual([expected]);
  });

  test("reports an address on one side only, with its whole body", () => {
    const cdktn = copy();
    const [address, body] = find(cdktn, "environments/tls-everything", "aws_lb_trust_store");
    cdktn.get("environments/tls-everything")!.delete(address);
    cdktn.get("environments/tls-dev")!.set("aws_lb_listener.Extra", { port: 8443 });
    expect(diffDocuments(cdktf, cdktn)).toEqual([
      { document: "environments/tls-dev", address: "aws_lb_listener.Extra", path: [], cdktn: { port: 8443 } },
      { document: "environments/tls-everything", address, path: [], cdktf: body },
    ]);
  });

  test("reports a changed TLS guard verdict", () => {
    const cdktn = copy();
    cdktn.get("guard")!.set("weakStack", "synthesized");
    expect(judge(diffDocuments(cdktf, cdktn), committed, stacks).unexplained).toEqual([
      { document: "guard", address: "weakStack", path: [], cdktf: "TlsGuardError: TLS guard: 4 violations", cdktn: "synthesized" },
    ]);
  });

  /** The cdktn side as cdktn 0.24.0 + @cdktn/provider-aws 25.7.0 write it (what check:cdktn found). */
  const asCdktn = (documents: Documents, only?: string): Documents => {
    for (const [name, addresses] of documents) {
      if (!isStackDocument(addresses) || (only !== undefined && name !== only)) continue;
      const terraform = addresses.get("terraform") as Body;
      terraform.required_providers.aws = { source: "hashicorp/aws", version: "6.66.0" };
      (addresses.get("//") as Body).metadata.version = "0.24.0";
    }
    return documents;
  };

  test("the committed explanations explain the provider and framework versions in every stack, and nothing stale", () => {
    const verdict = judge(diffDocuments(cdktf, asCdktn(copy())), committed, stacks);
    expect(verdict.unexplained).toEqual([]);
    expect(verdict.stale).toEqual([]);
    expect(verdict.explained).toHaveLength(3 * stacks.length);
  });

  test("an explanation holds only for its exact place and both exact values", () => {
    const cdktn = asCdktn(copy());
    (cdktn.get("environments/tls-dev")!.get("terraform") as Body).required_providers.aws.version = "6.67.0";
    const verdict = judge(diffDocuments(cdktf, cdktn), committed, stacks);
    expect(verdict.unexplained).toEqual([
      { document: "environments/tls-dev", address: "terraform", path: ["required_providers", "aws", "version"], cdktf: "5.100.0", cdktn: "6.67.0" },
    ]);
    expect(verdict.stale.map(({ entry, missingIn }) => [entry.cdktn, missingIn])).toEqual([["6.66.0", ["environments/tls-dev"]]]);
  });

  test("an explanation that names no documents must hold in every stack: where it does not, it is stale", () => {
    const verdict = judge(diffDocuments(cdktf, asCdktn(copy(), "environments/tls-dev")), committed, stacks);
    expect(verdict.unexplained).toEqual([]);
    expect(verdict.stale).toHaveLength(3);
    for (const { missingIn } of verdict.stale) expect(missingIn).toEqual(stacks.filter((s) => s !== "environments/tls-dev"));
  });

  test("an explanation scoped to documents explains the difference there only", () => {
    const entry: ExpectedDifference = { documents: ["environments/tls-dev"], address: "terraform", path: ["required_providers", "aws", "version"], cdktf: "5.100.0", cdktn: "6.66.0", reason: "x".repeat(40) };
    const verdict = judge(diffDocuments(cdktf, asCdktn(copy(), "environments/tls-prod")), [entry], stacks);
    expect(verdict.explained).toEqual([]);
    expect(verdict.unexplained.map((d) => `${d.document} ${d.path.join(".")}`)).toContain("environments/tls-prod required_providers.aws.version");
    expect(verdict.stale).toEqual([{ entry, missingIn: ["environments/tls-dev"] }]);
  });

  test("the committed expected-differences.json names for each entry one exact place, both values and why", () => {
    expect(committed.length).toBeGreaterThan(0);
    for (const entry of committed) {
      expect(entry).toEqual({ address: expect.any(String), path: expect.any(Array), cdktf: expect.anything(), cdktn: expect.anything(), reason: expect.any(String) });
    }
  });

  test("refuses wildcards, entries without a value, short reasons, unknown keys and a second entry for the same place and values, listing every problem at once", () => {
    const good = { address: "terraform", path: ["required_providers", "aws", "version"], cdktf: "5.100.0", cdktn: "6.66.0", reason: "x".repeat(40) };
    const text = JSON.stringify([good, { ...good, address: "aws_lb_listener.*" }, { ...good, path: ["*"] }, { address: "terraform", path: [], reason: "x".repeat(40) }, { ...good, reason: "provider 6" }, { ...good, note: 1 }, good, { ...good, documents: [] }]);
    expect(() => parseExpectedDifferences(text, "e.json")).toThrow(
      [
        "e.json: 9 problems:",
        '  - e.json[1].address: must be one exact address, got "aws_lb_listener.*"',
        '  - e.json[2].path: must be an array of exact keys, got ["*"]',
        "  - e.json[3]: give the value on at least one side (cdktf, cdktn)",
        "  - e.json[4].reason: say why, in at least 40 characters",
        "  - e.json[4]: duplicates an earlier entry",
        '  - e.json[5]: unknown key "note" (known: documents, address, path, cdktf, cdktn, reason)',
        "  - e.json[5]: duplicates an earlier entry",
        "  - e.json[6]: duplicates an earlier entry",
        "  - e.json[7].documents: must be a non-empty array of exact document names (or left out: every stack)",
      ].join("\n"),
    );
  });
});
