import { z } from "zod";
import { X_FRAME_OPTIONS } from "../environment-config";
import { HEADER_VALUE_MAX_BYTES, HEADER_VALUE_SPECIAL_CHARACTERS, isHeaderValueCharacter } from "../security-headers";
import { FieldSpec, isObject, problem, templateProblem } from "./field";

/** A member checked by a predicate, with its own message (a zod union would only say "invalid input"). */
function member(accepts: (value: unknown) => boolean, message: (value: unknown) => string) {
  return z.unknown().superRefine((value, context) => {
    if (value !== undefined && !accepts(value)) context.addIssue({ code: z.ZodIssueCode.custom, message: message(value) });
  });
}

const headersObject = z
  .object({
    xContentTypeOptions: member(
      (value) => value === "nosniff" || value === false,
      () => 'must be "nosniff" or false ("nosniff" is the header\'s only value: WHATWG Fetch standard)',
    ),
    xFrameOptions: member(
      (value) => (X_FRAME_OPTIONS as readonly unknown[]).includes(value) || value === false,
      (value) =>
        typeof value === "string" && /^\s*allow-from\b/i.test(value)
          ? 'ALLOW-FROM is obsolete: current browsers ignore it and then allow framing by anyone; use contentSecurityPolicy "frame-ancestors <origin>" instead'
          : 'must be "DENY", "SAMEORIGIN" or false (the values the HTML standard defines)',
    ),
    contentSecurityPolicy: member(
      (value) => typeof value === "string" || value === false,
      () => "must be the header's value as a string, or false",
    ),
    serverHeader: z.boolean().optional(),
  })
  .strict();

/**
 * securityHeaders: `false`, or the headers. Each value is one ELB accepts and browsers understand; the
 * Content-Security-Policy is checked against ELB's documented limits for a header-modification attribute (its
 * character set and 1K bytes) and the policy grammar's directive names, so a mistake is reported at synth instead of
 * by ELB at apply (or, worse, accepted by ELB and ignored by browsers).
 */
export const securityHeaders: FieldSpec<"securityHeaders"> = {
  schema: z.unknown().superRefine((value, context) => {
    if (value === undefined || value === false) return;
    if (!isObject(value)) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be false or an object like { xFrameOptions: "DENY" }' });
      return;
    }
    const parsed = headersObject.safeParse(value);
    if (!parsed.success) parsed.error.issues.forEach((issue) => context.addIssue(issue as z.IssueData));
  }) as unknown as FieldSpec<"securityHeaders">["schema"],
  rules: (value) => {
    if (value === false || typeof value.contentSecurityPolicy !== "string") return [];
    const problems = contentSecurityPolicyProblems(value.contentSecurityPolicy).map((message) =>
      problem("securityHeaders.contentSecurityPolicy", value.contentSecurityPolicy, message),
    );
    // ELB's character set allows "%" and "{": "%{" would start a Terraform template directive.
    const template = templateProblem("securityHeaders.contentSecurityPolicy", value.contentSecurityPolicy);
    return template === undefined ? problems : [...problems, template];
  },
};

/** CSP Level 3, 2.2.1: `directive-name = 1*( ALPHA / DIGIT / "-" )`. */
const DIRECTIVE_NAME = /^[A-Za-z0-9-]+$/;

function contentSecurityPolicyProblems(policy: string): string[] {
  if (policy.trim() === "") return ["must not be empty (use false for no Content-Security-Policy header)"];
  const problems: string[] = [];
  if (/[\r\n]/.test(policy)) {
    problems.push("must be one line: a line break cannot be part of a header value");
  }
  const control = [...new Set(policy.match(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/g) ?? [])];
  if (control.length > 0) {
    problems.push(`contains control characters (${control.map(codePoint).join(", ")}), which a header value cannot hold`);
  }
  const refused = [...new Set([...policy].filter((c) => !/[\u0000-\u001f\u007f]/.test(c) && !isHeaderValueCharacter(c)))];
  if (refused.length > 0) {
    problems.push(
      `contains ${refused.map(showCharacter).join(", ")}, which ELB refuses in a header value (allowed: letters, digits, space and ${HEADER_VALUE_SPECIAL_CHARACTERS.replace(" ", "")}; CSP keywords take single quotes, 'self')`,
    );
  }
  const bytes = Buffer.byteLength(policy, "utf8");
  if (bytes > HEADER_VALUE_MAX_BYTES) {
    problems.push(`is ${bytes} bytes; ELB allows at most ${HEADER_VALUE_MAX_BYTES} (1K) in a listener attribute`);
  }
  if (/^\s*content-security-policy(-report-only)?\s*:/i.test(policy)) {
    problems.push('must be the header\'s value only, without the "Content-Security-Policy:" name');
  } else {
    const badNames = policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/)[0])
      .filter((name) => name !== "" && !DIRECTIVE_NAME.test(name));
    if (badNames.length > 0) {
      problems.push(`has directive names that are not letters, digits and hyphens (${badNames.map((n) => JSON.stringify(n)).join(", ")}; CSP Level 3, 2.2.1)`);
    }
  }
  return problems;
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

function showCharacter(character: string): string {
  return /^[\x21-\x7e]$/.test(character) ? `'${character}'` : `'${character}' (${codePoint(character)})`;
}
