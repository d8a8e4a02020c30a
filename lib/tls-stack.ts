import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import { EnvironmentConfig } from "./environment-config";
import { HttpToHttpsRedirect } from "./http-to-https-redirect";
import { HttpsListener } from "./https-listener";
import { TlsGuard } from "./tls-guard";
import { validateEnvironments } from "./validate-environments";

/** The Terraform versions every stack accepts (S3-native state locking, `use_lockfile`, needs 1.10). */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10";

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
    this.configureBackend(id);
    // The S3 backend's use_lockfile (S3-native locking) exists from Terraform 1.10; older versions reject it with a
    // confusing backend error, and would not take the lock. Every stack says so, whatever its backend, so the rule does
    // not change when a stack moves from local to S3 state. cdktf 0.21 has no API for it.
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);

    this.certificate = new DnsValidatedCertificate(this, "Certificate", {
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
      existingListenerArn: config.existingListeners?.https,
    });
    this.httpRedirect = new HttpToHttpsRedirect(this, "HttpRedirect", {
      loadBalancerArn: config.loadBalancerArn,
      existingListenerArn: config.existingListeners?.http,
    });

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
