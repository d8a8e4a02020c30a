/**
 * The comparison `npm run check:cdktn` makes between what cdktf and what cdktn synthesize from the same project:
 * document by document (one per synthesized stack, plus the TLS guard's verdicts), address by address (Terraform's:
 * `aws_lb_listener.HttpsListener_40E12694`, `data.x.y`, `output.name`, `provider.aws`, `import.<to>`), then every
 * attribute below it. Every difference must match one entry of scripts/cdktn/expected-differences.json, which
 * names the exact place and both values, and says why.
 */
import * as fs from "fs";
import * as path from "path";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One side's output: document name -> address -> body. */
export type Documents = Map<string, Map<string, Json>>;

export interface Difference {
  readonly document: string;
  readonly address: string;
  /** Below the address; empty when the whole address is on one side only. */
  readonly path: readonly string[];
  /** Absent (undefined) when this side has nothing there. */
  readonly cdktf?: Json;
  readonly cdktn?: Json;
}

export interface ExpectedDifference {
  /** Documents it occurs in; omitted: every stack document, and it must occur in each of them. */
  readonly documents?: readonly string[];
  readonly address: string;
  readonly path: readonly string[];
  /** Exact values on each side; a side without the key means "absent there". */
  readonly cdktf?: Json;
  readonly cdktn?: Json;
  readonly reason: string;
}

/** Reads one synth output directory (manifest.json + stacks/<id>/cdk.tf.json) as documents `<label>/<stack id>`. */
export function readSynthOutput(outdir: string, label: string, into: Documents = new Map()): Documents {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string; annotations?: Array<{ constructPath: string; level: string; message: string }> }>;
  };
  for (const [id, stack] of Object.entries(manifest.stacks)) {
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) as JsonObject;
    const addresses = stackAddresses(synthesized);
    // The stack's synth warnings (e.g. an exempted TLS guard rule), without the stack trace of the machine that ran it.
    addresses.set("annotations", (stack.annotations ?? []).map(({ constructPath, level, message }) => ({ constructPath, level, message })));
    into.set(`${label}/${id}`, addresses);
  }
  return into;
}

/** A plain JSON document (e.g. the guard's verdicts) as document `<label>`, one address per top-level key. */
export function readJsonDocument(file: string, label: string, into: Documents = new Map()): Documents {
  const body = JSON.parse(fs.readFileSync(file, "utf8")) as JsonObject;
  into.set(label, new Map(Object.entries(body)));
  return into;
}

/** True for a document that is a synthesized stack (has a `terraform` block). */
export function isStackDocument(addresses: ReadonlyMap<string, Json>): boolean {
  return addresses.has("terraform");
}

/** Terraform addresses of a cdk.tf.json: resources, data sources, outputs, providers, import blocks, the rest by key. */
export function stackAddresses(stack: JsonObject): Map<string, Json> {
  const addresses = new Map<string, Json>();
  for (const [block, body] of Object.entries(stack)) {
    if ((block === "resource" || block === "data") && isObject(body)) {
      for (const [type, resources] of Object.entries(body)) {
        for (const [name, resource] of Object.entries(resources as JsonObject)) {
          addresses.set(`${block === "data" ? "data." : ""}${type}.${name}`, resource);
        }
      }
    } else if ((block === "output" || block === "provider" || block === "variable" || block === "module") && isObject(body)) {
      for (const [name, value] of Object.entries(body)) addresses.set(`${block}.${name}`, value);
    } else if (block === "import" && Array.isArray(body)) {
      for (const entry of body) addresses.set(`import.${isObject(entry) ? String(entry.to) : JSON.stringify(entry)}`, entry);
    } else {
      addresses.set(block, body);
    }
  }
  return addresses;
}

