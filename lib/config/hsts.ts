import { HstsConfig } from "./environment-config";

/** Largest max-age accepted: two years, beyond which a mistake outlives any reasonable rollback. */
export const HSTS_MAX_AGE_LIMIT = 63_072_000;
/** The preload list's minimum max-age: one year (hstspreload.org submission requirements). */
export const HSTS_PRELOAD_MIN_MAX_AGE = 31_536_000;

/**
 * The Strict-Transport-Security header value for a configuration: `max-age=<s>[; includeSubDomains][; preload]`,
 * in the order and spelling of RFC 6797 and the preload list's examples.
 */
export function hstsHeaderValue(config: HstsConfig): string {
  return [
    `max-age=${config.maxAgeSeconds}`,
    ...(config.includeSubDomains === true ? ["includeSubDomains"] : []),
    ...(config.preload === true ? ["preload"] : []),
  ].join("; ");
}
