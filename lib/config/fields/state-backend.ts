import { z } from "zod";
import { FieldProblem, FieldSpec, problem, templateProblem } from "./field";
import { isRegion, REGION_MESSAGE } from "./region";

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Whether a name is a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens; no "..")). */
export function isS3BucketName(value: string): boolean {
  return S3_BUCKET.test(value) && !value.includes("..");
}

/** stateBackend: S3 names checked before Terraform's init fails on them. */
export const stateBackend: FieldSpec<"stateBackend"> = {
  schema: z
    .object({
      s3: z
        .object({ bucket: z.string(), key: z.string().optional(), region: z.string().optional(), dynamodbTable: z.string().optional() })
        .strict(),
    })
    .strict()
    .optional(),
  rules: ({ s3 }) => {
    const problems: FieldProblem[] = [];
    if (!isS3BucketName(s3.bucket)) {
      problems.push(problem("stateBackend.s3.bucket", s3.bucket, "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"));
    }
    if (s3.key !== undefined && (s3.key.length === 0 || s3.key.startsWith("/"))) {
      problems.push(problem("stateBackend.s3.key", s3.key, "must be a non-empty key without a leading slash"));
    }
    // Terraform evaluates backend settings without variables: a template there fails `terraform init`.
    const template = s3.key === undefined ? undefined : templateProblem("stateBackend.s3.key", s3.key);
    if (template !== undefined) problems.push(template);
    if (s3.region !== undefined && !isRegion(s3.region)) problems.push(problem("stateBackend.s3.region", s3.region, REGION_MESSAGE));
    if (s3.dynamodbTable !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(s3.dynamodbTable)) {
      problems.push(problem("stateBackend.s3.dynamodbTable", s3.dynamodbTable, "is not a valid DynamoDB table name"));
    }
    return problems;
  },
};
