import { z } from "zod";
import { FieldSpec, problem } from "./field";

const ENVIRONMENT_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

/** Whether a name can identify an environment (and so label its problems). */
export function isEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME.test(name);
}

/** name: becomes the stack id `tls-<name>`, a Terraform-safe directory name. Uniqueness is checked across environments. */
export const name: FieldSpec<"name"> = {
  schema: z.string(),
  rules: (value) =>
    isEnvironmentName(value) ? [] : [problem("name", value, "must be 1-32 lowercase letters, digits or inner hyphens, starting with a letter")],
};
