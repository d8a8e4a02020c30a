import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Fn, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import {
  deployPolicy,
  deploySubject,
  managedPolicyDocuments,
  dnsReadRolePolicy,
  dnsRolePolicy,
  dnsRoleTrustPolicy,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  planPolicy,
  planSubjects,
  tlsOnlyBucketPolicy,
  PolicyDocument,
  trustPolicy,
} from "./bootstrap-policies";
import { parseAlbArn, partitionOfRegion } from "../aws/arns";
import { IAM_QUOTAS } from "../aws/quotas";
import { DEFAULTS, EnvironmentConfig } from "../config/environment-config";
import { effectiveDnsReadRoleArn } from "../config/fields/dns-read-role-arn";
import { AlarmTopic } from "../constructs/alarm-topic";
import { eventRuleArn, expiryTopicName, renewalEventRuleName } from "../constructs/certificate-expiry-alarms";
import { stackId } from "../tls-stack";
import { validateEnvironments } from "../config/validate-environments";

/** What the pipeline needs in one AWS account. */
export interface BootstrapConfig {
  /** The account to bootstrap (12 digits); every environment listed must be in it. */
  readonly accountId: string;
  /** Region of the state bucket and the provider. */
  readonly region: string;
  /** Name of the S3 state bucket to create; each environment's `stateBackend.s3.bucket` must name it. */
  readonly stateBucketName: string;
  /** The GitHub repository that may assume the roles, `owner/name`. */
  readonly githubRepository: string;
  /** The environments deployed into this account (from environments/). */
  readonly environments: readonly EnvironmentConfig[];
  /**
   * Branch whose runs (push, schedule, dispatch) may assume the plan roles.
   * @default "main"
   */
  readonly mainBranch?: string;
  /**
   * Prefix of the role names: `<prefix>-plan-<env>`, `<prefix>-deploy-<env>`.
   * @default "tls-edge"
   */
  readonly roleNamePrefix?: string;
  /**
   * Create the account's GitHub OIDC provider. An account has at most one per URL: set false when it exists already
   * (its ARN is then derived from the account).
   * @default true
   */
  readonly createOidcProvider?: boolean;
  /**
   * Local state file of this stack, relative to its synthesized directory. Move it into the bucket once it exists
   * (`terraform init -migrate-state` with an S3 backend) if you like; the bucket cannot hold its own creation's state.
   * @default "../../../terraform.tls-bootstrap.tfstate" (the project root)
   */
  readonly statePath?: string;
}

export const BOOTSTRAP_STACK_ID = "tls-bootstrap";

const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Every problem of a bootstrap configuration at once, one line each: `field "value": message`. */
export function bootstrapProblems(config: BootstrapConfig): string[] {
  const problems: string[] = [];
  if (!/^\d{12}$/.test(config.accountId)) problems.push(`accountId ${JSON.stringify(config.accountId)}: must be 12 digits`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) problems.push(`region ${JSON.stringify(config.region)}: not an AWS region name`);
  if (!BUCKET.test(config.stateBucketName) || config.stateBucketName.includes("..")) {
    problems.push(`stateBucketName ${JSON.stringify(config.stateBucketName)}: not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)`);
  }
  if (!REPOSITORY.test(config.githubRepository)) problems.push(`githubRepository ${JSON.stringify(config.githubRepository)}: must be "owner/name"`);
  if (config.environments.length === 0) problems.push("environments []: list at least one environment deployed into this account");
  const partition = partitionOfRegion(config.region);
  config.environments.forEach((environment, index) => {
    const where = `environments[${index}] (${environment.name})`;
    if (environment.accountId !== config.accountId) {
      problems.push(`${where}.accountId ${JSON.stringify(environment.accountId ?? null)}: must be ${config.accountId}, the account bootstrapped here`);
    }
    const bucket = environment.stateBackend?.s3?.bucket;
    if (bucket !== config.stateBucketName) {
      problems.push(
        `${where}.stateBackend.s3.bucket ${JSON.stringify(bucket ?? null)}: must be ${JSON.stringify(config.stateBucketName)}; ` +
          "CI runners keep no local state, so the pipeline needs the environment's state in the bootstrap bucket",
      );
    }
    const environmentPartition = parseAlbArn(environment.loadBalancerArn)?.partition;
    if (environmentPartition !== undefined && environmentPartition !== partition) {
      problems.push(`${where}.loadBalancerArn ${JSON.stringify(environment.loadBalancerArn)}: is in partition ${environmentPartition}, the bootstrap region ${config.region} in ${partition}`);
    }
    for (const [role, document] of [
      ["deploy", deployPolicy(environment, config.stateBucketName)],
      ["plan", planPolicy(environment, config.stateBucketName)],
    ] as const) {
      const parts = managedPolicyDocuments(document).length;
      if (parts > IAM_QUOTAS.managedPoliciesPerRole) {
        problems.push(
          `${where}: the ${role} role's permissions need ${parts} managed policies of ${IAM_QUOTAS.managedPolicyCharacters} characters, ` +
            `more than IAM's ${IAM_QUOTAS.managedPoliciesPerRole} per role; fewer certificate names (each adds a validation record pattern) or a stack split in two`,
        );
      }
    }
    const alarm = environment.expiryAlarm ?? DEFAULTS.expiryAlarm;
    if (alarm !== false && alarm.snsTopicArn === undefined && (alarm.topic ?? DEFAULTS.expiryAlarmTopic) === "stack") {
      problems.push(
        `${where}.expiryAlarm.topic ${JSON.stringify(alarm.topic ?? DEFAULTS.expiryAlarmTopic)}: the pipeline's deploy role cannot create the ` +
          "topic's KMS key (CreateKey with tags also needs kms:TagResource, which IAM cannot restrict to the key being created, " +
          'and granting it would let the role tag any key of the account into its reach). Set expiryAlarm.topic to "bootstrap" ' +
          "(this stack then creates the topic, its key and the e-mail subscription), or expiryAlarm.snsTopicArn to a topic of your own, " +
          "or expiryAlarm to false",
      );
    }
  });
  return problems;
}

