import { LbListener, LbListenerDefaultAction, LbListenerMutualAuthentication } from "@cdktf/provider-aws/lib/lb-listener";
import { Construct } from "constructs";
import { DEFAULTS, HstsConfig, SecurityHeadersConfig } from "../config/environment-config";
import { hstsHeaderValue } from "../config/hsts";
import { securityHeaderAttributes } from "../config/security-headers";
import { DEFAULT_TLS_POLICY } from "../aws/tls-policies";

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
  /**
   * Strict-Transport-Security header added to every response (the listener attribute
   * `routing.http.response.strict_transport_security.header_value`); `false` leaves the attribute unset.
   * @default { maxAgeSeconds: 31536000 } (one year, no includeSubDomains, no preload)
   */
  readonly hsts?: HstsConfig | false;
  /**
   * X-Content-Type-Options, X-Frame-Options and Content-Security-Policy added to every response (each replacing the
   * target's own value), and whether the ALB's `Server` header stays; `false` leaves all four attributes unset.
   * @default {} (`X-Content-Type-Options: nosniff`, the `Server` header kept, nothing else)
   */
  readonly securityHeaders?: SecurityHeadersConfig | false;
  /**
   * Client certificates: checked against a trust store (`verify`) or handed to the targets unchecked (`passthrough`).
   * @default - no mutual_authentication block: AWS's mode "off", clients are not asked for a certificate
   */
  readonly mutualTls?: HttpsListenerMutualTls;
}

/** Mutual TLS of an HTTPS listener. */
export type HttpsListenerMutualTls =
  | { readonly mode: "verify"; /** ARN of the trust store client certificates must chain to. */ readonly trustStoreArn: string }
  | { readonly mode: "passthrough" };

/** An HTTPS listener on an existing ALB with a TLS >= 1.2 policy. */
export class HttpsListener extends Construct {
  public readonly listener: LbListener;

  constructor(scope: Construct, id: string, props: HttpsListenerProps) {
    super(scope, id);
    const headers = securityHeaderAttributes(props.securityHeaders);
    this.listener = new LbListener(this, "Listener", {
      loadBalancerArn: props.loadBalancerArn,
      port: props.port ?? 443,
      protocol: "HTTPS",
      sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [defaultAction(props.targetGroupArn)],
      tags: props.tags,
      routingHttpResponseStrictTransportSecurityHeaderValue: hstsAttribute(props.hsts),
      // An unset header value keeps whatever the listener has (the quirk described at hstsAttribute).
      routingHttpResponseXContentTypeOptionsHeaderValue: headers.xContentTypeOptions,
      routingHttpResponseXFrameOptionsHeaderValue: headers.xFrameOptions,
      routingHttpResponseContentSecurityPolicyHeaderValue: headers.contentSecurityPolicy,
      routingHttpResponseServerEnabled: headers.serverEnabled,
      mutualAuthentication: mutualAuthentication(props.mutualTls),
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

/**
 * Unset when HSTS is off. The provider keeps an attribute it computed once, so on a listener that already sent the
 * header, unsetting it does not remove it (hashicorp/terraform-provider-aws#43042); `{ maxAgeSeconds: 0 }` is the
 * way to withdraw HSTS (RFC 6797 6.1.1: browsers forget the host).
 *
 * The same holds for every `..._header_value` attribute: the provider (5.100.0) sends only non-empty values, and
 * treats `""` like an unset optional + computed attribute (no change planned), while ELB reverts an attribute to its
 * default only when given the empty value. `routing.http.response.server.enabled` is a boolean, which the provider
 * sends either way, so the stack always writes it.
 */
function hstsAttribute(hsts: HstsConfig | false | undefined): string | undefined {
  if (hsts === false) return undefined;
  return hstsHeaderValue(hsts ?? DEFAULTS.hsts);
}

function mutualAuthentication(mutualTls: HttpsListenerMutualTls | undefined): LbListenerMutualAuthentication | undefined {
  if (mutualTls === undefined) return undefined;
  if (mutualTls.mode === "passthrough") return { mode: "passthrough" };
  return { mode: "verify", trustStoreArn: mutualTls.trustStoreArn };
}
