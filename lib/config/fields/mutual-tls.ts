import { z } from "zod";
import { FieldProblem, FieldSpec, isObject, problem, templateProblem } from "./field";
import { isS3BucketName } from "./state-backend";

const MODES = ["verify", "passthrough"];
const verifyShape = z
  .object({ mode: z.literal("verify"), trustStore: z.object({ bucket: z.string(), key: z.string() }).strict() })
  .strict();
const passthroughShape = z.object({ mode: z.literal("passthrough") }).strict();
/** S3's longest object key, in bytes (ASCII here). */
const MAX_S3_KEY_LENGTH = 1024;

/**
 * mutualTls: verify (a trust store from a CA bundle in S3) or passthrough. The mode is checked before the rest, so
 * `{ mode: "passthrough", trustStore }` says that passthrough checks nothing, instead of "unknown field".
 */
export const mutualTls: FieldSpec<"mutualTls"> = {
  schema: z.unknown().superRefine((value, context) => {
    if (value === undefined) return;
    if (!isObject(value)) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an object: { mode: "verify", trustStore: { bucket, key } } or { mode: "passthrough" }' });
      return;
    }
    if (!MODES.includes(value.mode as string)) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["mode"],
        message: value.mode === undefined ? 'is required: "verify" or "passthrough"' : 'must be "verify" or "passthrough" (omit mutualTls to ask clients for no certificate)',
      });
      return;
    }
    if (value.mode === "passthrough" && "trustStore" in value) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["trustStore"],
        message: 'is only used with mode "verify"; passthrough hands client certificates to the targets unchecked',
      });
      return;
    }
    const parsed = (value.mode === "verify" ? verifyShape : passthroughShape).safeParse(value);
    if (!parsed.success) parsed.error.issues.forEach((issue) => context.addIssue(issue as z.IssueData));
  }) as unknown as FieldSpec<"mutualTls">["schema"],
  rules: (value) => {
    if (value.mode !== "verify") return [];
    const problems: FieldProblem[] = [];
    const { bucket, key } = value.trustStore;
    if (!isS3BucketName(bucket)) {
      problems.push(problem("mutualTls.trustStore.bucket", bucket, "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"));
    }
    if (key.length === 0 || key.startsWith("/") || key.length > MAX_S3_KEY_LENGTH) {
      problems.push(problem("mutualTls.trustStore.key", key, `must be a non-empty S3 object key of at most ${MAX_S3_KEY_LENGTH} characters, without a leading slash`));
    }
    const template = templateProblem("mutualTls.trustStore.key", key);
    if (template !== undefined) problems.push(template);
    return problems;
  },
};
