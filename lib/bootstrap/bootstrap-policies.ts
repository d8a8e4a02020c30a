/**
 * IAM documents of the `tls-bootstrap` stack, as plain data (pure functions, so they are unit-tested without synth).
 *
 * Two roles per environment, both assumed only through GitHub's OIDC token for this repository:
 * - the deploy role: trusted only for jobs in the GitHub environment named after the stack (`tls-<name>`), where
 *   required reviewers apply; allowed exactly what the TLS stack manages, each statement scoped to the stack's own
 *   resources: its certificates, the validation (and CAA) records in its zones, listeners on its load balancer (their
 *   attributes and SNI certificates), its trust store, its expiry alarms, their topic and the topic's key, its state;
 * - the plan role: trusted for pull requests and the main branch (plan and drift jobs); read-only, plus the state
 *   lock object so `terraform plan` can lock.
 * With `dnsRoleArn` the records live in another account: both roles may only assume that role, and `dnsRolePolicy`
 * is what that role needs there (the zone account's owner attaches it; the bootstrap stack outputs it).
 *
 * Which statements depend on the configuration: the ones that would widen what the role can reach (CAA sets, which
 * bind every name in a zone; the trust store's CA bundle in S3; the DNS role). The rest (listener attributes and SNI
 * certificates, the expiry alarm's alarms, topic and key) are granted whatever the configuration, because turning a
 * feature off deletes its resources, which needs the same permissions, and each is scoped to resources only this
 * stack has (its listeners, its alarm and topic names, keys tagged `stack = tls-<name>`).
 */
import { parseIamRoleArn } from "../aws/arns";
import { caaRecordSets } from "../constructs/caa-records";
import { certificateNames, EnvironmentConfig } from "../config/environment-config";
import { validationName } from "../aws/dns-names";
import { stackId } from "../tls-stack";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** Where an environment's state lives in the bootstrap bucket (the TLS stack's own default key). */
export function stateKey(environment: EnvironmentConfig): string {
  return environment.stateBackend?.s3?.key ?? `tls-edge/${environment.name}/terraform.tfstate`;
}

/** The OIDC `sub` of a job in the GitHub environment named after the environment's stack. */
export function deploySubject(repository: string, environment: EnvironmentConfig): string {
  return `repo:${repository}:environment:${stackId(environment.name)}`;
}