/**
 * The `tls-bootstrap` stack: for one account, the S3 state bucket (versioned, encrypted, public access blocked,
 * TLS-only), the GitHub OIDC provider, per environment a plan role and a deploy role (see bootstrap-policies.ts), and
 * for each environment with `expiryAlarm.topic: "bootstrap"` its alarm topic with the topic's KMS key and e-mail
 * subscription (the deploy role may not create KMS keys). Output `github_roles_variable` is the value of the repository variable TLS_EDGE_AWS_ROLES the workflow reads; with
 * environments that set `dnsRoleArn`, output `dns_roles` is what the zones' account must give each such role.
 */
export class BootstrapStack extends TerraformStack {
  public readonly bucket: S3Bucket;
  public readonly oidcProviderArn: string;
  public readonly planRoles: Record<string, IamRole> = {};
  public readonly deployRoles: Record<string, IamRole> = {};
  /** Per environment with `expiryAlarm.topic: "bootstrap"`: its alarm topic, key and e-mail subscription. */
  public readonly alarmTopics: Record<string, AlarmTopic> = {};

  constructor(scope: Construct, id: string, config: BootstrapConfig) {
    validateEnvironments(config.environments);
    const problems = bootstrapProblems(config);
    if (problems.length > 0) {
      throw new Error(`Invalid bootstrap configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    super(scope, id);
    const prefix = config.roleNamePrefix ?? "tls-edge";
    const partition = partitionOfRegion(config.region);

    const providerSettings = { allowedAccountIds: [config.accountId], defaultTags: [{ tags: { "managed-by": "cdktf", stack: id } }] };
    new AwsProvider(this, "aws", { region: config.region, ...providerSettings });
    // Each environment's alarm topic lives in the environment's region: one aliased provider per other region.
    const regionalProviders = new Map<string, AwsProvider>();
    const providerFor = (region: string): AwsProvider | undefined => {
      if (region === config.region) return undefined;
      if (!regionalProviders.has(region)) regionalProviders.set(region, new AwsProvider(this, `aws-${region}`, { alias: region, region, ...providerSettings }));
      return regionalProviders.get(region);
    };
    new LocalBackend(this, { path: config.statePath ?? `../../../terraform.${id}.tfstate` });

    this.bucket = new S3Bucket(this, "StateBucket", { bucket: config.stateBucketName });
    new S3BucketVersioningA(this, "StateBucketVersioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "StateBucketEncryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "StateBucketPublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "StateBucketOwnership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "StateBucketTlsOnly", { bucket: this.bucket.id, policy: JSON.stringify(tlsOnlyBucketPolicy(`arn:${partition}:s3:::${config.stateBucketName}`)) });

    if (config.createOidcProvider ?? true) {
      // No thumbprint_list: AWS trusts GitHub's OIDC endpoint through its own CA library (provider >= 5.81 allows this).
      const provider = new IamOpenidConnectProvider(this, "GitHubOidc", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: [GITHUB_OIDC_AUDIENCE] });
      this.oidcProviderArn = provider.arn;
    } else {
      this.oidcProviderArn = `arn:${partition}:iam::${config.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
    }

    const roles: Record<string, { region: string; planRole: string; deployRole: string }> = {};
    const dnsRoles: Record<string, Record<"write" | "read", { roleArn: string; trustPolicy: PolicyDocument; policies: PolicyDocument[] }>> = {};
    for (const environment of config.environments) {
      const stack = stackId(environment.name);
      const planRoleName = `${prefix}-plan-${environment.name}`;
      const deployRoleName = `${prefix}-deploy-${environment.name}`;
      const plan = new IamRole(this, `PlanRole-${environment.name}`, {
        name: planRoleName,
        description: `Plans and drift-checks ${stack} from GitHub (pull requests, ${config.mainBranch ?? "main"}); read-only`,
        assumeRolePolicy: JSON.stringify(trustPolicy(this.oidcProviderArn, planSubjects(config.githubRepository, config.mainBranch ?? "main"))),
        maxSessionDuration: 3600,
      });
      this.attachPolicies(plan, planRoleName, planPolicy(environment, config.stateBucketName));
      const deploy = new IamRole(this, `DeployRole-${environment.name}`, {
        name: deployRoleName,
        description: `Applies ${stack} from the GitHub environment ${stack} only`,
        assumeRolePolicy: JSON.stringify(trustPolicy(this.oidcProviderArn, [deploySubject(config.githubRepository, environment)])),
        maxSessionDuration: 3600,
      });
      this.attachPolicies(deploy, deployRoleName, deployPolicy(environment, config.stateBucketName));
      this.planRoles[environment.name] = plan;
      this.deployRoles[environment.name] = deploy;
      const alarm = environment.expiryAlarm ?? DEFAULTS.expiryAlarm;
      if (alarm !== false && alarm.snsTopicArn === undefined && alarm.topic === "bootstrap") {
        // The topic the environment's stack names (tls-stack.ts), with what its deploy role may not create: the key.
        const renewalEvents = alarm.renewalEvents ?? DEFAULTS.renewalEvents;
        this.alarmTopics[environment.name] = new AlarmTopic(this, `AlarmTopic-${environment.name}`, {
          name: expiryTopicName(stack),
          accountId: config.accountId,
          region: environment.region,
          partition,
          eventRuleArns: renewalEvents ? [eventRuleArn(partition, environment.region, config.accountId, renewalEventRuleName(stack))] : [],
          email: alarm.email,
          provider: providerFor(environment.region),
        });
      }
      roles[stack] = { region: environment.region, planRole: plan.arn, deployRole: deploy.arn };
      if (environment.dnsRoleArn !== undefined) {
        // Role ARNs follow from account and name, so the documents are plain JSON, ready for the zones' account; the
        // permissions come in parts that each fit a managed policy (an inline policy would hold fewer record names).
        const roleArn = (name: string) => `arn:${partition}:iam::${config.accountId}:role/${name}`;
        dnsRoles[stack] = {
          write: { roleArn: environment.dnsRoleArn, trustPolicy: dnsRoleTrustPolicy(roleArn(deployRoleName)), policies: managedPolicyDocuments(dnsRolePolicy(environment)) },
          read: {
            roleArn: effectiveDnsReadRoleArn(environment)!,
            trustPolicy: dnsRoleTrustPolicy(roleArn(planRoleName)),
            policies: managedPolicyDocuments(dnsReadRolePolicy(environment)),
          },
        };
      }
    }

    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "S3 bucket for the environments' state" }).overrideLogicalId("state_bucket");
    new TerraformOutput(this, "github_roles_variable", {
      value: Fn.jsonencode(roles),
      description: "Value of the GitHub repository variable TLS_EDGE_AWS_ROLES",
    }).overrideLogicalId("github_roles_variable");
    if (Object.keys(dnsRoles).length > 0) {
      new TerraformOutput(this, "dns_roles", {
        value: JSON.stringify(dnsRoles),
        description: "Per stack, the two DNS roles to create in the zones' account (write: dnsRoleArn, for the deploy role; read: dnsReadRoleArn, for the plan role): each one's trust policy and permission policies, each to attach as a managed policy (JSON)",
      }).overrideLogicalId("dns_roles");
    }
  }

  /**
   * The role's permissions as customer-managed policies `<role name>-1`, `-2`, ... attached to it: managed policies
   * hold 6,144 characters each and a role takes 10 of them, where all of a role's inline policies together hold only
   * 10,240 (IAM quotas), which the largest configuration validation accepts exceeds. bootstrapProblems refuses a
   * role that would need more than 10.
   */
  private attachPolicies(role: IamRole, roleName: string, document: PolicyDocument): void {
    managedPolicyDocuments(document).forEach((part, index) => {
      const policy = new IamPolicy(this, `${role.node.id}Policy${index + 1}`, {
        name: `${roleName}-${index + 1}`,
        description: `Permissions of ${roleName}, part ${index + 1}`,
        policy: JSON.stringify(part),
      });
      new IamRolePolicyAttachment(this, `${role.node.id}Policy${index + 1}Attachment`, { role: role.name, policyArn: policy.arn });
    });
  }
}
