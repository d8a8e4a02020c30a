import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Aspects, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { parseAlbArn, parseIamRoleArn } from "./arns";
import { CaaRecords } from "./caa-records";
import { CertificateExpiryAlarms } from "./certificate-expiry-alarms";
import { certificatesIn, certificateNamesIn } from "./stack-certificates";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import { DEFAULTS, EnvironmentConfig } from "./environment-config";
import { HttpToHttpsRedirect } from "./http-to-https-redirect";
import { HttpsListener } from "./https-listener";
import { TlsGuard } from "./tls-guard";
import { validateEnvironments } from "./validate-environments";

/** The stack id of an environment. */
export function stackId(environmentName: string): string {
  return `tls-${environmentName}`;
}

/**
 * One environment's TLS edge: a DNS-validated ACM certificate and, on an existing ALB, an HTTPS listener with a
 * TLS >= 1.2 policy plus an HTTP listener that redirects to it.
 */
export class TlsStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  /** With `dnsRoleArn`: the `aws.dns` provider that manages every Route53 record, assuming that role. */
  public readonly dnsProvider?: AwsProvider;
  /** With `caa`: the CAA record sets. */
  public readonly caaRecords?: CaaRecords;
  /** Unless `expiryAlarm` is false: the expiry alarms of every certificate of the stack. */
  public readonly expiryAlarms?: CertificateExpiryAlarms;
  public readonly certificate: DnsValidatedCertificate;
  public readonly httpsListener: HttpsListener;
  public readonly httpRedirect: HttpToHttpsRedirect;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    // Validate before anything is added to the tree, so bad input leaves no half-built stack behind.
    validateEnvironments([config]);
    super(scope, id);
    this.config = config;
    // Policy holds for everything in the stack, including resources added outside these constructs.
    Aspects.of(this).add(new TlsGuard());

    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: config.accountId === undefined ? undefined : [config.accountId],
      defaultTags: [
        { tags: { ...config.tags, environment: config.name, "managed-by": "cdktf", stack: id } },
      ],
    });
    if (config.dnsRoleArn !== undefined) {
      this.dnsProvider = new AwsProvider(this, "aws-dns", {
        alias: "dns",
        region: config.region,
        assumeRole: [{ roleArn: config.dnsRoleArn, sessionName: `${id}-dns` }],
        // The assumed credentials must be the zones' account: a role ARN pasted from the wrong account stops here.
        allowedAccountIds: [parseIamRoleArn(config.dnsRoleArn)!.account],
        defaultTags: [{ tags: { ...config.tags, environment: config.name, "managed-by": "cdktf", stack: id } }],
      });
    }
    this.configureBackend(id);

    this.certificate = new DnsValidatedCertificate(this, "Certificate", {
      dnsProvider: this.dnsProvider,
      domainName: config.domainName,
      subjectAlternativeNames: config.subjectAlternativeNames,
      hostedZones: config.hostedZones,
      keyAlgorithm: config.keyAlgorithm,
      validationTimeout: config.validationTimeout,
    });
    this.httpsListener = new HttpsListener(this, "HttpsListener", {
      loadBalancerArn: config.loadBalancerArn,
      // From the validation resource, so the listener only ever points at an issued certificate.
      certificateArn: this.certificate.certificateArn,
      sslPolicy: config.tlsPolicy,
      targetGroupArn: config.targetGroupArn,
    });
    this.httpRedirect = new HttpToHttpsRedirect(this, "HttpRedirect", { loadBalancerArn: config.loadBalancerArn });

    // After every certificate exists: both cover all certificates of the stack (certificatesIn).
    if (config.caa !== undefined) {
      this.caaRecords = new CaaRecords(this, "Caa", {
        hostedZones: config.hostedZones,
        certificateNames: certificateNamesIn(this),
        issuers: config.caa.issuers,
        iodef: config.caa.iodef,
        provider: this.dnsProvider,
      });
    }
    if (this.dnsProvider !== undefined) {
      // Every Route53 record of the stack lives in the hosted zones, whichever construct made it (the validation
      // records of every certificate, however it was configured, and the CAA sets): all of them go through the role.
      for (const child of this.node.findAll()) if (child instanceof Route53Record) child.provider = this.dnsProvider;
    }
    const expiryAlarm = config.expiryAlarm ?? DEFAULTS.expiryAlarm;
    if (expiryAlarm !== false) {
      this.expiryAlarms = new CertificateExpiryAlarms(this, "ExpiryAlarms", {
        namePrefix: id,
        // Validation guarantees a valid ALB ARN, whose account is accountId when that is set.
        accountId: config.accountId ?? parseAlbArn(config.loadBalancerArn)!.account,
        partition: parseAlbArn(config.loadBalancerArn)!.partition,
        certificates: certificatesIn(this).map((certificate) => ({
          id: certificate.node.id,
          // The certificate's own ARN, not the validation's: the alarm exists even while validation is stuck.
          certificateArn: certificate.certificate.arn,
          domainName: certificate.names[0],
        })),
        daysBeforeExpiry: expiryAlarm.daysBeforeExpiry,
        snsTopicArn: expiryAlarm.snsTopicArn,
        email: expiryAlarm.email,
      });
    }

    this.output("certificate_arn", this.certificate.certificateArn, "ARN of the issued ACM certificate");
    this.output("https_listener_arn", this.httpsListener.arn, "ARN of the HTTPS listener");
    this.output("http_listener_arn", this.httpRedirect.arn, "ARN of the HTTP->HTTPS redirect listener");
    this.output(
      "validation_record_fqdns",
      this.certificate.validationRecords.map((record) => record.fqdn),
      "FQDNs of the Route53 DNS validation records",
    );
  }

  private output(id: string, value: unknown, description: string): void {
    new TerraformOutput(this, id, { value, description }).overrideLogicalId(id);
  }

  private configureBackend(id: string): void {
    const s3 = this.config.stateBackend?.s3;
    if (s3 === undefined) {
      // Relative to the stack's working directory (<outdir>/stacks/<id>): the project root, outside cdktf.out, so
      // a re-synth never touches state and no absolute path of the synthesizing machine is written.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
      return;
    }
    new S3Backend(this, {
      bucket: s3.bucket,
      key: s3.key ?? `tls-edge/${this.config.name}/terraform.tfstate`,
      region: s3.region ?? this.config.region,
      encrypt: true,
      dynamodbTable: s3.dynamodbTable,
    });
    // cdktf 0.21's S3Backend has no field for S3-native locking (Terraform >= 1.10).
    this.addOverride("terraform.backend.s3.use_lockfile", true);
  }
}
