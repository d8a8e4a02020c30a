import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, dependable, LocalBackend, S3Backend, TerraformOutput, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { parseAlbArn, parseIamRoleArn } from "./aws/arns";
import { CaaRecords } from "./constructs/caa-records";
import { snsTopicArn } from "./constructs/alarm-topic";
import { CertificateExpiryAlarms, expiryTopicName } from "./constructs/certificate-expiry-alarms";
import { certificatesIn, certificateNamesIn } from "./constructs/stack-certificates";
import { DnsValidatedCertificate } from "./constructs/dns-validated-certificate";
import { DEFAULTS, EnvironmentConfig } from "./config/environment-config";
import { HttpToHttpsRedirect } from "./constructs/http-to-https-redirect";
import { HttpsListener } from "./constructs/https-listener";
import { ListenerCertificates } from "./constructs/listener-certificates";
import { TlsGuard } from "./guard/tls-guard";
import { TrustStore } from "./constructs/trust-store";
import { securityHeaderAttributes } from "./config/security-headers";
import { validateEnvironments } from "./config/validate-environments";
import { effectiveDnsReadRoleArn } from "./config/fields/dns-read-role-arn";
import { DNS_ROLE_VARIABLE, DnsRoleArns, METADATA_KEY } from "./stack-metadata";

/** The Terraform versions every stack accepts (S3-native state locking, `use_lockfile`, needs 1.10). */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10";

/**
 * `shop.example.org` -> `shop_example_org`, `*.shop.example.org` -> `wildcard__shop_example_org`: a readable construct
 * id part that no two names share (names hold no underscores and no empty labels, so `__` only comes from `*.`).
 */
