import { dnsNameProblems, zoneApexFor } from "../dns-names";
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
