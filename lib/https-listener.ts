import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { Construct } from "constructs";
import { DEFAULT_TLS_POLICY } from "./tls-policies";

export interface HttpsListenerProps {
  /** ARN of the Application Load Balancer that receives the listener. */
  readonly loadBalancerArn: string;
  /** ARN of the (issued) certificate the listener presents. */
  readonly certificateArn: string;
  /**
   * Predefined ELB security policy. Must allow nothing older than TLS 1.2 (the TLS guard enforces it).
   * @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" (AWS's recommendation: TLS 1.2/1.3, AEAD ciphers with
   * forward secrecy only, hybrid post-quantum key exchange)
   */
  readonly sslPolicy?: string;
  /**
   * Target group that receives the traffic.
   * @default - no forwarding: a fixed 404 response, so an environment can exist before its service does
   */
  readonly targetGroupArn?: string;
  /**
   * Listener port.
   * @default 443
   */
  readonly port?: number;
  /**
   * ARN of a listener that already exists on the load balancer (same port), to adopt instead of creating one: the
   * stack imports it (a Terraform import block; cdktf then checks at synth that Terraform is >= 1.5) and the first
   * apply converts it to this configuration. From then on the stack owns it: destroy deletes it.
   * @default - a new listener is created
   */
  readonly existingListenerArn?: string;
  /**
   * Tags on the listener.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An HTTPS listener on an existing ALB with a TLS >= 1.2 policy. */
export class HttpsListener extends Construct {
  public readonly listener: LbListener;

  constructor(scope: Construct, id: string, props: HttpsListenerProps) {
    super(scope, id);
    this.listener = new LbListener(this, "Listener", {
      loadBalancerArn: props.loadBalancerArn,
      port: props.port ?? 443,
      protocol: "HTTPS",
      sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [defaultAction(props.targetGroupArn)],
      tags: props.tags,
    });
    if (props.existingListenerArn !== undefined) this.listener.importFrom(props.existingListenerArn);
  }

  /** ARN of the listener. */
  public get arn(): string {
    return this.listener.arn;
  }
}

function defaultAction(targetGroupArn: string | undefined): LbListenerDefaultAction {
  if (targetGroupArn !== undefined) return { type: "forward", targetGroupArn };
  return {
    type: "fixed-response",
    fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" },
  };
}
