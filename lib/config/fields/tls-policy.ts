import { z } from "zod";
import { allowsOnlyModernTls, findAlbTlsPolicy, MINIMUM_TLS_VERSION } from "../../aws/tls-policies";
import { FieldSpec, problem } from "./field";

/** tlsPolicy: a predefined ALB policy from the catalogue (lib/aws/tls-policies.ts) allowing nothing older than TLS 1.2. */
export const tlsPolicy: FieldSpec<"tlsPolicy"> = {
  schema: z.string().optional(),
  rules: (value) => {
    const policy = findAlbTlsPolicy(value);
    if (policy === undefined) return [problem("tlsPolicy", value, "is not a predefined ALB security policy (see lib/aws/tls-policies.ts)")];
    if (!allowsOnlyModernTls(policy)) return [problem("tlsPolicy", value, `allows ${policy.minTlsVersion}; the minimum is ${MINIMUM_TLS_VERSION}`)];
    return [];
  },
};
