import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { zoneApexFor } from "../aws/dns-names";
import { AcmCaaIssuer, DEFAULTS } from "../config/environment-config";

export interface CaaRecordsProps {
  /** Route53 hosted zones, apex name -> zone ID. */
  readonly hostedZones: Readonly<Record<string, string>>;
  /**
   * Every certificate name the CAA sets must allow (all certificates of the stack). Each name belongs to the zone
   * whose apex is its longest matching suffix; a zone no name uses gets no CAA set.
   */
  readonly certificateNames: readonly string[];
  /**
   * CAA issuer domains allowed to issue.
   * @default ["amazon.com"]
   */
  readonly issuers?: readonly AcmCaaIssuer[];
  /**
   * `mailto:` or `https://` URL for the `iodef` property (where a CA reports a refused request).
   * @default - no iodef entry
   */
  readonly iodef?: string;
  /**
   * TTL of the CAA record sets, in seconds.
   * @default 300 (only CAs query CAA, so a short TTL costs nothing, and a corrected set reaches ACM's next renewal
   * attempt within minutes)
   */
  readonly ttl?: number;
  /**
   * Provider that manages the records (the `dns` alias when the zones are in another account).
   * @default - the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
}

/** One CAA record set: the zone apex it sits on and its values. */
export interface CaaRecordSet {
  readonly apex: string;
  readonly zoneId: string;
  readonly values: readonly string[];
}

/**
 * CAA record sets that allow only the given issuers (Amazon) to issue certificates: one set at the apex of every
 * hosted zone the certificate names use, with `0 issue "<issuer>"` per issuer, `0 issuewild "<issuer>"` per issuer when
 * a name in that zone is a wildcard, and `0 iodef "<url>"`.
 *
 * The records never set `allow_overwrite`: Route53 then creates them with CREATE, which fails on an existing CAA set
 * at the apex instead of silently replacing a policy someone else wrote. Import or merge such a set by hand. A CREATE
 * whose answer was lost fails the same way on its retry, on the stack's own set: recover as
 * docs/deploying.md#a-caa-set-that-already-exists describes (terraform import, then apply).
 */
export class CaaRecords extends Construct {
  /** The record sets, sorted by apex. */
  public readonly recordSets: readonly CaaRecordSet[];
  /** One record per set, in the order of `recordSets`. */
  public readonly records: readonly Route53Record[];

  constructor(scope: Construct, id: string, props: CaaRecordsProps) {
    super(scope, id);
    this.recordSets = caaRecordSets(props);
    this.records = this.recordSets.map(
      (set) =>
        // Keyed by apex, so adding a certificate or a zone never moves an existing set to another address.
        new Route53Record(this, `CaaRecord-${set.apex.replace(/\./g, "_")}`, {
          zoneId: set.zoneId,
          name: set.apex,
          type: "CAA",
          ttl: props.ttl ?? DEFAULTS.caaRecordTtl,
          records: [...set.values],
          provider: props.provider,
        }),
    );
  }
}

/** The CAA record sets for the given names (pure; what `CaaRecords` builds). */
export function caaRecordSets(props: Pick<CaaRecordsProps, "hostedZones" | "certificateNames" | "issuers" | "iodef">): CaaRecordSet[] {
  const apexes = Object.keys(props.hostedZones);
  const namesByApex = new Map<string, string[]>();
  for (const name of props.certificateNames) {
    const apex = zoneApexFor(name, apexes);
    if (apex === undefined) throw new Error(`CAA records: ${name} is under no hosted zone (${apexes.join(", ")})`);
    namesByApex.set(apex, [...(namesByApex.get(apex) ?? []), name]);
  }
  const issuers = props.issuers ?? DEFAULTS.caaIssuers;
  return [...namesByApex.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([apex, names]) => ({
      apex,
      zoneId: props.hostedZones[apex],
      values: [
        ...issuers.map((issuer) => `0 issue "${issuer}"`),
        // Without issuewild the issue entries cover wildcards too; writing them out says so where a reader looks.
        ...(names.some((name) => name.startsWith("*.")) ? issuers.map((issuer) => `0 issuewild "${issuer}"`) : []),
        ...(props.iodef === undefined ? [] : [`0 iodef "${props.iodef}"`]),
      ],
    }));
}
