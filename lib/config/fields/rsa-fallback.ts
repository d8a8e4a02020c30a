import { z } from "zod";
import { FieldSpec, problem } from "./field";

/**
 * rsaFallback: only meaningful with an EC key. With keyAlgorithm RSA_2048 it is rejected rather than ignored: the
 * default certificate is already RSA, so the fallback would be a second, identical RSA certificate, and a setting
 * that silently does nothing usually means the configuration says something its author did not intend (an EC key
 * they thought they had).
 */
export const rsaFallback: FieldSpec<"rsaFallback"> = {
  schema: z.boolean().optional(),
  rules: (value, context) =>
    value === true && context.keyAlgorithm === "RSA_2048"
      ? [problem("rsaFallback", value, 'has no effect with keyAlgorithm "RSA_2048" (the default certificate is already RSA); use an EC keyAlgorithm or drop rsaFallback')]
      : [],
};
