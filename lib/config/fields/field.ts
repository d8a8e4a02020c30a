import { z } from "zod";
import { ElbArn } from "../../aws/arns";
import { EnvironmentConfig, KeyAlgorithm } from "../environment-config";

/** One thing wrong with one field: its full path (`subjectAlternativeNames[1]`), the value, a phrase. */
export interface FieldProblem {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

/**
 * What the other fields of the same environment established, for cross-field rules. A value is present only when
 * its own field is valid, so a mistake is reported once, on its own field, and not again on every field it touches.
 */
export interface ValidationContext {
  /** The environment as given. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly region?: string;
  readonly accountId?: string;
  /** Apexes of the configured hosted zones whose names are valid. */
  readonly zoneApexes: readonly string[];
  /** The parsed load balancer ARN, when it is a valid ALB ARN. */
  readonly loadBalancer?: ElbArn;
  /** The load balancer, when it also agrees with the environment's region and account. */
  readonly agreeingLoadBalancer?: ElbArn;
  /** `maxCertificateNames` or its default; undefined when the configured value is invalid. */
  readonly maxCertificateNames?: number;
  /**
   * The primary certificate's names (domainName first, the SAN default applied) when every one of them is a valid
   * DNS name; undefined otherwise.
   */
  readonly certificateNames?: readonly string[];
  /** The key algorithm, or its default; undefined when the configured value is invalid. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** The day the certificate-lifetime schedule is read for (today, or TLS_EDGE_AS_OF). */
  readonly asOf: Date;
}

/**
 * A field's contract: its shape (zod, optional-ness included) and its domain rules. The rules run only when the field
 * is present and its shape is right, with the parsed value, so a wrong type is reported once, by the schema.
 */
export interface FieldSpec<K extends keyof EnvironmentConfig> {
  readonly schema: z.ZodType<EnvironmentConfig[K] | undefined, z.ZodTypeDef, unknown>;
  readonly rules?: (value: NonNullable<EnvironmentConfig[K]>, context: ValidationContext) => FieldProblem[];
}

export function problem(path: string, value: unknown, message: string): FieldProblem {
  return { path, value, message };
}

/**
 * The problem of free text that reaches the synthesized Terraform JSON as a string: `${` and `%{` start a template
 * there (Terraform reads every JSON string as one, developer.hashicorp.com/terraform/language/syntax/json), and cdktf
 * reads `${TfToken[...]}` as one of its tokens, so the text AWS got would not be the configured one, or synth or the
 * plan would fail. Refused rather than escaped: such a value in a tag, key, URL or address is far more likely a
 * template written into the wrong place than meant literally.
 */
export function templateProblem(path: string, value: string): FieldProblem | undefined {
  return /[$%]\{/.test(value)
    ? problem(path, value, 'must not contain "${" or "%{": Terraform would read the text from there on as a template, not as written')
    : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
