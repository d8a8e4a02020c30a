import { dnsNameProblems, zoneApexFor } from "../../aws/dns-names";
import { FieldProblem, problem, ValidationContext } from "./field";

/**
 * Rules every certificate name shares (domainName, each SAN): DNS syntax, and lying under a configured hosted zone,
 * since DNS validation needs a record in one. `hint` is appended to syntax messages (the default SAN says so).
 */
export function certificateNameProblems(path: string, name: string, context: ValidationContext, hint = ""): FieldProblem[] {
  const syntax = dnsNameProblems(name, { allowWildcard: true });
  const problems = syntax.map((text) => problem(path, name, `${text}${hint}`));
  if (syntax.length === 0 && hint === "" && context.zoneApexes.length > 0 && zoneApexFor(name, context.zoneApexes) === undefined) {
    problems.push(problem(path, name, `is under no configured hosted zone (zones: ${context.zoneApexes.join(", ")})`));
  }
  return problems;
}

/**
 * The problems of the SAN default `*.<domainName>` of a certificate whose SANs are omitted (it can be invalid when
 * domainName is not, e.g. 252 characters + "*."); none when domainName itself is invalid, whose problems it would only
 * repeat.
 */
export function defaultSanProblems(path: string, domainName: string, context: ValidationContext): FieldProblem[] {
  if (dnsNameProblems(domainName, { allowWildcard: true }).length > 0) return [];
  return certificateNameProblems(path, `*.${domainName}`, context, " (the default *.<domainName>; list subjectAlternativeNames explicitly)");
}

/**
 * The problems of a certificate's SAN list (each at `<sansPath>[<i>]`): each name's own rules, and no name repeated,
 * neither within the list nor of the certificate's domain name (given with its path, when it is a string).
 */
export function sanListProblems(
  sansPath: string,
  sans: readonly string[],
  domain: { readonly name: string; readonly path: string } | undefined,
  context: ValidationContext,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const firstPath = new Map<string, string>(domain === undefined ? [] : [[domain.name, domain.path]]);
  sans.forEach((name, index) => {
    const path = `${sansPath}[${index}]`;
    problems.push(...certificateNameProblems(path, name, context));
    if (firstPath.has(name)) problems.push(problem(path, name, `duplicate of ${firstPath.get(name)}`));
    else firstPath.set(name, path);
  });
  return problems;
}

/** The problem of a certificate with more names than `maxCertificateNames`, reported on subjectAlternativeNames. */
export function nameCountProblems(count: number, context: ValidationContext): FieldProblem[] {
  const max = context.maxCertificateNames;
  if (max === undefined || count <= max) return [];
  return [
    problem(
      "subjectAlternativeNames",
      context.raw.subjectAlternativeNames,
      `certificate would have ${count} names (domainName and ${count - 1} more), more than maxCertificateNames (${max}); ask AWS for a higher ACM quota and raise maxCertificateNames`,
    ),
  ];
}
