import { z } from "zod";
import { FieldSpec, problem } from "./field";

const TERRAFORM_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** validationTimeout: a Terraform duration the validation resource's create timeout accepts, and not zero. */
export const validationTimeout: FieldSpec<"validationTimeout"> = {
  schema: z.string().optional(),
  rules: (value) =>
    TERRAFORM_DURATION.test(value) && /[1-9]/.test(value)
      ? []
      : [problem("validationTimeout", value, 'must be a positive Terraform duration like "30m" or "1h30m"')],
};