/** The OIDC `sub`s of plan and drift jobs: pull requests, and runs on main (push, schedule, dispatch). */
export function planSubjects(repository: string, mainBranch: string): string[] {
  return [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${mainBranch}`];
}

export function trustPolicy(oidcProviderArn: string, subjects: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubOidc",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
          },
        },
      },
    ],
  };
}

interface Scope {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly bucket: string;
  /** `tls-<name>`: the prefix of every name the stack gives, and its `stack` tag. */
  readonly stack: string;
}

function scopeOf(environment: EnvironmentConfig, bucket: string): Scope {
  const [, partition, , region, account] = environment.loadBalancerArn.split(":");
  return { partition, account: environment.accountId ?? account, region, bucket, stack: stackId(environment.name) };
}

/** Every name of every certificate the stack requests: the default one (and its RSA twin) and the additional ones. */
function stackCertificateNames(environment: EnvironmentConfig): string[] {
  return [...new Set([environment, ...(environment.additionalCertificates ?? [])].flatMap((certificate) => certificateNames(certificate)))];
}

function zoneArns(environment: EnvironmentConfig, partition: string): string[] {
  return [...new Set(Object.values(environment.hostedZones))].sort().map((id) => `arn:${partition}:route53:::hostedzone/${id}`);
}

/** ACM validation records are named `_<token>.<name>`, one per distinct validation name of any of the certificates. */
function validationRecordPatterns(environment: EnvironmentConfig): string[] {
  return [...new Set(stackCertificateNames(environment).map((n) => `_*.${validationName(n)}`))].sort();
}

function listenerArnPattern(environment: EnvironmentConfig): string {
  return `${environment.loadBalancerArn.replace(":loadbalancer/app/", ":listener/app/")}/*`;
}

function certificateArns(scope: Scope): string {
  return `arn:${scope.partition}:acm:${scope.region}:${scope.account}:certificate/*`;
}

/**
 * The alarms are named `tls-<name>-<certificate construct id>-expiry` (certificate-expiry-alarms.ts; the ids are
 * tls-stack.ts's). Not `tls-<name>-*`: that would cover environment `<name>-eu`'s alarms too. The ids start with a
 * capital letter, which no environment name has, so these patterns cover this stack's alarms only.
 */
function alarmArnPatterns(scope: Scope): string[] {
  const alarm = (name: string) => `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:${scope.stack}-${name}-expiry`;
  return [alarm("Certificate"), alarm("RsaFallbackCertificate"), alarm("AdditionalCertificate-*")];
}

/** The topic the stack creates when `expiryAlarm.snsTopicArn` is not set. */
function topicArn(scope: Scope): string {
  return `arn:${scope.partition}:sns:${scope.region}:${scope.account}:${scope.stack}-certificate-expiry`;
}

/** Trust stores are named by the provider (`tf-...`, trust-store.ts). */
function trustStoreArnPattern(scope: Scope): string {
  return `arn:${scope.partition}:elasticloadbalancing:${scope.region}:${scope.account}:truststore/tf-*`;
}

/** KMS key ARNs are random: any key in the account and region, narrowed by `stackTagged`. */
function keyArns(scope: Scope): string {
  return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:key/*`;
}

/** The stack's keys are the ones carrying its `stack` tag (a provider default tag). */
function stackTagged(scope: Scope): PolicyStatement["Condition"] {
  return { StringEquals: { "aws:ResourceTag/stack": scope.stack } };
}

function stateStatements(environment: EnvironmentConfig, scope: Scope, write: boolean): PolicyStatement[] {
  const key = stateKey(environment);
  const bucketArn = `arn:${scope.partition}:s3:::${scope.bucket}`;
  const statements: PolicyStatement[] = [
    // Terraform's S3 backend lists the workspaces' prefix (`env:/`, its default workspace_key_prefix) on every init,
    // plan and apply (seen in the emulator's request log); reading state itself needs no listing.
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringEquals: { "s3:prefix": ["env:/", key, `${key}.tflock`] } } },
    { Sid: "StateRead", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${key}` },
    // S3-native locking (use_lockfile): plan locks too.
    { Sid: "StateLock", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/${key}.tflock` },
  ];
  if (write) statements.push({ Sid: "StateWrite", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/${key}` });
  const table = environment.stateBackend?.s3?.dynamodbTable;
  if (table !== undefined) {
    const region = environment.stateBackend?.s3?.region ?? environment.region;
    statements.push({
      Sid: "StateLockTable",
      Effect: "Allow",
      Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: `arn:${scope.partition}:dynamodb:${region}:${scope.account}:table/${table}`,
    });
  }
  return statements;
}

/** With `dnsRoleArn`, every record is written through that role, and a plan reads them through it too. */
function dnsRoleStatements(environment: EnvironmentConfig): PolicyStatement[] {
  return environment.dnsRoleArn === undefined ? [] : [{ Sid: "DnsRoleAssume", Effect: "Allow", Action: "sts:AssumeRole", Resource: environment.dnsRoleArn }];
}

/** The Route53 reads a plan makes of the stack's records. */
function zoneReadStatements(environment: EnvironmentConfig, partition: string): PolicyStatement[] {
  return [{ Sid: "ZonesRead", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: zoneArns(environment, partition) }];
}

/**
 * The records the stack writes: validation CNAMEs `_<token>.<name>`, and with `caa` a CAA set at the apex of each zone
 * its certificate names use. One statement per record type: each change batch the provider sends holds one record
 * set, so a CNAME can never be written at an apex, nor a CAA set anywhere else.
 */
function recordWriteStatements(environment: EnvironmentConfig, partition: string): PolicyStatement[] {
  const zones = zoneArns(environment, partition);
  const statements: PolicyStatement[] = [
    ...zoneReadStatements(environment, partition),
    {
      Sid: "ValidationRecordsWrite",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zones,
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"] },
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": validationRecordPatterns(environment) },
      },
    },
  ];
  if (environment.caa !== undefined) {
    const apexes = caaRecordSets({ hostedZones: environment.hostedZones, certificateNames: stackCertificateNames(environment) }).map((set) => set.apex);
    statements.push({
      Sid: "CaaRecordsWrite",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zones,
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsRecordTypes": ["CAA"],
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": apexes,
        },
      },
    });
  }
  statements.push({ Sid: "ZoneChangesRead", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` });
  return statements;
}

/** Read-only access to what the TLS stack manages, plus its state (read) and state lock (write). */
export function planPolicy(environment: EnvironmentConfig, bucket: string): PolicyDocument {
  const scope = scopeOf(environment, bucket);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "CertificatesRead", Effect: "Allow", Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], Resource: certificateArns(scope) },
      ...(environment.dnsRoleArn === undefined ? zoneReadStatements(environment, scope.partition) : dnsRoleStatements(environment)),
      // Elastic Load Balancing Describe* actions (listeners, their attributes and certificates, trust stores) support
      // no resource-level permissions.
      { Sid: "ListenersRead", Effect: "Allow", Action: ["elasticloadbalancing:Describe*"], Resource: "*" },
      ...expiryAlarmReadStatements(scope),
      ...stateStatements(environment, scope, false),
    ],
  };
}

// The expiry alarms (`expiryAlarm`, on by default), the topic the stack creates for them and that topic's KMS key:
// granted whatever `expiryAlarm` says (see the file comment); with `snsTopicArn` the topic statements match nothing.

