import { DEFAULT_TLS_POLICY } from "../aws/tls-policies";

/**
 * One deployment environment: plain data, validated by `validateEnvironments` before any construct exists.
 */
export interface EnvironmentConfig {
  /** Environment name; the stack id is `tls-<name>`. Lowercase letters, digits and hyphens. */
  readonly name: string;
  /** AWS region of the load balancer and the certificate, e.g. "us-east-1". */
  readonly region: string;
  /**
   * AWS account the environment lives in. When set, the provider refuses to run against any other account
   * (`allowed_account_ids`) and every ARN must name this account.
   * @default - any account; ARNs must then agree with each other
   */
  readonly accountId?: string;
  /**
   * Extra tags for every resource (merged into the provider's default tags).
   * @default - only `environment`, `managed-by` and `stack`
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** Primary certificate name, e.g. "example.com". Lowercase (names are rejected, not normalised, when not). */
  readonly domainName: string;
  /**
   * Further certificate names. A wildcard may only be the whole leftmost label (`*.example.com`).
   * @default ["*.<domainName>"]
   */
  readonly subjectAlternativeNames?: readonly string[];
  /**
   * Route53 hosted zones: zone apex name -> hosted zone ID. Each certificate name validates in the zone whose apex
   * is its longest matching suffix.
   */
  readonly hostedZones: Readonly<Record<string, string>>;
  /** ARN of the existing Application Load Balancer (`...:loadbalancer/app/<name>/<id>`). */
  readonly loadBalancerArn: string;
  /**
   * Target group the HTTPS listener forwards to.
   * @default - no forwarding: the HTTPS listener answers a fixed 404
   */
  readonly targetGroupArn?: string;
  /**
   * Listeners that already exist on the load balancer (most ALBs have an HTTP :80 one), adopted by the stack with
   * Terraform import blocks on the first deploy and converted: :80 into the redirect, :443 to the TLS policy and this
   * stack's certificate. From then on the stack owns them: `destroy` deletes them.
   * @default - none: both listeners are created (and creating one on a port already in use fails)
   */
  readonly existingListeners?: ExistingListenersConfig;
  /**
   * Predefined ALB security policy of the HTTPS listener; must allow nothing older than TLS 1.2.
   * @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" (AWS's recommendation: TLS 1.2/1.3, AEAD ciphers with
   * forward secrecy only, hybrid post-quantum key exchange)
   */
  readonly tlsPolicy?: string;
  /**
   * Certificate key algorithm.
   * @default "EC_prime256v1" (smaller, faster handshakes; supported by every current client)
   */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * HTTP Strict Transport Security header the HTTPS listener adds to every response
   * (`routing.http.response.strict_transport_security.header_value`). `false` leaves the attribute unset.
   * @default { maxAgeSeconds: 31536000 } (one year, without includeSubDomains or preload: browsers stop trying plain
   * HTTP for these names, and nothing is promised for names this stack does not serve)
   */
  readonly hsts?: HstsConfig | false;
  /**
   * Security response headers the HTTPS listener adds, replacing the target's own value of the same header (listener
   * attributes `routing.http.response.<header>...`). `false` leaves every one of these attributes unset.
   * @default {} (`X-Content-Type-Options: nosniff`, no X-Frame-Options, no Content-Security-Policy, the ALB's
   * `Server` header kept: the defaults no application can be broken by)
   */
  readonly securityHeaders?: SecurityHeadersConfig | false;
  /**
   * Further DNS-validated certificates (same hosted zones, same rules), attached to the HTTPS listener by SNI.
   * @default - none: the listener serves only the default certificate
   */
  readonly additionalCertificates?: readonly AdditionalCertificateConfig[];
  /**
   * With an EC `keyAlgorithm`: an `RSA_2048` certificate for the same names, listed for SNI beside an EC twin of the
   * default certificate (another certificate with the default's names and key algorithm), so the ALB serves ECDSA to
   * clients that support it and RSA to the rest. The default certificate itself is never listed: ELB refuses to
   * remove it from the list again.
   * @default false (every current client supports ECDSA P-256; two more certificates are only worth it for old ones)
   */
  readonly rsaFallback?: boolean;
  /**
   * ELB's quota "Certificates per Application Load Balancer (excluding default certificates)", shared by every
   * listener of the load balancer: the stack's SNI certificates (additional ones, and two with `rsaFallback`) must
   * fit, beside whatever other listeners of the load balancer already carry.
   * @default 25 (ELB's default quota; raise it only after AWS raised yours)
   */
  readonly maxLoadBalancerCertificates?: number;
  /**
   * Mutual TLS on the HTTPS listener: verify client certificates against a trust store built from a CA bundle in
   * S3, or pass them through to the targets unchecked.
   * @default - off: clients are not asked for a certificate
   */
  readonly mutualTls?: MutualTlsConfig;
  /**
   * How long `terraform apply` waits for ACM to issue the certificate (a Terraform duration).
   * @default "30m" (DNS validation in Route53 normally completes in minutes; 30m fails a stuck CI job well inside a
   * typical one-hour job limit, where the provider's own default of 75m would not)
   */
  readonly validationTimeout?: string;
  /**
   * Where Terraform keeps state.
   * @default - local state in `terraform.tls-<name>.tfstate` at the project root, outside cdktf.out
   */
  readonly stateBackend?: StateBackendConfig;
  /**
   * Upper bound on the number of certificate names (domain + SANs).
   * @default 10 (ACM's default quota "Domain names per ACM certificate"; raise it only after AWS raised yours)
   */
  readonly maxCertificateNames?: number;
  /**
   * CAA record sets that allow only Amazon to issue certificates for the zones the stack's certificate names use: one
   * set at each such hosted zone's apex. Opt-in because a CAA set at an apex applies to every name in the zone, so it
   * also stops any other CA (Let's Encrypt, ...) that other teams use in that zone.
   * @default - no CAA records (any CA may issue)
   */
  readonly caa?: CaaConfig;
  /**
   * A CloudWatch alarm per certificate of the stack on ACM's `DaysToExpiry` metric, and an EventBridge rule that
   * forwards ACM's renewal-failure events for the stack's certificates, both to one SNS topic. A DNS-validated
   * certificate renews itself; these say it did not (a validation CNAME deleted, a CAA set blocking Amazon).
   * `false` turns both off.
   * @default {} (the alarm at the highest threshold that stays below ACM's renewal start, 30 days for certificates
   * issued from 2026-03-15; renewal events on; a topic the stack creates)
   */
  readonly expiryAlarm?: ExpiryAlarmConfig | false;
  /**
   * IAM role in the account that owns the hosted zones: every Route53 record of the stack (validation and CAA) is
   * managed through a second `aws` provider (alias `dns`) that assumes it.
   * @default - the records are managed with the stack's own credentials (the zones are in the same account)
   */
  readonly dnsRoleArn?: string;
  /**
   * With `dnsRoleArn`: the role in the same account that plans and drift checks assume to read the records. It may
   * only read, so a pull request's plan job can never change DNS; the pipeline's plan role may assume only this one,
   * its deploy role only `dnsRoleArn` (the bootstrap stack's `dns_roles` output has both roles' documents).
   * @default `<dnsRoleArn>-read` (the same path and name with `-read`)
   */
  readonly dnsReadRoleArn?: string;
}

