import { DEFAULT_TLS_POLICY } from "./tls-policies";

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

/** Defaults applied where a field is omitted; documented on the field and in the README. */
export const DEFAULTS = {
  tlsPolicy: DEFAULT_TLS_POLICY,
  keyAlgorithm: "EC_prime256v1" as KeyAlgorithm,
  validationTimeout: "30m",
  maxCertificateNames: 10,
  validationRecordTtl: 60,
} as const;

/** The certificate names with the SAN default (`*.<domainName>`) applied, domain name first. */
export function certificateNames(config: Pick<EnvironmentConfig, "domainName" | "subjectAlternativeNames">): string[] {
  return [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
}