/** DescribeAlarms (by name) is authorized on no particular alarm. */
const ALARMS_LIST: PolicyStatement = { Sid: "AlarmsList", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" };

function expiryAlarmReadStatements(scope: Scope): PolicyStatement[] {
  return [
    ALARMS_LIST,
    { Sid: "AlarmsRead", Effect: "Allow", Action: "cloudwatch:ListTagsForResource", Resource: alarmArnPatterns(scope) },
    {
      Sid: "AlarmTopicRead",
      Effect: "Allow",
      Action: ["sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:GetSubscriptionAttributes"],
      Resource: topicArn(scope),
    },
    {
      Sid: "AlarmTopicKeyRead",
      Effect: "Allow",
      Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
      Resource: keyArns(scope),
      Condition: stackTagged(scope),
    },
  ];
}

function expiryAlarmManageStatements(scope: Scope): PolicyStatement[] {
  return [
    ALARMS_LIST,
    {
      Sid: "AlarmsManage",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      Resource: alarmArnPatterns(scope),
    },
    {
      Sid: "AlarmTopicManage",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
      ],
      Resource: topicArn(scope),
    },
    // CreateKey has no key ARN yet: the key must be created carrying the stack's tag (the provider sends its default
    // tags with CreateKey), and from then on only keys with that tag can be read, changed or scheduled for deletion.
    {
      Sid: "AlarmTopicKeyCreate",
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/stack": scope.stack, "aws:RequestedRegion": scope.region } },
    },
    {
      Sid: "AlarmTopicKeyManage",
      Effect: "Allow",
      Action: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation",
        "kms:ListResourceTags",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
      ],
      Resource: keyArns(scope),
      Condition: stackTagged(scope),
    },
  ];
}

/** With `mutualTls` in verify mode: the trust store, built from the CA bundle ELB reads with the caller's rights. */
function trustStoreStatements(environment: EnvironmentConfig, scope: Scope): PolicyStatement[] {
  const mutualTls = environment.mutualTls;
  if (mutualTls?.mode !== "verify") return [];
  return [
    {
      Sid: "TrustStoreManage",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateTrustStore",
        "elasticloadbalancing:ModifyTrustStore",
        "elasticloadbalancing:DeleteTrustStore",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ],
      Resource: trustStoreArnPattern(scope),
    },
    {
      Sid: "TrustStoreBundleRead",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `arn:${scope.partition}:s3:::${mutualTls.trustStore.bucket}/${mutualTls.trustStore.key}`,
    },
  ];
}

/** Exactly what the TLS stack manages: its certificates, records, listeners, trust store, expiry alarms, state. */
export function deployPolicy(environment: EnvironmentConfig, bucket: string): PolicyDocument {
  const scope = scopeOf(environment, bucket);
  return {
    Version: "2012-10-17",
    Statement: [
      // RequestCertificate has no resource-level permission; pin the region instead.
      {
        Sid: "CertificatesRequest",
        Effect: "Allow",
        Action: "acm:RequestCertificate",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": scope.region } },
      },
      {
        Sid: "CertificatesManage",
        Effect: "Allow",
        Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate"],
        Resource: certificateArns(scope),
      },
      ...(environment.dnsRoleArn === undefined ? recordWriteStatements(environment, scope.partition) : dnsRoleStatements(environment)),
      { Sid: "ListenersRead", Effect: "Allow", Action: ["elasticloadbalancing:Describe*"], Resource: "*" },
      { Sid: "ListenersCreate", Effect: "Allow", Action: ["elasticloadbalancing:CreateListener"], Resource: environment.loadBalancerArn },
      {
        // Attributes carry the HSTS header; listener certificates are the SNI list (additional certificates, RSA fallback).
        Sid: "ListenersManage",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
        ],
        Resource: listenerArnPattern(environment),
      },
      ...trustStoreStatements(environment, scope),
      ...expiryAlarmManageStatements(scope),
      ...stateStatements(environment, scope, true),
    ],
  };
}

/**
 * With `dnsRoleArn`: what that role (in the zones' account) must allow, for its owner to attach; its trust policy
 * must admit the environment's deploy and plan roles (the plan reads the records through it, too).
 */
export function dnsRolePolicy(environment: EnvironmentConfig): PolicyDocument {
  // The zones' partition is the DNS role's (validation guarantees a valid role ARN); without one, the stack's own.
  const partition = (environment.dnsRoleArn === undefined ? undefined : parseIamRoleArn(environment.dnsRoleArn)?.partition) ?? environment.loadBalancerArn.split(":")[1];
  return { Version: "2012-10-17", Statement: recordWriteStatements(environment, partition) };
}

/** The trust policy of a DNS role: the environment's deploy and plan roles may assume it. */
export function dnsRoleTrustPolicy(trustedRoleArns: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "TlsEdgeRoles", Effect: "Allow", Principal: { AWS: [...trustedRoleArns] }, Action: "sts:AssumeRole" }],
  };
}

/** A bucket policy that refuses every request not made over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
    ],
  };
}
