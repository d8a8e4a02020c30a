import { DEFAULTS, SecurityHeadersConfig } from "./environment-config";

/**
 * The longest value ELB accepts in a header-modification listener attribute: "The value for the attribute can not
 * exceed 1K bytes in size" (ELB user guide for Application Load Balancers, "HTTP header modification", Limitations:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html).
 */
export const HEADER_VALUE_MAX_BYTES = 1024;

/**
 * The characters ELB accepts in a header value (same page, Limitations): letters, digits, and
 * `` _ :;.,\/'?!(){}[]@<>=-+*#&`|~^% `` (the space included). Not `"` or `$`, and nothing outside ASCII.
 */
export const HEADER_VALUE_SPECIAL_CHARACTERS = "_ :;.,\\/'?!(){}[]@<>=-+*#&`|~^%";

/** Whether ELB's documented character set allows `character` in a header value. */
export function isHeaderValueCharacter(character: string): boolean {
  return /^[A-Za-z0-9]$/.test(character) || HEADER_VALUE_SPECIAL_CHARACTERS.includes(character);
}

/**
 * The HTTPS listener's security-header attribute values, the documented defaults applied. An undefined entry leaves
 * its attribute unset (Terraform then keeps whatever the listener has: see https-listener.ts).
 */
export interface SecurityHeaderAttributes {
  /** `routing.http.response.x_content_type_options.header_value` */
  readonly xContentTypeOptions?: string;
  /** `routing.http.response.x_frame_options.header_value` */
  readonly xFrameOptions?: string;
  /** `routing.http.response.content_security_policy.header_value` */
  readonly contentSecurityPolicy?: string;
  /** `routing.http.response.server.enabled` (written on the HTTP redirect listener too) */
  readonly serverEnabled?: boolean;
}

export function securityHeaderAttributes(config: SecurityHeadersConfig | false | undefined): SecurityHeaderAttributes {
  if (config === false) return {};
  const headers = config ?? DEFAULTS.securityHeaders;
  const xContentTypeOptions = headers.xContentTypeOptions ?? DEFAULTS.xContentTypeOptions;
  return {
    xContentTypeOptions: xContentTypeOptions === false ? undefined : xContentTypeOptions,
    xFrameOptions: headers.xFrameOptions === false ? undefined : headers.xFrameOptions,
    contentSecurityPolicy: headers.contentSecurityPolicy === false ? undefined : headers.contentSecurityPolicy,
    // Always written (true or false), so switching it either way takes effect: a boolean attribute, unlike the
    // header values, can be sent with either value (see https-listener.ts).
    serverEnabled: headers.serverHeader ?? DEFAULTS.serverHeader,
  };
}
