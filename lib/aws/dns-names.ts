/** DNS name rules for ACM certificate names and Route53 zone apexes, plus zone matching and validation grouping. */

/** RFC 1035: a name is at most 253 characters in text form, a label at most 63. */
export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Problems with a certificate name, each a short phrase; empty when the name is valid.
 * Uppercase is rejected rather than normalised: ACM and Route53 treat names case-insensitively, but the
 * synthesized validation-record ids and lookups key on the exact string, so one spelling must be written down.
 */
export function dnsNameProblems(name: string, options: { allowWildcard: boolean }): string[] {
  if (name.length === 0) return ["must not be empty"];
  const problems: string[] = [];
  if (name.length > MAX_NAME_LENGTH) problems.push(`is ${name.length} characters long, more than ${MAX_NAME_LENGTH}`);
  if (name !== name.toLowerCase()) problems.push("must be lowercase");
  if (name.endsWith(".")) problems.push("must not end with a dot");
  if (/\s/.test(name)) problems.push("must not contain whitespace");

  const labels = (name.endsWith(".") ? name.slice(0, -1) : name).split(".");
  if (labels.some((label) => label.length === 0)) problems.push("has an empty label (leading or doubled dot)");
  // "com." is still one label once its trailing dot goes.
  if (labels.length < 2) problems.push("must have at least two labels");
  labels.forEach((label, index) => {
    if (label.length === 0) return;
    if (label.length > MAX_LABEL_LENGTH) {
      problems.push(`label "${label.slice(0, 20)}..." is ${label.length} characters long, more than ${MAX_LABEL_LENGTH}`);
    }
    if (label.includes("*")) {
      if (!options.allowWildcard) problems.push("must not contain a wildcard");
      else if (label !== "*" || index !== 0) problems.push("a wildcard may only be the whole leftmost label");
      return;
    }
    // Case and whitespace are reported once for the whole name above; here only the other characters count.
    const lower = label.replace(/\s/g, "").toLowerCase();
    if (lower.length > 0 && !LABEL.test(lower) && label.length <= MAX_LABEL_LENGTH) {
      problems.push(`label "${label}" may only hold letters, digits and inner hyphens`);
    }
  });
  if (options.allowWildcard && labels[0] === "*" && labels.length < 3) {
    problems.push("a wildcard needs a parent of at least two labels (ACM rejects *.tld)");
  }
  // One phrase per kind of mistake: "*.*.*.example.com" has one wildcard problem, not two.
  return [...new Set(problems)];
}

/** The name ACM validates for a certificate name: `*.api.example.com` validates as `api.example.com`. */
export function validationName(name: string): string {
  return name.startsWith("*.") ? name.slice(2) : name;
}

/** True when `name` is `apex` or lies below it. */
export function isUnderZone(name: string, apex: string): boolean {
  return name === apex || name.endsWith(`.${apex}`);
}

/** The zone apex with the longest matching suffix, or undefined when no zone holds the name. */
export function zoneApexFor(name: string, apexes: readonly string[]): string | undefined {
  const candidate = validationName(name);
  return apexes
    .filter((apex) => isUnderZone(candidate, apex))
    .sort((a, b) => b.length - a.length)[0];
}

/** One DNS validation record ACM will ask for. */
export interface ValidationGroup {
  /** The name the CNAME proves control of (wildcard stripped). */
  readonly validationName: string;
  /** A certificate name in this group, as ACM reports it in `domain_validation_options[*].domain_name`. */
  readonly lookupName: string;
  /** Every certificate name that this record validates. */
  readonly certificateNames: readonly string[];
}

/**
 * Groups certificate names by the validation record they share (`api.example.com` and `*.api.example.com` share
 * one CNAME), sorted by validation name so synthesized output is stable.
 */
export function validationGroups(names: readonly string[]): ValidationGroup[] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const key = validationName(name);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, members]) => ({
      validationName: key,
      // Prefer the plain name: it is what ACM lists when both the name and its wildcard are requested.
      lookupName: members.includes(key) ? key : members[0],
      certificateNames: members,
    }));
}
