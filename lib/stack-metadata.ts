/**
 * What a synthesized TLS stack tells the pipeline scripts besides its resources: names both sides must agree on, in a
 * module of their own so the scripts need not load the constructs to read them.
 */

/** The ephemeral variable naming the role the dns provider assumes (TlsStack, with dnsRoleArn). */
export const DNS_ROLE_VARIABLE = "dns_role_arn";

/** This project's key in a stack's `"//"` metadata (a comment to Terraform). */
export const METADATA_KEY = "tls_edge";

/** `"//".tls_edge` of a stack with dnsRoleArn: which DNS role plans and applies assume. */
export interface DnsRoleArns {
  readonly plan: string;
  readonly apply: string;
}
