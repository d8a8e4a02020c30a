import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Fn, TerraformIterator, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { validationGroups, ValidationGroup, zoneApexFor } from "../aws/dns-names";
import { certificateNames, DEFAULTS, KeyAlgorithm } from "../config/environment-config";
import { ValidationRecordRegistry } from "./validation-record-registry";

export interface DnsValidatedCertificateProps {
  /**
   * Provider that manages the validation records (an aliased provider assuming a role in the account that owns the
   * hosted zones). The certificate itself stays with the stack's default provider.
   * @default - the stack's default aws provider
   */
  readonly dnsProvider?: TerraformProvider;
  /** Primary name of the certificate. */
  readonly domainName: string;
  /**
   * Further names on the certificate.
   * @default ["*.<domainName>"]
   */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route53 hosted zones, apex name -> zone ID; each name validates in the zone with the longest matching suffix. */
  readonly hostedZones: Readonly<Record<string, string>>;
  /**
   * Key algorithm of the certificate.
   * @default "EC_prime256v1"
   */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * Create timeout of the validation resource: how long `apply` waits for ACM to issue the certificate.
   * @default "30m"
   */
  readonly validationTimeout?: string;
  /**
   * TTL of the validation CNAME records, in seconds.
   * @default 60 (short, so a re-issued validation token takes effect quickly)
   */
  readonly validationRecordTtl?: number;
  /**
   * Tags on the certificate.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Validation records shared with the other certificates of the stack: a validation name another certificate
   * already has a record for gets no second one (see ValidationRecordRegistry for why). Its hosted zones must be
   * `hostedZones`.
   * @default - a registry of this certificate's own, so its records are its children
   */
  readonly validationRecordRegistry?: ValidationRecordRegistry;
}

/**
 * An ACM certificate validated through Route53 DNS: the certificate, one validation CNAME per distinct validation
 * name, and the validation resource that waits until ACM has issued it. ACM renews such a certificate by itself for
 * as long as the CNAMEs stay in place.
 */
export class DnsValidatedCertificate extends Construct {
  /** Every name of the certificate, domain name first (the SAN default applied). */
  public readonly names: readonly string[];
  public readonly certificate: AcmCertificate;
  /** One record per distinct validation name, sorted by that name (shared ones included). */
  public readonly validationRecords: readonly Route53Record[];
  public readonly validation: AcmCertificateValidation;
  /** ARN of the certificate, available only once it is issued (taken from the validation resource). */
  public readonly certificateArn: string;
  /** The groups of names behind `validationRecords`, in the same order. */
  public readonly validationGroups: readonly ValidationGroup[];
  /** The registry this certificate's records come from (pass it to further certificates to share them). */
  public readonly validationRecordRegistry: ValidationRecordRegistry;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const names = certificateNames(props);
    this.names = names;
    const zoneApexes = Object.keys(props.hostedZones);

    this.certificate = new AcmCertificate(this, "Certificate", {
      domainName: props.domainName,
      subjectAlternativeNames: names.slice(1),
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? DEFAULTS.keyAlgorithm,
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      tags: props.tags,
      // Replacing a certificate in use must create the new one before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    // Records are keyed by names known at synth time. The common idiom, a `forEach` over
    // `TerraformIterator.fromComplexList(cert.domainValidationOptions, "domain_name")`, fails `terraform plan` with
    // "Invalid for_each argument" because the set is unknown until apply (hashicorp/terraform-cdk#3627, #3713).
    // Here only the values are looked up, from a map built over domain_validation_options by domain name.
    const optionsByName = TerraformIterator.fromList(this.certificate.domainValidationOptions).forExpressionForMap(
      "val.domain_name",
      "val",
    );

    this.validationRecordRegistry = props.validationRecordRegistry ?? new ValidationRecordRegistry(this, props.hostedZones);
    if (!sameZones(this.validationRecordRegistry.hostedZones, props.hostedZones)) {
      throw new Error(`${this.node.path}: the shared validation records use other hosted zones than this certificate`);
    }
    this.validationGroups = validationGroups(names);
    this.validationRecords = this.validationGroups.map((group) => {
      const apex = zoneApexFor(group.validationName, zoneApexes);
      if (apex === undefined) {
        throw new Error(`${this.node.path}: ${group.validationName} is under no hosted zone (${zoneApexes.join(", ")})`);
      }
      const option = (attribute: string): string => Fn.lookupNested(optionsByName, [group.lookupName, attribute]);
      return this.validationRecordRegistry.recordFor(group.validationName, (scope, id) => new Route53Record(scope, id, {
        zoneId: props.hostedZones[apex],
        name: option("resource_record_name"),
        type: option("resource_record_type"),
        records: [option("resource_record_value")],
        ttl: props.validationRecordTtl ?? DEFAULTS.validationRecordTtl,
        provider: props.dnsProvider,
        // ACM issues the same CNAME to every certificate for a name in an account: a record left by an earlier
        // certificate (or another stack's) is taken over instead of failing the apply.
        allowOverwrite: true,
        // For the same reason a record never has to change once written: when the certificate that supplies its
        // values is replaced, the new one asks for the same CNAME. Ignoring the (then unknown) name and value keeps
        // the record from being replaced, which, create-before-destroy as Terraform makes it below an SNI attachment,
        // would delete the live CNAME with its old instance (ListenerCertificates).
        lifecycle: { ignoreChanges: ["name", "type", "records"] },
      }));
    });

    this.validation = new AcmCertificateValidation(this, "Validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: this.validationRecords.map((record) => record.fqdn),
      timeouts: { create: props.validationTimeout ?? DEFAULTS.validationTimeout },
    });
    this.certificateArn = this.validation.certificateArn;
  }
}

function sameZones(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const entries = (zones: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(zones).sort());
  return entries(a) === entries(b);
}
