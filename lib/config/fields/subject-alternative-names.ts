import { z } from "zod";
import { nameCountProblems, sanListProblems } from "./certificate-names";
import { FieldSpec } from "./field";

/** subjectAlternativeNames: each name valid and under a zone, no repeats (of each other or domainName), within the quota. */
export const subjectAlternativeNames: FieldSpec<"subjectAlternativeNames"> = {
  schema: z.array(z.string()).optional(),
  rules: (value, context) => {
    const domain = typeof context.raw.domainName === "string" ? context.raw.domainName : undefined;
    return [
      ...sanListProblems("subjectAlternativeNames", value, domain === undefined ? undefined : { name: domain, path: "domainName" }, context),
      ...nameCountProblems((domain === undefined ? 0 : 1) + value.length, context),
    ];
  },
};
