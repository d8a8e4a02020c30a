import { z } from "zod";
import { DEFAULTS } from "../environment-config";
import { nameCountProblems } from "./certificate-names";
import { FieldSpec, problem } from "./field";

/** The configured quota, its default when omitted, or undefined when invalid (then no count check repeats the problem). */
export function effectiveMaxCertificateNames(raw: unknown): number | undefined {
  if (raw === undefined) return DEFAULTS.maxCertificateNames;
  return typeof raw === "number" && Number.isInteger(raw) && raw >= 1 && raw <= 100 ? raw : undefined;
}

/**
 * maxCertificateNames: ACM's quota of names per certificate (default 10, hard limit 100). With the SAN default the
 * certificate has two names, so a quota of 1 is reported here: there is no subjectAlternativeNames rule to run.
 */
export const maxCertificateNames: FieldSpec<"maxCertificateNames"> = {
  schema: z.number().int().optional(),
  rules: (value, context) => {
    if (effectiveMaxCertificateNames(value) === undefined) {
      return [problem("maxCertificateNames", value, "must be between 1 and 100 (ACM's hard limit is 100)")];
    }
    const defaultSans = context.raw.subjectAlternativeNames === undefined && typeof context.raw.domainName === "string";
    return defaultSans ? nameCountProblems(2, context) : [];
  },
};
