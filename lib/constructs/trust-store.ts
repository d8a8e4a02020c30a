import { createHash } from "crypto";
import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
import { LbTrustStoreRevocation } from "@cdktf/provider-aws/lib/lb-trust-store-revocation";
import { Construct } from "constructs";

/** An S3 object holding a certificate revocation list (CRL). */
export interface TrustStoreRevocationList {
  /** S3 bucket, in the load balancer's region. */
  readonly bucket: string;
  /** Object key of the CRL. */
  readonly key: string;
}

export interface TrustStoreProps {
  /** S3 bucket holding the PEM bundle of trusted CA certificates; in the load balancer's region. */
  readonly bucket: string;
  /** Object key of the bundle. */
  readonly key: string;
  /**
   * Certificate revocation lists of the bundle's CAs, each added to the trust store (`aws_lb_trust_store_revocation`).
   * @default - none
   */
  readonly revocationLists?: readonly TrustStoreRevocationList[];
  /**
   * Tags on the trust store.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An ALB trust store (`aws_lb_trust_store`) built from a CA bundle in S3: the CAs whose client certificates a
 * listener in mutual-TLS verify mode accepts, minus the certificates its revocation lists name.
 *
 * The name is left to the provider (a unique `tf-...` name): with a fixed name, a replacement could not create the
 * new trust store before the old one, which the listener still uses, is deleted.
 *
 * Each revocation list is its own resource, keyed by a hash of its S3 location, so adding or removing one list never
 * replaces another. ELB copies the CRL when it is added and never reads the object again: a list is replaced (new
 * revocation first, `create_before_destroy`, so no moment without it) when its bucket or key changes, or when the
 * trust store is replaced.
 */
export class TrustStore extends Construct {
  public readonly trustStore: LbTrustStore;
  /** The revocation lists, in the order given. */
  public readonly revocations: readonly LbTrustStoreRevocation[];

  constructor(scope: Construct, id: string, props: TrustStoreProps) {
    super(scope, id);
    this.trustStore = new LbTrustStore(this, "TrustStore", {
      caCertificatesBundleS3Bucket: props.bucket,
      caCertificatesBundleS3Key: props.key,
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    this.revocations = (props.revocationLists ?? []).map(
      (list) =>
        new LbTrustStoreRevocation(this, `Revocation-${locationHash(list)}`, {
          trustStoreArn: this.trustStore.arn,
          revocationsS3Bucket: list.bucket,
          revocationsS3Key: list.key,
          lifecycle: { createBeforeDestroy: true },
        }),
    );
  }

  /** ARN of the trust store. */
  public get arn(): string {
    return this.trustStore.arn;
  }
}

/**
 * The first 8 hex digits of the SHA-256 of `s3://<bucket>/<key>`: stable across synths. Two of 30 lists sharing one
 * (odds about 1 in 10 million) would fail synth with a duplicate construct id, never silently.
 */
function locationHash(list: TrustStoreRevocationList): string {
  return createHash("sha256").update(`s3://${list.bucket}/${list.key}`).digest("hex").slice(0, 8);
}
