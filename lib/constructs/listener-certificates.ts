import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { Construct } from "constructs";
import { MAX_SNI_CERTIFICATES_PER_LISTENER } from "../aws/quotas";

export interface ListenerCertificatesProps {
  /** ARN of the HTTPS listener the certificates are added to. */
  readonly listenerArn: string;
  /**
   * Certificates to add, construct id -> certificate ARN. Ids name the certificates' purpose (`RsaFallback`,
   * `Additional-shop_example_org`), so a resource keeps its address when others are added or removed (not `Default`:
   * cdktf leaves that id out of logical ids, so the resource would be named after its parent alone). Pass ARNs
   * that exist only once the certificate is issued (a validation resource's `certificate_arn`): the ALB rejects
   * a certificate that is still pending validation.
   */
  readonly certificates: Readonly<Record<string, string>>;
}

/**
 * Certificates served by SNI beside an HTTPS listener's default certificate (`aws_lb_listener_certificate`, one per
 * certificate). A client that sends SNI gets a certificate from this list whose names match, among several the one
 * it supports best (ECDSA before RSA); the default certificate only serves clients without SNI or without a match
 * in the list, so list it here too when it should compete (an RSA twin beside it).
 */
export class ListenerCertificates extends Construct {
  /** The attachments, in the order of `certificates`. */
  public readonly attachments: readonly LbListenerCertificate[];

  constructor(scope: Construct, id: string, props: ListenerCertificatesProps) {
    super(scope, id);
    const entries = Object.entries(props.certificates);
    if (entries.length > MAX_SNI_CERTIFICATES_PER_LISTENER) {
      throw new Error(
        `${this.node.path}: ${entries.length} certificates, more than the ALB's ${MAX_SNI_CERTIFICATES_PER_LISTENER} per listener besides the default`,
      );
    }
    this.attachments = entries.map(
      ([certificateId, certificateArn]) =>
        // Not create_before_destroy, although that would keep a replaced certificate listed without a gap: Terraform
        // forces create_before_destroy onto everything an attachment depends on, including the validation records,
        // and a validation record replaced create-before-destroy is deleted by the destroy of its old instance (the
        // same DNS name): measured on the emulator, every validation CNAME was gone after a certificate replacement.
        new LbListenerCertificate(this, certificateId, { listenerArn: props.listenerArn, certificateArn }),
    );
  }
}
