import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

/**
 * The DNS validation records of one stack, one per validation name, shared by every certificate that needs it.
 *
 * Why share across certificates: ACM asks for the same CNAME (same name, same value) for a given domain name from every
 * certificate of one account, so the default certificate, its RSA fallback and an additional certificate that
 * names `api.example.com` all need the one record `_<token>.api.example.com`. Two Terraform resources for that one
 * DNS name would fight over it (with `allow_overwrite` each apply rewrites it; without it the second create fails),
 * and destroying either (a certificate removed from the configuration) would delete the CNAME the others still
 * renew with. Should ACM ever ask two certificates for different CNAMEs for one name, the second certificate's
 * validation resource fails loudly at apply ("missing DNS validation record"), not silently.
 *
 * Why the addresses are stable: a record's construct id depends only on its validation name
 * (`ValidationRecord-api_example_com`) and it always lives in the registry's scope (the stack's default certificate),
 * so adding, removing or reordering other certificates never moves a record to another address (a move would
 * destroy the old address after creating the new one, deleting the live CNAME). The certificate that first asks for
 * a name supplies the record's value (certificates are created in a fixed order: default, RSA fallback, additional
 * ones in configuration order); since the value is the same for every certificate, a change of supplier is no
 * change in DNS.
 *
 * Not a construct: the records are children of the scope it is given, so the default certificate's records keep the
 * addresses they had before certificates were shared.
 */
export class ValidationRecordRegistry {
  private readonly records = new Map<string, Route53Record>();

  /**
   * @param scope where every record is created
   * @param hostedZones the zones every certificate of the registry validates in (apex -> zone ID)
   */
  constructor(
    public readonly scope: Construct,
    public readonly hostedZones: Readonly<Record<string, string>>,
  ) {}

  /** The record for a validation name: the existing one, or the one `create` makes in the registry's scope. */
  public recordFor(validationName: string, create: (scope: Construct, id: string) => Route53Record): Route53Record {
    const existing = this.records.get(validationName);
    if (existing !== undefined) return existing;
    const record = create(this.scope, `ValidationRecord-${recordIdSuffix(validationName)}`);
    this.records.set(validationName, record);
    return record;
  }

  /** Every record of the registry, sorted by validation name. */
  public get all(): readonly Route53Record[] {
    return [...this.records.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, record]) => record);
  }
}

/** `api.example.com` -> `api_example_com`: readable, and unique because DNS names here hold no underscores. */
function recordIdSuffix(validationName: string): string {
  return validationName.replace(/\./g, "_");
}