/** The Strict-Transport-Security header, as `max-age=<s>[; includeSubDomains][; preload]`. */
export interface HstsConfig {
  /** How long browsers remember to use HTTPS only, in seconds: 0 (forget) to 63072000 (two years). */
  readonly maxAgeSeconds: number;
  /**
   * Apply the policy to every subdomain too.
   * @default false (a subdomain this stack does not serve may still need plain HTTP)
   */
  readonly includeSubDomains?: boolean;
  /**
   * Ask to be on the browsers' built-in HSTS preload list; requires includeSubDomains and max-age >= 31536000.
   * @default false (being on the list is hard to undo)
   */
  readonly preload?: boolean;
}

/** Header values accepted by `securityHeaders.xFrameOptions` (the two the HTML standard defines). */
export const X_FRAME_OPTIONS = ["DENY", "SAMEORIGIN"] as const;
export type XFrameOptions = (typeof X_FRAME_OPTIONS)[number];

/**
 * Security response headers set by the load balancer. The ALB overwrites a header of the same name that the target
 * sends (ELB documentation, "HTTP header modification"), so a header set here wins over the application's.
 */
export interface SecurityHeadersConfig {
  /**
   * `X-Content-Type-Options`; `false` leaves the attribute unset.
   * @default "nosniff" (browsers then refuse a script or style sheet served with the wrong Content-Type; a correct
   * application never notices)
   */
  readonly xContentTypeOptions?: "nosniff" | false;
  /**
   * `X-Frame-Options`: whether other pages may show this site in a frame; `false` leaves the attribute unset.
   * @default false (DENY or SAMEORIGIN break every page that is framed on purpose, and would replace the
   * application's own choice)
   */
  readonly xFrameOptions?: XFrameOptions | false;
  /**
   * `Content-Security-Policy`, the whole header value (`default-src 'self'; frame-ancestors 'none'`); `false` leaves
   * the attribute unset.
   * @default false (a policy is specific to the application, and one set here would replace the application's own,
   * nonces included)
   */
  readonly contentSecurityPolicy?: string | false;
  /**
   * The ALB's own `Server: awselb/2.0` header, on both listeners (`routing.http.response.server.enabled`).
   * @default true (AWS's default: it tells a load balancer error apart from the application's, and hides nothing a
   * DNS lookup does not already show)
   */
  readonly serverHeader?: boolean;
}