/** Every difference between the two sides, in document, address and path order. */
export function diffDocuments(cdktf: Documents, cdktn: Documents): Difference[] {
  const differences: Difference[] = [];
  for (const document of sortedUnion(cdktf.keys(), cdktn.keys())) {
    const before = cdktf.get(document);
    const after = cdktn.get(document);
    if (before === undefined || after === undefined) {
      differences.push({ document, address: "(document)", path: [], ...(before ? { cdktf: "present" } : { cdktn: "present" }) });
      continue;
    }
    for (const address of sortedUnion(before.keys(), after.keys())) {
      const [a, b] = [before.get(address), after.get(address)];
      if (a === undefined || b === undefined) differences.push({ document, address, path: [], ...side("cdktf", a), ...side("cdktn", b) });
      else diffValues(a, b, []).forEach(({ path, cdktf: x, cdktn: y }) => differences.push({ document, address, path, ...side("cdktf", x), ...side("cdktn", y) }));
    }
  }
  return differences;
}

function side(name: "cdktf" | "cdktn", value: Json | undefined): Partial<Record<"cdktf" | "cdktn", Json>> {
  return value === undefined ? {} : { [name]: value };
}

/** Leaf-level differences of two values (objects by key, arrays by index; a type change is one difference). */
function diffValues(a: Json, b: Json, at: string[]): Array<{ path: string[]; cdktf?: Json; cdktn?: Json }> {
  if (isObject(a) && isObject(b)) {
    return sortedUnion(Object.keys(a), Object.keys(b)).flatMap((key) =>
      !(key in a) || !(key in b) ? [{ path: [...at, key], cdktf: a[key], cdktn: b[key] }] : diffValues(a[key], b[key], [...at, key]),
    );
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    return Array.from({ length }, (_, i) => i).flatMap((i) =>
      i >= a.length || i >= b.length ? [{ path: [...at, String(i)], cdktf: a[i], cdktn: b[i] }] : diffValues(a[i], b[i], [...at, String(i)]),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, cdktf: a, cdktn: b }];
}

export interface Verdict {
  /** Each difference with the entry that explains it (undefined: unexplained). */
  readonly explained: Array<{ difference: Difference; entry: ExpectedDifference }>;
  readonly unexplained: Difference[];
  /** Entries that did not match where they say they occur: [entry, the documents where it was missing]. */
  readonly stale: Array<{ entry: ExpectedDifference; missingIn: string[] }>;
}

/** Matches every difference against the expected ones; `stackDocuments` are the documents an unscoped entry covers. */
export function judge(differences: readonly Difference[], expected: readonly ExpectedDifference[], stackDocuments: readonly string[]): Verdict {
  const explained: Verdict["explained"] = [];
  const unexplained: Difference[] = [];
  const seen = new Map<ExpectedDifference, Set<string>>(expected.map((entry) => [entry, new Set()]));
  for (const difference of differences) {
    const entry = expected.find((candidate) => matches(candidate, difference, stackDocuments));
    if (entry === undefined) unexplained.push(difference);
    else {
      explained.push({ difference, entry });
      seen.get(entry)!.add(difference.document);
    }
  }
  const stale = expected
    .map((entry) => ({ entry, missingIn: (entry.documents ?? stackDocuments).filter((document) => !seen.get(entry)!.has(document)) }))
    .filter(({ missingIn }) => missingIn.length > 0);
  return { explained, unexplained, stale };
}

function matches(entry: ExpectedDifference, difference: Difference, stackDocuments: readonly string[]): boolean {
  return (
    (entry.documents ?? stackDocuments).includes(difference.document) &&
    entry.address === difference.address &&
    JSON.stringify(entry.path) === JSON.stringify(difference.path) &&
    sameSide(entry, difference, "cdktf") &&
    sameSide(entry, difference, "cdktn")
  );
}

function sameSide(entry: ExpectedDifference, difference: Difference, name: "cdktf" | "cdktn"): boolean {
  const [has, other] = [name in entry, name in difference];
  return has === other && (!has || JSON.stringify(entry[name]) === JSON.stringify(difference[name]));
}

const WILDCARD = /[*?[\]{}]|\.\*/;
export const MIN_REASON_LENGTH = 40;

/**
 * Parses and checks expected-differences.json: an array of entries, each naming an exact address and path (no
 * wildcards; an empty path is the whole address), the exact value on each side (a side left out means "absent
 * there", so an entry can never excuse more than one exact change), and a reason of at least MIN_REASON_LENGTH
 * characters. Throws one error listing every problem.
 */
