/**
 * ELB quota "Certificates per Application Load Balancer (excluding default certificates)": 25 by default, adjustable
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html). It counts the SNI
 * certificates of every listener of the load balancer together, not per listener.
 */
export const DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA = 25;

/**
 * IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), in characters as IAM counts
 * them: white space is not counted.
 */
export const IAM_QUOTAS = {
  /** "Managed policy size". */
  managedPolicyCharacters: 6_144,
  /** "Managed policies attached to an IAM role": 10 by default, adjustable up to 20. */
  managedPoliciesPerRole: 10,
  /** "Role trust policy length": 2,048 by default, adjustable up to 4,096. */
  trustPolicyCharacters: 2_048,
  /** "Inline policy size" of a role: all of its inline policies together. */
  inlinePolicyCharactersPerRole: 10_240,
} as const;

/** A policy document's size as IAM counts it: its JSON without white space. */
export function iamPolicySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, "").length;
}

/**
 * ELB quotas for a trust store's certificate revocation lists (the same page, "Certificates"): "Revocation lists per
 * trust store" 30 by default (adjustable), "Revocation list file size" 50 MB (not adjustable).
 */
export const TRUST_STORE_QUOTAS = {
  revocationListsPerTrustStore: 30,
  revocationListMegabytes: 50,
} as const;
