/**
 * The single catalogue of AWS's predefined Application Load Balancer (ELB) security policies and the TLS protocol
 * versions each one negotiates. ALBs do not accept custom security policies, so a policy name fixes the protocols a
 * listener offers; this file is what lets config validation say "this name allows TLS 1.0" instead of trusting it.
 *
 * Verified against (stored copies read 2026-11-22; the AWS page's own revision date is not shown on the copy):
 * - AWS, "Security policies for your Application Load Balancer",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html (and its
 *   docs.amazonaws.cn .md mirror): the console default is ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, AWS recommends
 *   it (or its FIPS twin), "PQ" in a name means hybrid post-quantum ML-KEM key exchange, and the RFC 9151 family exists.
 *   Only the top of that page could be read here, not its per-policy tables, so names and protocols were confirmed in
 *   the sources below.
 * - AWS's ALB user guide source, github.com/awsdocs/elb-application-load-balancers-user-guide,
 *   doc_source/create-https-listener.md @ 887abbf3: protocol table for ELBSecurityPolicy-2016-08, -TLS-1-0-2015-04,
 *   -TLS-1-1-2017-01, -TLS-1-2-2017-01, -TLS-1-2-Ext-2018-06 and the FS-2018-06/2019-08 policies; ELBSecurityPolicy-2015-05
 *   "identical to ELBSecurityPolicy-2016-08".
 * - aws/s2n-tls (the TLS library behind ELB), tests/policy_snapshot/snapshots/ELBSecurityPolicy-<name>: the "min version"
 *   and cipher suites (TLS_AES_* suites = TLS 1.3 offered) of every 2021-06, FIPS-2023-04, PQ-2025-09, FIPS-PQ-2025-09,
 *   RFC9151-FIPS-2023-07 and FS-1-2-Res-2019-08/2020-10 policy; the RFC9151 INTEROP1-4 names are aliases of snapshots
 *   20251113/20251117/20251114/20251115 (all TLS 1.2 minimum, TLS 1.3 suites).
 * - aws/aws-cdk, packages/aws-cdk-lib/aws-elasticloadbalancingv2/lib/shared/enums.ts (`SslPolicy`) @ 066134e4, as a
 *   cross-check of the names.
 *
 * Deliberately absent: ELBSecurityPolicy-TLS13-1-1-PQ-2025-09 and ELBSecurityPolicy-TLS13-1-2-Ext0-PQ-2025-09 (in none of
 * the sources), ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09 (only in the CDK enum; no s2n-tls snapshot, not in the CDK
 * change that added the PQ policies), and the *-CNSA2-*-FIPS-PQ-2026-07 names (only s2n-tls aliases so far, not
 * confirmed as ALB policies). An unknown name is rejected, which is the safe direction: add a name here only once AWS
 * documents it.
 */

/** A TLS protocol version, spelled as AWS's `describe-ssl-policies` spells it (`Protocol-TLSv1` is TLS 1.0). */
export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** One predefined ALB security policy: only what our validation needs, not its cipher list. */
export interface AlbTlsPolicy {
  /** Predefined policy name as AWS spells it. */
  readonly name: string;
  /** Oldest protocol the policy negotiates. */
  readonly minTlsVersion: TlsVersion;
  /** Newest protocol the policy negotiates. */
  readonly maxTlsVersion: TlsVersion;
  /** FIPS 140-3 policy. */
  readonly fips: boolean;
  /** Offers hybrid post-quantum key exchange (ML-KEM). */
  readonly postQuantum: boolean;
}

/**
 * The policy a listener gets when its environment names none: AWS's console default and its recommendation
 * (TLS 1.2/1.3, AEAD ciphers with forward secrecy only, hybrid post-quantum key exchange for clients that offer it).
 * The API/CLI/CloudFormation default is still ELBSecurityPolicy-2016-08, which allows TLS 1.0 — hence an explicit default.
 */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** The oldest protocol we accept: TLS 1.0 and 1.1 are deprecated (RFC 8996). */
export const MINIMUM_TLS_VERSION: TlsVersion = "TLSv1.2";

/** Every version, oldest first; the index is the order compareTlsVersions uses. */
const TLS_VERSIONS_OLDEST_FIRST: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** [name, minTlsVersion, maxTlsVersion] — the per-policy facts; the flags are shared by a whole family. */
type PolicyRow = readonly [name: string, minTlsVersion: TlsVersion, maxTlsVersion: TlsVersion];

/** Builds a family's frozen entries, so no caller can change what a policy name means at runtime. */
function family(flags: Pick<AlbTlsPolicy, "fips" | "postQuantum">, rows: readonly PolicyRow[]): AlbTlsPolicy[] {
  return rows.map(([name, minTlsVersion, maxTlsVersion]) =>
    Object.freeze({ name, minTlsVersion, maxTlsVersion, fips: flags.fips, postQuantum: flags.postQuantum }),
  );
}

/**
 * TLS 1.3 policies with hybrid post-quantum key exchange (2025-09). AWS's current recommendation is the "Res" one;
 * the TLS13-1-0 variant still admits TLS 1.0/1.1 for legacy clients.
 */
const TLS13_PQ_2025_09 = family({ fips: false, postQuantum: true }, [
  ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "TLSv1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "TLSv1.3", "TLSv1.3"],
]);

