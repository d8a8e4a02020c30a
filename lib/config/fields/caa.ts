import { z } from "zod";
import { ACM_CAA_ISSUERS, CaaConfig } from "../environment-config";
import { FieldProblem, FieldSpec, problem, templateProblem } from "./field";

/** A `mailto:` address: something@domain.tld, nothing that would break the record's quoting. */
const MAILTO = /^mailto:[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+$/;

/**
 * caa: issuers are checked against the names ACM accepts in a CAA record, because a CAA set without one of them makes
 * ACM's next renewal fail (CAA_ERROR) for every certificate in the zone. The schema takes any strings so the rules
 * can name the accepted issuers; the cast records that the rules narrow them.
 */
export const caa: FieldSpec<"caa"> = {
  schema: z
    .object({ issuers: z.array(z.string()).optional(), iodef: z.string().optional() })
    .strict()
    .optional() as z.ZodType<CaaConfig | undefined, z.ZodTypeDef, unknown>,
  rules: (value) => {
    const problems: FieldProblem[] = [];
    const issuers = value.issuers as readonly string[] | undefined;
    if (issuers !== undefined) {
      if (issuers.length === 0) {
        problems.push(problem("caa.issuers", issuers, `must name at least one issuer (an empty set would forbid ACM too; omit it for ["amazon.com"])`));
      }
      const first = new Map<string, number>();
      issuers.forEach((issuer, i) => {
        const path = `caa.issuers[${i}]`;
        if (!(ACM_CAA_ISSUERS as readonly string[]).includes(issuer)) {
          problems.push(problem(path, issuer, `is not a CAA issuer ACM accepts (${ACM_CAA_ISSUERS.join(", ")})`));
        } else if (first.has(issuer)) {
          problems.push(problem(path, issuer, `duplicate of caa.issuers[${first.get(issuer)}]`));
        } else {
          first.set(issuer, i);
        }
      });
    }
    if (value.iodef !== undefined && !isIodefUrl(value.iodef)) {
      problems.push(problem("caa.iodef", value.iodef, 'must be a "mailto:<address>" or "https://<host>/..." URL'));
    } else if (value.iodef !== undefined) {
      const template = templateProblem("caa.iodef", value.iodef);
      if (template !== undefined) problems.push(template);
    }
    return problems;
  },
};

function isIodefUrl(value: string): boolean {
  if (value.startsWith("mailto:")) return MAILTO.test(value);
  if (!value.startsWith("https://") || /[\s"]/.test(value)) return false;
  try {
    return new URL(value).hostname.includes(".");
  } catch {
    return false;
  }
}
