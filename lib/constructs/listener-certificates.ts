import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { Construct } from "constructs";
import { DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA } from "../aws/quotas";

export interface ListenerCertificatesProps {
  /** ARN of the HTTPS listener the certificates are added to. */
  readonly listenerArn: string;
  /**
   * Certificates to add, construct id -> certificate ARN. Ids name the certificates' purpose (`RsaFallback`,
   * `Additional-shop_example_org`), so a resource keeps its address when others are added or removed (not `Default`:
   * cdktf leaves that id out of logical ids, so the resource would be named after its parent alone). Pass ARNs
   * that exist only once the certificate is issued (a validation resource's `certificate_arn`): the ALB rejects
   * a certificate that is still pending validation. Never the listener's own default certificate: ELB refuses to
   * remove that one from the list (`OperationNotPermitted: Default certificate cannot be removed`), so its
   * attachment could never be destroyed or replaced.
   */
  readonly certificates: Readonly<Record<string, string>>;
  /**
   * How many certificates the load balancer may carry besides its listeners' default ones (ELB's quota, per load
   * balancer, not per listener).
   * @default 25 (ELB's default quota)
   */
  readonly maxCertificates?: number;
}

/**
 * Certificates served by SNI beside an HTTPS listener's default certificate (`aws_lb_listener_certificate`, one per
 * certificate). A client that sends SNI gets a certificate from this list whose names match, among several the one
 * it supports best (ECDSA before RSA); the default certificate only serves clients without SNI or without a match
 * in the list.
 *
 * Each attachment is create_before_destroy: when a certificate is replaced (its names changed), the new certificate
 * is attached before the old one is detached, so its names are never left to the default certificate meanwhile.
 * Terraform forces create_before_destroy onto everything an attachment depends on, the validation records included;
 * that is safe only because DnsValidatedCertificate's records ignore changes to their name and value (ACM's CNAME is
 * the same for every certificate of a name in an account), so a certificate's replacement never replaces a record,
 * whose create-before-destroy would delete the live CNAME (same DNS name) with its old instance.
 */
export class ListenerCertificates extends Construct {
  /** The attachments, in the order of `certificates`. */
  public readonly attachments: readonly LbListenerCertificate[];

  constructor(scope: Construct, id: string, props: ListenerCertificatesProps) {
    super(scope, id);
    const entries = Object.entries(props.certificates);
    const max = props.maxCertificates ?? DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA;
    if (entries.length > max) {
      throw new Error(`${this.node.path}: ${entries.length} certificates, more than the load balancer's quota of ${max} besides the default certificates`);
    }
    this.attachments = entries.map(
      ([certificateId, certificateArn]) =>
        new LbListenerCertificate(this, certificateId, { listenerArn: props.listenerArn, certificateArn, lifecycle: { createBeforeDestroy: true } }),
    );
  }
}
