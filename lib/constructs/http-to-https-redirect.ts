import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Construct } from "constructs";

export interface HttpToHttpsRedirectProps {
  /** ARN of the Application Load Balancer that receives the listener. */
  readonly loadBalancerArn: string;
  /**
   * Plain-HTTP port to listen on.
   * @default 80
   */
  readonly port?: number;
  /**
   * HTTPS port to redirect to.
   * @default 443
   */
  readonly httpsPort?: number;
  /**
   * ARN of a listener that already exists on the load balancer (same port), to adopt instead of creating one: the
   * stack imports it (a Terraform import block; cdktf then checks at synth that Terraform is >= 1.5) and the first
   * apply converts it to this configuration. From then on the stack owns it: destroy deletes it.
   * @default - a new listener is created
   */
  readonly existingListenerArn?: string;
  /**
   * Whether the ALB's own `Server: awselb/2.0` header stays on the redirects (`routing.http.response.server.enabled`).
   * @default - the attribute is left unset: AWS's default (the header is sent) on a new listener
   */
  readonly serverHeader?: boolean;
  /**
   * Tags on the listener.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A plain-HTTP listener whose only action is a permanent (301) redirect to HTTPS, keeping host, path and query
 * (`#{host}`, `/#{path}`, `#{query}` are the ALB's defaults; they are written out so the intent is visible).
 */
export class HttpToHttpsRedirect extends Construct {
  public readonly listener: LbListener;

  constructor(scope: Construct, id: string, props: HttpToHttpsRedirectProps) {
    super(scope, id);
    this.listener = new LbListener(this, "Listener", {
      loadBalancerArn: props.loadBalancerArn,
      port: props.port ?? 80,
      protocol: "HTTP",
      defaultAction: [
        {
          type: "redirect",
          redirect: {
            protocol: "HTTPS",
            port: String(props.httpsPort ?? 443),
            host: "#{host}",
            path: "/#{path}",
            query: "#{query}",
            statusCode: "HTTP_301",
          },
        },
      ],
      routingHttpResponseServerEnabled: props.serverHeader,
      tags: props.tags,
    });
    if (props.existingListenerArn !== undefined) this.listener.importFrom(props.existingListenerArn);
  }

  /** ARN of the listener. */
  public get arn(): string {
    return this.listener.arn;
  }
}
