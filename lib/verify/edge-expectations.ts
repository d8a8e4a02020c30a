import { maxExpiryAlarmDays, scheduleDate } from "../aws/certificate-lifetimes";
import { certificateNames, DEFAULTS, EnvironmentConfig, KeyAlgorithm } from "../config/environment-config";
import { SecurityHeaderAttributes, securityHeaderAttributes } from "../config/security-headers";
import { HstsExpectation } from "./http-checks";

/** What the verifier expects of an edge: from an environment, or the project's defaults for bare `--host` names. */
export interface EdgeExpectations {
  /**
   * Hosts to verify: the non-wildcard names of the environment's certificates (the default one, then each of
   * `additionalCertificates`), then each `--host`, without duplicates.
   */
  readonly hosts: readonly string[];
  readonly hsts: HstsExpectation;
  /** Fewer whole days than this before the certificate expires is a finding. */
  readonly minDaysToExpiry: number;
  /** The key algorithm the environment asks ACM for; unset without an environment. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * The name sets of the environment's certificates (the default one with its SAN default, each additional one): a
   * served certificate must carry exactly one of them. Unset without an environment.
   */
  readonly certificateNameSets?: readonly (readonly string[])[];
  /**
   * The security headers the environment has the load balancer write (`securityHeaders`, its defaults applied): the
   * HTTPS response must carry each configured value, and with the `Server` header off no response the load balancer
   * makes itself (the redirect) may carry its `awselb` `Server` header. Unset without an environment.
   */
  readonly securityHeaders?: SecurityHeaderAttributes;
}

/** `hsts` when the environment does not set it (the stack's default). */
export const DEFAULT_HSTS = { maxAgeSeconds: 31536000, includeSubDomains: false, preload: false } as const;
/** The expiry threshold when there is no expiry alarm (no environment, or `expiryAlarm: false`). */
export const MIN_DAYS_WITHOUT_ALARM = 30;

/**
 * `expiryAlarm.daysBeforeExpiry` when the environment does not set it: the stack's default, the most that stays below
 * ACM's renewal start for certificates issued today (lib/aws/certificate-lifetimes.ts), so the verifier warns on the day
 * the alarm would.
 */
export function defaultAlarmDays(): number {
  return maxExpiryAlarmDays(scheduleDate());
}

export function edgeExpectations(config: EnvironmentConfig | undefined, extraHosts: readonly string[]): EdgeExpectations {
  const nameSets = config ? [certificateNames(config), ...(config.additionalCertificates ?? []).map(certificateNames)] : [];
  const names = nameSets.flat().filter((name) => !name.startsWith("*."));
  const settings = config ? edgeSettings(config) : { hsts: DEFAULT_HSTS, minDaysToExpiry: MIN_DAYS_WITHOUT_ALARM };
  return {
    hosts: [...new Set([...names, ...extraHosts])],
    ...settings,
    keyAlgorithm: config ? config.keyAlgorithm ?? DEFAULTS.keyAlgorithm : undefined,
    ...(config ? { certificateNameSets: nameSets, securityHeaders: securityHeaderAttributes(config.securityHeaders) } : {}),
  };
}

/** The optional `hsts` / `expiryAlarm` fields as another change adds them to EnvironmentConfig. */
type EdgeSettingsFields = {
  readonly hsts?: false | { readonly maxAgeSeconds: number; readonly includeSubDomains?: boolean; readonly preload?: boolean };
  readonly expiryAlarm?: false | { readonly daysBeforeExpiry?: number };
};

/**
 * The one place that reads `hsts` and `expiryAlarm`. They are read from the object, not the type, so this works with
 * and without the EnvironmentConfig fields that declare them; the defaults are the stack's.
 */
export function edgeSettings(config: EnvironmentConfig): { hsts: HstsExpectation; minDaysToExpiry: number } {
  const { hsts, expiryAlarm } = config as EnvironmentConfig & EdgeSettingsFields;
  const problems: string[] = [];
  if (hsts !== undefined && hsts !== false && !(typeof hsts === "object" && Number.isInteger(hsts.maxAgeSeconds))) {
    problems.push(`hsts ${JSON.stringify(hsts)}: must be false or { maxAgeSeconds: <integer>, ... }`);
  }
  if (
    expiryAlarm !== undefined &&
    expiryAlarm !== false &&
    !(typeof expiryAlarm === "object" && expiryAlarm !== null && (expiryAlarm.daysBeforeExpiry === undefined || Number.isInteger(expiryAlarm.daysBeforeExpiry)))
  ) {
    problems.push(`expiryAlarm ${JSON.stringify(expiryAlarm)}: must be false or { daysBeforeExpiry?: <integer>, ... }`);
  }
  if (problems.length > 0) throw new Error(`environment ${config.name}:\n  - ${problems.join("\n  - ")}`);
  return {
    hsts:
      hsts === false
        ? false
        : hsts === undefined
          ? DEFAULT_HSTS
          : { maxAgeSeconds: hsts.maxAgeSeconds, includeSubDomains: hsts.includeSubDomains ?? false, preload: hsts.preload ?? false },
    minDaysToExpiry: expiryAlarm === false ? MIN_DAYS_WITHOUT_ALARM : expiryAlarm?.daysBeforeExpiry ?? defaultAlarmDays(),
  };
}
