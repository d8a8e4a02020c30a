import { z } from "zod";
import { FieldSpec, problem } from "./field";
import { sniQuotaProblem } from "./max-load-balancer-certificates";

/**
 * rsaFallback: only meaningful with an EC key. With keyAlgorithm RSA_2048 it is rejected rather than ignored: the
 * default certificate is already RSA, so the fallback would be a second, identical RSA certificate, and a setting
 * that silently does nothing usually means the configuration says something its author did not intend (an EC key
 * they thought they had). The fallback adds two SNI certificates (the RSA twin and an EC twin), which must fit
 * maxLoadBalancerCertificates.
 */
export const rsaFallback: FieldSpec<"rsaFallback"> = {
  schema: z.boolean().optional(),
  rules: (value, context) => {
    if (value !== true) return [];
    if (context.keyAlgorithm === "RSA_2048") {
      return [problem("rsaFallback", value, 'has no effect with keyAlgorithm "RSA_2048" (the default certificate is already RSA); use an EC keyAlgorithm or drop rsaFallback')];
    }
    // With additional certificates, their field reports the quota for the whole SNI list.
    const quota = Array.isArray(context.raw.additionalCertificates) ? undefined : sniQuotaProblem(context.raw);
    return quota === undefined ? [] : [problem("rsaFallback", value, quota)];
  },
};