export function parseExpectedDifferences(text: string, file = "expected-differences.json"): ExpectedDifference[] {
  const raw = JSON.parse(text) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: must be a JSON array of expected differences`);
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.forEach((entry: unknown, i) => {
    const where = `${file}[${i}]`;
    if (!isObject(entry as Json)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const known = ["documents", "address", "path", "cdktf", "cdktn", "reason"];
    for (const key of Object.keys(e)) if (!known.includes(key)) problems.push(`${where}: unknown key "${key}" (known: ${known.join(", ")})`);
    if (typeof e.address !== "string" || e.address === "" || WILDCARD.test(e.address)) problems.push(`${where}.address: must be one exact address, got ${JSON.stringify(e.address)}`);
    if (!Array.isArray(e.path) || !e.path.every((p) => typeof p === "string" && p !== "" && !WILDCARD.test(p))) {
      problems.push(`${where}.path: must be an array of exact keys, got ${JSON.stringify(e.path)}`);
    }
    if (!("cdktf" in e) && !("cdktn" in e)) problems.push(`${where}: give the value on at least one side (cdktf, cdktn)`);
    if (typeof e.reason !== "string" || e.reason.trim().length < MIN_REASON_LENGTH) problems.push(`${where}.reason: say why, in at least ${MIN_REASON_LENGTH} characters`);
    if ("documents" in e && (!Array.isArray(e.documents) || e.documents.length === 0 || !e.documents.every((d) => typeof d === "string" && !WILDCARD.test(d)))) {
      problems.push(`${where}.documents: must be a non-empty array of exact document names (or left out: every stack)`);
    }
    const key = JSON.stringify([e.documents, e.address, e.path, e.cdktf, e.cdktn]);
    if (seen.has(key)) problems.push(`${where}: duplicates an earlier entry`);
    seen.add(key);
  });
  if (problems.length > 0) throw new Error(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return raw as ExpectedDifference[];
}

/**
 * The TLS-relevant attributes, by resource type, the report counts (and the check requires at least one of each in
 * the cdktf output, so a fixture change cannot make the comparison silently cover nothing). Everything else is
 * compared too; these are the ones a reader of the report looks for.
 */
export const TLS_RELEVANT: Readonly<Record<string, readonly string[]>> = {
  aws_acm_certificate: ["domain_name", "subject_alternative_names", "key_algorithm", "validation_method", "options"],
  aws_acm_certificate_validation: ["certificate_arn", "validation_record_fqdns"],
  aws_lb_listener: ["port", "protocol", "ssl_policy", "certificate_arn", "default_action", "mutual_authentication", "routing_http_response_strict_transport_security_header_value"],
  aws_lb_listener_certificate: ["listener_arn", "certificate_arn"],
  aws_lb_trust_store: ["ca_certificates_bundle_s3_bucket", "ca_certificates_bundle_s3_key"],
  aws_route53_record: ["zone_id", "name", "type", "records", "ttl"],
  aws_cloudwatch_metric_alarm: ["namespace", "metric_name", "dimensions", "comparison_operator", "threshold", "alarm_actions"],
  aws_cloudwatch_event_rule: ["event_pattern"],
  aws_cloudwatch_event_target: ["rule", "arn"],
  aws_iam_role: ["assume_role_policy"],
  aws_iam_policy: ["policy"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_openid_connect_provider: ["url", "client_id_list"],
};

/** Per TLS-relevant type: how many resources were compared, and per attribute in how many of them it was set. */
export function tlsCoverage(cdktf: Documents): Map<string, { resources: number; attributes: Map<string, number> }> {
  const coverage = new Map(Object.entries(TLS_RELEVANT).map(([type, attributes]) => [type, { resources: 0, attributes: new Map(attributes.map((a) => [a, 0])) }]));
  for (const addresses of cdktf.values()) {
    for (const [address, body] of addresses) {
      const entry = coverage.get(address.split(".")[0]);
      if (entry === undefined || !isObject(body)) continue;
      entry.resources++;
      for (const attribute of entry.attributes.keys()) if (body[attribute] !== undefined) entry.attributes.set(attribute, entry.attributes.get(attribute)! + 1);
    }
  }
  return coverage;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}
