import { z } from "zod";
import { TRUST_STORE_QUOTAS } from "../../aws/quotas";
import { FieldProblem, FieldSpec, isObject, problem, templateProblem } from "./field";
import { isS3BucketName } from "./state-backend";

const MODES = ["verify", "passthrough"];
const s3Object = z.object({ bucket: z.string(), key: z.string() }).strict();
const verifyShape = z
  .object({ mode: z.literal("verify"), trustStore: s3Object.extend({ revocationLists: z.array(s3Object).optional() }).strict() })
  .strict();
const passthroughShape = z.object({ mode: z.literal("passthrough") }).strict();
/** S3's longest object key, in bytes (ASCII here). */
const MAX_S3_KEY_LENGTH = 1024;

/**
 * mutualTls: verify (a trust store from a CA bundle in S3, with the CAs' revocation lists) or passthrough. The mode is
 * checked before the rest, so `{ mode: "passthrough", trustStore }` says that passthrough checks nothing, instead of
 * "unknown field".
 *
 * What cannot be checked at synth, and ELB checks at apply: that the objects exist, are in the load balancer's region,
 * are readable with the deployer's credentials, and (for a revocation list) are a CRL of at most 50 MB signed by a CA
 * of the bundle.
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
    const { bucket, key, revocationLists = [] } = value.trustStore;
    const problems: FieldProblem[] = s3ObjectProblems("mutualTls.trustStore", bucket, key);
    const limit = TRUST_STORE_QUOTAS.revocationListsPerTrustStore;
    if (revocationLists.length > limit) {
      problems.push(
        problem(
          "mutualTls.trustStore.revocationLists",
          revocationLists.length,
          `holds ${revocationLists.length} revocation lists, more than ELB's default quota "Revocation lists per trust store" of ${limit}`,
        ),
      );
    }
    const seen = new Map<string, number>();
    revocationLists.forEach((list, index) => {
      const path = `mutualTls.trustStore.revocationLists[${index}]`;
      problems.push(...s3ObjectProblems(path, list.bucket, list.key));
      const location = `s3://${list.bucket}/${list.key}`;
      if (location === `s3://${bucket}/${key}`) {
        problems.push(problem(`${path}.key`, list.key, "is the CA bundle itself; a revocation list is a CRL file of its own"));
      }
      const first = seen.get(location);
      if (first !== undefined) {
        problems.push(problem(path, location, `is listed twice (also revocationLists[${first}]); ELB would hold the same CRL twice`));
      } else {
        seen.set(location, index);
      }
    });
    return problems;
  },
};

/** An S3 bucket name and object key, as S3 accepts them. */
function s3ObjectProblems(path: string, bucket: string, key: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isS3BucketName(bucket)) {
    problems.push(problem(`${path}.bucket`, bucket, "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"));
  }
  if (key.length === 0 || key.startsWith("/") || key.length > MAX_S3_KEY_LENGTH) {
    problems.push(problem(`${path}.key`, key, `must be a non-empty S3 object key of at most ${MAX_S3_KEY_LENGTH} characters, without a leading slash`));
  }
  const template = templateProblem(`${path}.key`, key);
  if (template !== undefined) problems.push(template);
  return problems;
}