function certificateIdSuffix(domainName: string): string {
  return domainName.replace(/^\*\./, "wildcard__").replace(/\./g, "_");
}

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
  /** Unless `expiryAlarm` is false: the expiry alarms of every certificate of the stack, and its renewal-event rule. */
  public readonly expiryAlarms?: CertificateExpiryAlarms;
  public readonly certificate: DnsValidatedCertificate;
  public readonly httpsListener: HttpsListener;
  public readonly httpRedirect: HttpToHttpsRedirect;
  /** With `rsaFallback`: the RSA_2048 twin of the default certificate, served by SNI. */
  public readonly rsaFallbackCertificate?: DnsValidatedCertificate;
  /**
   * With `rsaFallback`: the EC twin of the default certificate (same names, same key algorithm), served by SNI beside
   * the RSA twin so that SNI clients which support ECDSA still get it.
   */
  public readonly ecSniCertificate?: DnsValidatedCertificate;
  /** The `additionalCertificates`, in configuration order. */
  public readonly additionalCertificates: readonly DnsValidatedCertificate[];
  /**
   * The SNI certificate list: the additional certificates, and with `rsaFallback` the RSA and EC twins of the default
   * certificate; undefined when the list is empty. Never the default certificate itself.
   */
  public readonly listenerCertificates?: ListenerCertificates;
  /** With `mutualTls` in verify mode: the trust store client certificates are checked against. */
  public readonly trustStore?: TrustStore;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    // Validate before anything is added to the tree, so bad input leaves no half-built stack behind.
    validateEnvironments([config]);
    super(scope, id);
    this.config = config;
    // Policy holds for everything in the stack, including resources added outside these constructs.
    Aspects.of(this).add(new TlsGuard());

    const defaultTags = [{ tags: { ...config.tags, environment: config.name, "managed-by": "cdktf", stack: id } }];
    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: config.accountId === undefined ? undefined : [config.accountId],
      defaultTags,
    });
    if (config.dnsRoleArn !== undefined) {
      const readRoleArn = effectiveDnsReadRoleArn(config)!;
      // Which of the two roles the dns provider assumes is chosen per run: an ephemeral variable is not saved in a plan
      // file and must be given again when the plan is applied, so scripts/ci/plan can plan with the read-only role and
      // scripts/ci/apply apply the same plan with the writing one (both read them from the "//" metadata below). Left
      // unset (a laptop's cdktf deploy) it is the writing role. The validation admits no third role.
      const dnsRole = new TerraformVariable(this, DNS_ROLE_VARIABLE, {
        type: "string",
        default: config.dnsRoleArn,
        description: "IAM role the dns provider assumes: dnsRoleArn (writes, the default) or dnsReadRoleArn (plans)",
        validation: [
          {
            condition: `\${contains(${JSON.stringify([config.dnsRoleArn, readRoleArn])}, var.${DNS_ROLE_VARIABLE})}`,
            errorMessage: `Must be one of the environment's DNS roles: ${config.dnsRoleArn} or ${readRoleArn}.`,
          },
        ],
      });
      dnsRole.overrideLogicalId(DNS_ROLE_VARIABLE);
      // cdktf 0.21 has no field for it (Terraform >= 1.10, which every stack requires).
      dnsRole.addOverride("ephemeral", true);
      const roles: DnsRoleArns = { plan: readRoleArn, apply: config.dnsRoleArn };
      this.addOverride(`//.${METADATA_KEY}.dns_role_arns`, roles);
      this.dnsProvider = new AwsProvider(this, "aws-dns", {
        alias: "dns",
        region: config.region,
        assumeRole: [{ roleArn: dnsRole.stringValue, sessionName: `${id}-dns` }],
        // The assumed credentials must be the zones' account: a role ARN pasted from the wrong account stops here.
        allowedAccountIds: [parseIamRoleArn(config.dnsRoleArn)!.account],
        defaultTags,
      });
    }
    this.configureBackend(id);
    // The S3 backend's use_lockfile (S3-native locking) exists from Terraform 1.10; older versions reject it with a
    // confusing backend error, and would not take the lock. Every stack says so, whatever its backend, so the rule does
    // not change when a stack moves from local to S3 state. cdktf 0.21 has no API for it.
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);

    this.certificate = new DnsValidatedCertificate(this, "Certificate", {
      dnsProvider: this.dnsProvider,
      domainName: config.domainName,
      subjectAlternativeNames: config.subjectAlternativeNames,
      hostedZones: config.hostedZones,
      keyAlgorithm: config.keyAlgorithm,
      validationTimeout: config.validationTimeout,
    });
    // Further certificates share the default certificate's validation records (one record per validation name in
    // the whole stack); the order here decides only which certificate supplies a shared record's (identical) value.
    // Every Route53 record (validation and CAA) lives in the hosted zones, so all of them go through dnsProvider.
    const shared = {
      dnsProvider: this.dnsProvider,
      hostedZones: config.hostedZones,
      keyAlgorithm: config.keyAlgorithm,
      validationTimeout: config.validationTimeout,
      validationRecordRegistry: this.certificate.validationRecordRegistry,
    };
    if (config.rsaFallback ?? DEFAULTS.rsaFallback) {
      this.rsaFallbackCertificate = new DnsValidatedCertificate(this, "RsaFallbackCertificate", {
        ...shared,
        domainName: config.domainName,
        subjectAlternativeNames: config.subjectAlternativeNames,
        keyAlgorithm: "RSA_2048",
      });
      this.ecSniCertificate = new DnsValidatedCertificate(this, "EcSniCertificate", {
        ...shared,
        domainName: config.domainName,
        subjectAlternativeNames: config.subjectAlternativeNames,
      });
    }
    // Keyed by domain name (unique among them), so adding or removing one never replaces another.
    this.additionalCertificates = (config.additionalCertificates ?? []).map(
      (additional) =>
        new DnsValidatedCertificate(this, `AdditionalCertificate-${certificateIdSuffix(additional.domainName)}`, {
          ...shared,
          domainName: additional.domainName,
          subjectAlternativeNames: additional.subjectAlternativeNames,
        }),
    );
    const mutualTls = config.mutualTls;
    const trustStore =
      mutualTls?.mode === "verify"
        ? new TrustStore(this, "ClientTrustStore", {
            bucket: mutualTls.trustStore.bucket,
            key: mutualTls.trustStore.key,
            revocationLists: mutualTls.trustStore.revocationLists,
          })
        : undefined;
    this.trustStore = trustStore;
    this.httpsListener = new HttpsListener(this, "HttpsListener", {
      loadBalancerArn: config.loadBalancerArn,
      // From the validation resource, so the listener only ever points at an issued certificate.
      certificateArn: this.certificate.certificateArn,
      sslPolicy: config.tlsPolicy,
      targetGroupArn: config.targetGroupArn,
      existingListenerArn: config.existingListeners?.https,
      hsts: config.hsts,
      securityHeaders: config.securityHeaders,
      mutualTls: trustStore !== undefined ? { mode: "verify", trustStoreArn: trustStore.arn } : mutualTls?.mode === "passthrough" ? mutualTls : undefined,
    });
    // The listener starts verifying (or moves to a replaced trust store) only once the revocation lists are in the
    // trust store, so there is no moment in which a revoked client certificate is accepted.
    if (trustStore !== undefined && trustStore.revocations.length > 0) {
      this.httpsListener.listener.dependsOn = [...(this.httpsListener.listener.dependsOn ?? []), ...trustStore.revocations.map((r) => dependable(r))];
    }
    const sni: Record<string, string> = {};
    // From the validation resources too: the ALB only takes issued certificates.
    if (this.rsaFallbackCertificate !== undefined && this.ecSniCertificate !== undefined) {
      // A client that sends SNI is matched against the list only (the default certificate serves clients without SNI
      // or without a match), and among matching certificates the ALB picks the one the client supports best, ECDSA
      // before RSA. So the RSA twin needs an EC certificate for the same names beside it in the list, or every SNI
      // client would get RSA. That EC certificate is a twin, not the default certificate itself: ELB refuses to remove
      // a listener's default certificate from its list (terraform-provider-aws#19495), so listing the default would
      // leave an attachment that no destroy, rotation or switching off of the fallback could remove.
      sni.EcSniTwin = this.ecSniCertificate.certificateArn;
      sni.RsaFallback = this.rsaFallbackCertificate.certificateArn;
    }
    (config.additionalCertificates ?? []).forEach((additional, i) => {
      sni[`Additional-${certificateIdSuffix(additional.domainName)}`] = this.additionalCertificates[i].certificateArn;
    });
    if (Object.keys(sni).length > 0) {
      this.listenerCertificates = new ListenerCertificates(this, "SniCertificates", {
        listenerArn: this.httpsListener.arn,
        certificates: sni,
        maxCertificates: config.maxLoadBalancerCertificates,
      });
    }
    this.httpRedirect = new HttpToHttpsRedirect(this, "HttpRedirect", {
      loadBalancerArn: config.loadBalancerArn,
      existingListenerArn: config.existingListeners?.http,
      // The redirects are the load balancer's own responses, so they follow the HTTPS listener's Server header choice.
      serverHeader: securityHeaderAttributes(config.securityHeaders).serverEnabled,
    });

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
    const expiryAlarm = config.expiryAlarm ?? DEFAULTS.expiryAlarm;
    if (expiryAlarm !== false) {
      // Validation guarantees a valid ALB ARN, whose account is accountId when that is set.
      const { account, partition } = parseAlbArn(config.loadBalancerArn)!;
      const accountId = config.accountId ?? account;
      // With topic "bootstrap" the tls-bootstrap stack creates the topic (and its key and subscription) under the name
      // this stack would have given it; this stack only notifies it.
      const bootstrapTopic =
        expiryAlarm.snsTopicArn === undefined && (expiryAlarm.topic ?? DEFAULTS.expiryAlarmTopic) === "bootstrap"
          ? snsTopicArn(partition, config.region, accountId, expiryTopicName(id))
          : undefined;
      this.expiryAlarms = new CertificateExpiryAlarms(this, "ExpiryAlarms", {
        namePrefix: id,
        accountId,
        region: config.region,
        partition,
        certificates: certificatesIn(this).map((certificate) => ({
          id: certificate.node.id,
          // The certificate's own ARN, not the validation's: the alarm exists even while validation is stuck.
          certificateArn: certificate.certificate.arn,
          domainName: certificate.names[0],
        })),
        daysBeforeExpiry: expiryAlarm.daysBeforeExpiry,
        snsTopicArn: expiryAlarm.snsTopicArn ?? bootstrapTopic,
        email: bootstrapTopic === undefined ? expiryAlarm.email : undefined,
        renewalEvents: expiryAlarm.renewalEvents ?? DEFAULTS.renewalEvents,
      });
    }

    this.output("certificate_arn", this.certificate.certificateArn, "ARN of the issued ACM certificate");
    this.output("https_listener_arn", this.httpsListener.arn, "ARN of the HTTPS listener");
    this.output("http_listener_arn", this.httpRedirect.arn, "ARN of the HTTP->HTTPS redirect listener");
    this.output(
      "validation_record_fqdns",
      this.certificate.validationRecordRegistry.all.map((record) => record.fqdn),
      "FQDNs of the Route53 DNS validation records",
    );
  }

  private output(id: string, value: unknown, description: string): void {
    // As a token: cdktf 0.21.0 (its last release) checks a non-token object or array value with the deprecated
    // util.isArray, which prints DEP0044 on Node >= 22 at every synth. The token resolves to the same JSON.
    new TerraformOutput(this, id, { value: Token.asAny(value), description }).overrideLogicalId(id);
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
