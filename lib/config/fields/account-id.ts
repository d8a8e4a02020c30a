import { z } from "zod";
import { FieldSpec, problem } from "./field";

export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** accountId: becomes the provider's allowed_account_ids; every ARN must name it. */
export const accountId: FieldSpec<"accountId"> = {
  schema: z.string().optional(),
  rules: (value) => (isAccountId(value) ? [] : [problem("accountId", value, "must be 12 digits")]),
};
