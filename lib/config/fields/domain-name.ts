import { z } from "zod";
import { certificateNameProblems, defaultSanProblems } from "./certificate-names";
import { FieldSpec } from "./field";

/**
 * domainName: the certificate's primary name. When subjectAlternativeNames is omitted, its default `*.<domainName>`
 * is checked here too: there is no subjectAlternativeNames rule to run.
 */
export const domainName: FieldSpec<"domainName"> = {
  schema: z.string(),
  rules: (value, context) => [
    ...certificateNameProblems("domainName", value, context),
    ...(context.raw.subjectAlternativeNames === undefined ? defaultSanProblems("subjectAlternativeNames (default)", value, context) : []),
  ],
};