/** FIPS 140-3 twins of the post-quantum policies (2025-09); these add an Ext0 variant the non-FIPS set lacks. */
const TLS13_FIPS_PQ_2025_09 = family({ fips: true, postQuantum: true }, [
  ["ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "TLSv1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09", "TLSv1.3", "TLSv1.3"],
]);

/** The first TLS 1.3 policies (2021-06), classical key exchange only; TLS13-1-0/1-1 keep TLS 1.0/1.1 for old clients. */
const TLS13_2021_06 = family({ fips: false, postQuantum: false }, [
  ["ELBSecurityPolicy-TLS13-1-0-2021-06", "TLSv1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-1-2021-06", "TLSv1.1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-2021-06", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-3-2021-06", "TLSv1.3", "TLSv1.3"],
]);

/** FIPS 140-3 policies (2023-04), classical key exchange only; same shape as the 2021-06 family plus Ext0. */
const TLS13_FIPS_2023_04 = family({ fips: true, postQuantum: false }, [
  ["ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "TLSv1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "TLSv1.1", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "TLSv1.3", "TLSv1.3"],
]);

/**
 * FIPS policies for RFC 9151 (NSA CNSA 1.0) compliance (2023-07): three strict ones and four INTEROP ones that also
 * accept non-CNSA clients during a transition. None allows anything older than TLS 1.2.
 */
const TLS13_RFC9151_FIPS_2023_07 = family({ fips: true, postQuantum: false }, [
  ["ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07", "TLSv1.2", "TLSv1.3"],
  ["ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07", "TLSv1.3", "TLSv1.3"],
]);

/**
 * Pre-TLS 1.3 policies that differ by protocol floor and cipher list. ELBSecurityPolicy-2016-08 is still the API/CLI
 * default and allows TLS 1.0, which is why this project never relies on the API default.
 */
const TLS12_AND_OLDER = family({ fips: false, postQuantum: false }, [
  ["ELBSecurityPolicy-2016-08", "TLSv1", "TLSv1.2"],
  ["ELBSecurityPolicy-TLS-1-1-2017-01", "TLSv1.1", "TLSv1.2"],
  ["ELBSecurityPolicy-TLS-1-2-2017-01", "TLSv1.2", "TLSv1.2"],
  ["ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "TLSv1.2", "TLSv1.2"],
]);

/** Pre-TLS 1.3 forward-secrecy policies (ECDHE ciphers only); the 1-2 ones are TLS 1.2 only. */
const FORWARD_SECRECY = family({ fips: false, postQuantum: false }, [
  ["ELBSecurityPolicy-FS-2018-06", "TLSv1", "TLSv1.2"],
  ["ELBSecurityPolicy-FS-1-1-2019-08", "TLSv1.1", "TLSv1.2"],
  ["ELBSecurityPolicy-FS-1-2-2019-08", "TLSv1.2", "TLSv1.2"],
  ["ELBSecurityPolicy-FS-1-2-Res-2019-08", "TLSv1.2", "TLSv1.2"],
  ["ELBSecurityPolicy-FS-1-2-Res-2020-10", "TLSv1.2", "TLSv1.2"],
]);

/**
 * Legacy names documented for ALBs in AWS's ALB guide (awsdocs repo): 2015-05 is "identical to ELBSecurityPolicy-2016-08",
 * TLS-1-0-2015-04 adds the weak DES-CBC3-SHA. Third-party reads of the current ALB page (2026) no longer find them in
 * its tables (2015-05 remains on the NLB page). Kept so that a config naming them is told "allows TLSv1", not "unknown".
 */
const LEGACY = family({ fips: false, postQuantum: false }, [
  ["ELBSecurityPolicy-2015-05", "TLSv1", "TLSv1.2"],
  ["ELBSecurityPolicy-TLS-1-0-2015-04", "TLSv1", "TLSv1.2"],
]);

/** Code-unit order (not localeCompare), so the order does not depend on the machine's locale. */
function byName(a: AlbTlsPolicy, b: AlbTlsPolicy): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Every predefined ALB security policy, sorted by name. */
export const ALB_TLS_POLICIES: readonly AlbTlsPolicy[] = Object.freeze(
  [
    ...TLS13_PQ_2025_09,
    ...TLS13_FIPS_PQ_2025_09,
    ...TLS13_2021_06,
    ...TLS13_FIPS_2023_04,
    ...TLS13_RFC9151_FIPS_2023_07,
    ...TLS12_AND_OLDER,
    ...FORWARD_SECRECY,
    ...LEGACY,
  ].sort(byName),
);

const POLICIES_BY_NAME: ReadonlyMap<string, AlbTlsPolicy> = new Map(ALB_TLS_POLICIES.map((p) => [p.name, p]));

/**
 * The policy with exactly this name, or undefined. Matching is exact (case and whitespace included) because the name
 * is passed to AWS verbatim: a near miss here would be a failed deployment there.
 */
export function findAlbTlsPolicy(name: string): AlbTlsPolicy | undefined {
  return POLICIES_BY_NAME.get(name);
}

/** True when the policy's oldest protocol is MINIMUM_TLS_VERSION or newer. */
export function allowsOnlyModernTls(policy: AlbTlsPolicy): boolean {
  return compareTlsVersions(policy.minTlsVersion, MINIMUM_TLS_VERSION) >= 0;
}

/** Names of the policies that allowsOnlyModernTls, sorted. */
export function modernTlsPolicyNames(): string[] {
  // ALB_TLS_POLICIES is sorted and filter keeps order; a fresh array, so callers may mutate it.
  return ALB_TLS_POLICIES.filter(allowsOnlyModernTls).map((p) => p.name);
}

/**
 * Compare two versions: negative, zero, positive.
 * Throws on a value outside TlsVersion (possible from untyped input) rather than silently ranking it oldest or newest.
 */
export function compareTlsVersions(a: TlsVersion, b: TlsVersion): number {
  return tlsVersionRank(a) - tlsVersionRank(b);
}

function tlsVersionRank(version: TlsVersion): number {
  const rank = TLS_VERSIONS_OLDEST_FIRST.indexOf(version);
  if (rank < 0) throw new RangeError(`unknown TLS version ${JSON.stringify(version)}`);
  return rank;
}
