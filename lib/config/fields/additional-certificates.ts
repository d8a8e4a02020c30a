import { z } from "zod";
import { dnsNameProblems } from "../../aws/dns-names";
import { certificateNames } from "../environment-config";
import { certificateNameProblems, defaultSanProblems, sanListProblems } from "./certificate-names";
import { FieldProblem, FieldSpec, problem, ValidationContext } from "./field";
import { sniQuotaProblem } from "./max-load-balancer-certificates";

/**
 * additionalCertificates: each certificate follows the default certificate's name rules (syntax, a configured zone,
 * no repeated name, at most maxCertificateNames names, the `*.<domainName>` SAN default). Across certificates: the
 * domain names are unique (a certificate's resources are keyed by it, so reordering never replaces one), no two
 * certificates (the default one included) have the same set of names (the second would add nothing), and the stack's
 * SNI certificates fit maxLoadBalancerCertificates (ELB's quota per load balancer), the RSA fallback and its EC twin
 * included.
 * Names may overlap between certificates: their validation records are shared.
 */
export const additionalCertificates: FieldSpec<"additionalCertificates"> = {
  schema: z.array(z.object({ domainName: z.string(), subjectAlternativeNames: z.array(z.string()).optional() }).strict()).optional(),
  rules: (value, context) => {
    const problems: FieldProblem[] = [];
    const firstByDomain = new Map<string, number>();
    // Sorted name set -> who has it first; the default certificate's set when its names are valid.
    const firstBySet = new Map<string, string>(context.certificateNames === undefined ? [] : [[nameSet(context.certificateNames), "the default certificate"]]);
    value.forEach((certificate, index) => {
      const at = `additionalCertificates[${index}]`;
      const names = checkNames(certificate, at, context, problems);
      if (firstByDomain.has(certificate.domainName)) {
        problems.push(problem(`${at}.domainName`, certificate.domainName, `duplicate of additionalCertificates[${firstByDomain.get(certificate.domainName)}].domainName (each additional certificate is keyed by its domain name)`));
      } else {
        firstByDomain.set(certificate.domainName, index);
        if (names !== undefined) {
          const same = firstBySet.get(nameSet(names));
          if (same !== undefined) problems.push(problem(at, certificate, `has the same names as ${same}, so it would add nothing`));
          else firstBySet.set(nameSet(names), at);
        }
      }
    });
    const quota = sniQuotaProblem(context.raw);
    if (quota !== undefined) problems.push(problem("additionalCertificates", value, quota));
    return problems;
  },
};

/** Pushes the problems of one certificate's names; returns its names (default applied) when all are valid DNS names. */
function checkNames(
  certificate: { readonly domainName: string; readonly subjectAlternativeNames?: readonly string[] },
  at: string,
  context: ValidationContext,
  problems: FieldProblem[],
): string[] | undefined {
  problems.push(...certificateNameProblems(`${at}.domainName`, certificate.domainName, context));
  const sans = certificate.subjectAlternativeNames;
  problems.push(
    ...(sans === undefined
      ? defaultSanProblems(`${at}.subjectAlternativeNames (default)`, certificate.domainName, context)
      : sanListProblems(`${at}.subjectAlternativeNames`, sans, { name: certificate.domainName, path: `${at}.domainName` }, context)),
  );
  const names = certificateNames(certificate);
  const max = context.maxCertificateNames;
  if (max !== undefined && names.length > max) {
    problems.push(
      problem(`${at}.subjectAlternativeNames`, sans, `certificate would have ${names.length} names, more than maxCertificateNames (${max}); ask AWS for a higher ACM quota and raise maxCertificateNames`),
    );
  }
  const syntaxValid = names.every((name) => dnsNameProblems(name, { allowWildcard: true }).length === 0);
  return syntaxValid ? names : undefined;
}

function nameSet(names: readonly string[]): string {
  return JSON.stringify([...new Set(names)].sort());
}
