import { z } from "zod";
import { KEY_ALGORITHMS, KeyAlgorithm } from "../environment-config";
import { FieldSpec, problem } from "./field";

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly unknown[]).includes(value);
}

/** keyAlgorithm: one ACM issues for DNS-validated public certificates. */
export const keyAlgorithm: FieldSpec<"keyAlgorithm"> = {
  // A string here, so a wrong one gets the list of allowed values rather than zod's enum message.
  schema: z.string().optional() as FieldSpec<"keyAlgorithm">["schema"],
  rules: (value) => (isKeyAlgorithm(value) ? [] : [problem("keyAlgorithm", value, `must be one of ${KEY_ALGORITHMS.join(", ")}`)]),
};
