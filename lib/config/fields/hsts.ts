import { z } from "zod";
import { HSTS_MAX_AGE_LIMIT, HSTS_PRELOAD_MIN_MAX_AGE } from "../hsts";
import { FieldProblem, FieldSpec, isObject, problem } from "./field";

const hstsObject = z
  .object({ maxAgeSeconds: z.number().int(), includeSubDomains: z.boolean().optional(), preload: z.boolean().optional() })
  .strict();

/**
 * hsts: `false`, or the header's parts. max-age is capped at two years (longer only prolongs a mistake; browsers
 * already treat a year as "long"). preload follows the preload list's submission rules (hstspreload.org): a list
 * entry covers every subdomain and is meant to last, so it needs includeSubDomains and a max-age of at least a year.
 */
export const hsts: FieldSpec<"hsts"> = {
  // Checked by hand at the top so `true` or a string gets one clear message, and by zod inside the object so a wrong
  // member is reported at its own path (a zod union would report only "invalid input" for both).
  schema: z.unknown().superRefine((value, context) => {
    if (value === undefined || value === false) return;
    if (!isObject(value)) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: "must be false or an object like { maxAgeSeconds: 31536000 }" });
      return;
    }
    const parsed = hstsObject.safeParse(value);
    if (!parsed.success) parsed.error.issues.forEach((issue) => context.addIssue(issue as z.IssueData));
  }) as unknown as FieldSpec<"hsts">["schema"],
  rules: (value) => {
    if (value === false) return [];
    const problems: FieldProblem[] = [];
    const maxAge = value.maxAgeSeconds;
    const inRange = maxAge >= 0 && maxAge <= HSTS_MAX_AGE_LIMIT;
    if (!inRange) problems.push(problem("hsts.maxAgeSeconds", maxAge, `must be between 0 and ${HSTS_MAX_AGE_LIMIT} (two years)`));
    if (value.preload === true) {
      if (value.includeSubDomains !== true) {
        problems.push(problem("hsts.preload", true, "requires includeSubDomains: true (the HSTS preload list's rule)"));
      }
      if (inRange && maxAge < HSTS_PRELOAD_MIN_MAX_AGE) {
        problems.push(problem("hsts.maxAgeSeconds", maxAge, `must be at least ${HSTS_PRELOAD_MIN_MAX_AGE} (one year) with preload (the HSTS preload list's rule)`));
      }
    }
    return problems;
  },
};
