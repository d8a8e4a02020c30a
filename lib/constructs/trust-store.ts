import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
import { Construct } from "constructs";

export interface TrustStoreProps {
  /** S3 bucket holding the PEM bundle of trusted CA certificates; in the load balancer's region. */
  readonly bucket: string;
  /** Object key of the bundle. */
  readonly key: string;
  /**
   * Tags on the trust store.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An ALB trust store (`aws_lb_trust_store`) built from a CA bundle in S3: the CAs whose client certificates a
 * listener in mutual-TLS verify mode accepts.
 *
 * The name is left to the provider (a unique `tf-...` name): with a fixed name, a replacement could not create the
 * new trust store before the old one, which the listener still uses, is deleted.
 */
export class TrustStore extends Construct {
  public readonly trustStore: LbTrustStore;

  constructor(scope: Construct, id: string, props: TrustStoreProps) {
    super(scope, id);
    this.trustStore = new LbTrustStore(this, "TrustStore", {
      caCertificatesBundleS3Bucket: props.bucket,
      caCertificatesBundleS3Key: props.key,
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** ARN of the trust store. */
  public get arn(): string {
    return this.trustStore.arn;
  }
}