/** One more certificate for the HTTPS listener, validated like the default one. */
export interface AdditionalCertificateConfig {
  /** Primary name of the certificate. */
  readonly domainName: string;
  /**
   * Further names on the certificate.
   * @default ["*.<domainName>"] (as for the default certificate)
   */
  readonly subjectAlternativeNames?: readonly string[];
}

/** Client certificates checked by the ALB against a trust store. */
export interface MutualTlsVerifyConfig {
  readonly mode: "verify";
  /** Where the PEM bundle of trusted CA certificates lives (same region as the load balancer). */
  readonly trustStore: TrustStoreSourceConfig;
}

/** Client certificates passed to the targets unchecked (in the `X-Amzn-Mtls-Clientcert` header). */
export interface MutualTlsPassthroughConfig {
  readonly mode: "passthrough";
}

export type MutualTlsConfig = MutualTlsVerifyConfig | MutualTlsPassthroughConfig;

/** An S3 object holding a PEM bundle of CA certificates, and the revocation lists of those CAs. */
export interface TrustStoreSourceConfig {
  /** S3 bucket name. */
  readonly bucket: string;
  /** Object key of the bundle. */
  readonly key: string;
  /**
   * Certificate revocation lists (CRLs) of the bundle's CAs, each added to the trust store
   * (`aws_lb_trust_store_revocation`): a client certificate listed in one is refused. At most 30 (ELB's quota), each at
   * most 50 MB (checked by ELB at apply, not at synth), in the load balancer's region like the bundle.
   * @default - none: client certificates are checked against the CAs only
   */
  readonly revocationLists?: readonly RevocationListConfig[];
}

/** An S3 object holding one certificate revocation list. */
export interface RevocationListConfig {
  /** S3 bucket name. */
  readonly bucket: string;
  /** Object key of the CRL. Publish a new CRL under a new key: ELB reads the object only when it is added. */
  readonly key: string;
}

/** Key algorithms ACM issues for DNS-validated public certificates. */
export const KEY_ALGORITHMS = ["EC_prime256v1", "EC_secp384r1", "RSA_2048"] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** ARNs of listeners on `loadBalancerArn` to adopt (`...:listener/app/<lb name>/<lb id>/<listener id>`). */
export interface ExistingListenersConfig {
  /**
   * The existing HTTP listener (port 80), to become the HTTP->HTTPS redirect.
   * @default - a new HTTP listener is created
   */
  readonly http?: string;
  /**
   * The existing HTTPS listener (port 443), to get the TLS policy and the certificate.
   * @default - a new HTTPS listener is created
   */
  readonly https?: string;
}

export interface StateBackendConfig {
  /** Remote state in S3, encrypted, with S3-native locking. */
  readonly s3: S3StateBackendConfig;
}

