import { z } from "zod";
import { dnsNameProblems } from "../dns-names";
import { certificateNameProblems } from "./certificate-names";
import { FieldProblem, FieldSpec } from "./field";

/**
 * domainName: the certificate's primary name. When subjectAlternativeNames is omitted, its default `*.<domainName>`
 * is checked here too (it can be invalid when domainName is not, e.g. 252 characters + "*."), but only when
 * domainName itself is valid: otherwise it would repeat domainName's problems.
 */
export const domainName: FieldSpec<"domainName"> = {
  schema: z.string(),
  rules: (value, context) => {
    const problems: FieldProblem[] = certificateNameProblems("domainName", value, context);
    const valid = dnsNameProblems(value, { allowWildcard: true }).length === 0;
    if (context.raw.subjectAlternativeNames === undefined && valid) {
      const hint = " (the default *.<domainName>; list subjectAlternativeNames explicitly)";
      problems.push(...certificateNameProblems("subjectAlternativeNames (default)", `*.${value}`, context, hint));
    }
    return problems;
  },
};