export interface S3StateBackendConfig {
  /** State bucket name. */
  readonly bucket: string;
  /**
   * Object key of the state file.
   * @default "tls-edge/<name>/terraform.tfstate"
   */
  readonly key?: string;
  /**
   * Region of the bucket.
   * @default - the environment's region
   */
  readonly region?: string;
  /**
   * DynamoDB lock table, for the move to S3-native locking only: an apply then holds both the S3 lock file and the
   * DynamoDB lock, so runners still on an older checkout of this project (DynamoDB lock only) and current ones (which
   * require Terraform >= 1.10) exclude each other. Remove it once every runner uses a checkout with `use_lockfile`;
   * Terraform documents `dynamodb_table` as deprecated.
   * @default - S3 lock file only (`use_lockfile`)
   */
  readonly dynamodbTable?: string;
}

/** Certificate authorities ACM accepts in a CAA record (any one of them lets ACM issue). */
export const ACM_CAA_ISSUERS = ["amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"] as const;
export type AcmCaaIssuer = (typeof ACM_CAA_ISSUERS)[number];

export interface CaaConfig {
  /**
   * The CAA issuer domains allowed to issue (`0 issue "<issuer>"`, and `0 issuewild` when the zone has wildcard names).
   * @default ["amazon.com"] (ACM accepts any of its four names; one is enough)
   */
  readonly issuers?: readonly AcmCaaIssuer[];
  /**
   * Where a CA reports a refused request (`0 iodef "<url>"`): a `mailto:` or `https://` URL.
   * @default - no iodef record
   */
  readonly iodef?: string;
}

/** Who creates the expiry alarm's SNS topic and its KMS key when no `snsTopicArn` is given. */
export const EXPIRY_ALARM_TOPICS = ["stack", "bootstrap"] as const;
export type ExpiryAlarmTopic = (typeof EXPIRY_ALARM_TOPICS)[number];

export interface ExpiryAlarmConfig {
  /**
   * The alarm fires when a certificate has fewer days left than this: 1 up to the most that stays below ACM's renewal
   * start for certificates issued on the day of synth (30 from 2026-03-15, 15 from 2027-03-15, 7 from 2029-03-15).
   * @default that most, so the threshold follows the CA/Browser Forum's schedule of shorter certificates by itself
   */
  readonly daysBeforeExpiry?: number;
  /**
   * SNS topic the alarm and the renewal events notify (same region and account as the stack); its policy and key
   * policy must let CloudWatch and EventBridge publish.
   * @default - the topic `tls-<name>-certificate-expiry`, created as `topic` says
   */
  readonly snsTopicArn?: string;
  /**
   * Who creates the topic (encrypted with its own KMS key) when `snsTopicArn` is not set: "stack" (this stack; its
   * deployer must be allowed to create KMS keys, as a person's administrator role is) or "bootstrap" (the
   * `tls-bootstrap` stack, for pipeline deploys: the pipeline's deploy role cannot create a tagged KMS key, see the
   * bootstrap stack).
   * @default "stack"
   */
  readonly topic?: ExpiryAlarmTopic;
  /**
   * An e-mail address subscribed to the created topic (the address must confirm the subscription). Not allowed with
   * `snsTopicArn`: subscribe to your own topic where you manage it.
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * An EventBridge rule for ACM's "ACM Certificate Renewal Action Required" and "ACM Certificate Expired" events of
   * the stack's certificates, to the same topic: the signal that a renewal failed, on the day it fails.
   * @default true
   */
  readonly renewalEvents?: boolean;
}

/** Defaults applied where a field is omitted; documented on the field and in the README. */
export const DEFAULTS = {
  tlsPolicy: DEFAULT_TLS_POLICY,
  keyAlgorithm: "EC_prime256v1" as KeyAlgorithm,
  validationTimeout: "30m",
  maxCertificateNames: 10,
  hsts: { maxAgeSeconds: 31536000 } as HstsConfig,
  securityHeaders: {} as SecurityHeadersConfig,
  xContentTypeOptions: "nosniff" as const,
  serverHeader: true,
  rsaFallback: false,
  validationRecordTtl: 60,
  caaIssuers: ["amazon.com"] as readonly AcmCaaIssuer[],
  caaRecordTtl: 300,
  expiryAlarm: {} as ExpiryAlarmConfig,
  expiryAlarmTopic: "stack" as ExpiryAlarmTopic,
  renewalEvents: true,
} as const;

/** The certificate names with the SAN default (`*.<domainName>`) applied, domain name first. */
export function certificateNames(config: Pick<EnvironmentConfig, "domainName" | "subjectAlternativeNames">): string[] {
  return [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
}
