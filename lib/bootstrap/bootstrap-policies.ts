/**
 * IAM documents of the `tls-bootstrap` stack, as plain data (pure functions, so they are unit-tested without synth).
 *
 * Two roles per environment, both assumed only through GitHub's OIDC token for this repository:
 * - the deploy role: trusted only for jobs in the GitHub environment named after the stack (`tls-<name>`), where
 *   required reviewers apply; allowed exactly what the TLS stack manages, each statement scoped to the stack's own
 *   resources: its certificates, the validation (and CAA) records in its zones, listeners on its load balancer (their
 *   attributes and SNI certificates), its trust store, its expiry alarms and renewal-event rule, its state;
 * - the plan role: trusted for pull requests and the main branch (plan and drift jobs); read-only, plus the state
 *   lock object so `terraform plan` can lock.
 * With `dnsRoleArn` the records live in another account, reached through two roles there: the deploy role may only
 * assume `dnsRoleArn` (which writes the records, `dnsRolePolicy`), the plan role only `dnsReadRoleArn` (which reads
 * them, `dnsReadRolePolicy`), so a pull request's plan job can never change DNS. The zone account's owner creates both
 * from the bootstrap stack's `dns_roles` output.
 *
 * Which statements depend on the configuration: the ones that would widen what the role can reach (CAA sets, which
 * bind every name in a zone; the trust store's CA bundle and revocation lists in S3; the DNS role). The rest (listener attributes and SNI
 * certificates, the expiry alarms and the renewal-event rule) are granted whatever the configuration, because turning
 * a feature off deletes its resources, which needs the same permissions, and each is scoped to resources only this
 * stack has (its listeners, its alarm and rule names).
 *
 * What the roles never get: SNS and KMS. The expiry alarm's topic is encrypted with a KMS key of its own, and
 * CreateKey with tags (the provider's default tags) also needs kms:TagResource, which IAM cannot restrict to the key
 * being created; granted on request tags instead, it would let the role tag any key of the account into its own
 * reach. So for pipeline deploys the bootstrap stack creates each environment's topic, key and e-mail subscription
 * (expiryAlarm.topic "bootstrap"), and the TLS stack only names the topic.
 */
import { parseIamRoleArn } from "../aws/arns";
import { caaRecordSets } from "../constructs/caa-records";
import { expiryAlarmName, eventRuleArn, renewalEventRuleName } from "../constructs/certificate-expiry-alarms";
import { certificateNames, EnvironmentConfig } from "../config/environment-config";
import { effectiveDnsReadRoleArn } from "../config/fields/dns-read-role-arn";
import { validationName } from "../aws/dns-names";
import { IAM_QUOTAS, iamPolicySize } from "../aws/quotas";
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

/**
 * ACM's validation record name for a name: `_` and a 32-hex-digit token, then the name (`*.x` validates as `x`). IAM's
 * `?` matches exactly one character, so the pattern is that token and nothing else: `_*.<name>` would also have let
 * the role write `_acme-challenge.<name>` (another CA's validation) or any other underscore name below it.
 */
export const ACM_VALIDATION_TOKEN_PATTERN = `_${"?".repeat(32)}`;

/** One pattern per distinct validation name of any of the certificates. */
function validationRecordPatterns(environment: EnvironmentConfig): string[] {
  return [...new Set(stackCertificateNames(environment).map((n) => `${ACM_VALIDATION_TOKEN_PATTERN}.${validationName(n)}`))].sort();
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
  const alarm = (certificateId: string) => `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:${expiryAlarmName(scope.stack, certificateId)}`;
  return [alarm("Certificate"), alarm("RsaFallbackCertificate"), alarm("EcSniCertificate"), alarm("AdditionalCertificate-*")];
}

/** The stack's EventBridge rule for ACM's renewal-failure events. */
function renewalRuleArn(scope: Scope): string {
  return eventRuleArn(scope.partition, scope.region, scope.account, renewalEventRuleName(scope.stack));
}

/** Trust stores are named by the provider (`tf-...`, trust-store.ts). */
function trustStoreArnPattern(scope: Scope): string {
  return `arn:${scope.partition}:elasticloadbalancing:${scope.region}:${scope.account}:truststore/tf-*`;
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
function dnsRoleStatements(roleArn: string | undefined): PolicyStatement[] {
  return roleArn === undefined ? [] : [{ Sid: "DnsRoleAssume", Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }];
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

/**
 * Elastic Load Balancing's Describe* actions (listeners, their attributes and certificates, trust stores, tags) support
 * no resource-level permissions, so "*"; read-only, and only in the environment's region.
 */
function listenersRead(scope: Scope): PolicyStatement {
  return {
    Sid: "ListenersRead",
    Effect: "Allow",
    Action: ["elasticloadbalancing:Describe*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:RequestedRegion": scope.region } },
  };
}

/** Read-only access to what the TLS stack manages, plus its state (read) and state lock (write). */
export function planPolicy(environment: EnvironmentConfig, bucket: string): PolicyDocument {
  const scope = scopeOf(environment, bucket);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "CertificatesRead", Effect: "Allow", Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], Resource: certificateArns(scope) },
      // With dnsRoleArn the plan reads the records through the read-only DNS role only: a pull request's plan job can
      // never write DNS.
      ...(environment.dnsRoleArn === undefined ? zoneReadStatements(environment, scope.partition) : dnsRoleStatements(effectiveDnsReadRoleArn(environment))),
      listenersRead(scope),
      ...expiryAlarmReadStatements(scope),
      ...stateStatements(environment, scope, false),
    ],
  };
}

// The expiry alarms and the renewal-event rule (`expiryAlarm`, on by default): granted whatever `expiryAlarm` says (see
// the file comment). The topic they notify is never the stack's to manage here (the bootstrap stack's, or your own).

/**
 * DescribeAlarms on every alarm of the environment's region and account, `alarm:*`, not on the stack's alarm names:
 * the Service Authorization Reference gives DescribeAlarms the alarm resource type (so not "*"), but CloudWatch has been
 * seen to authorize it on `arn:...:alarm:*` itself ("not authorized to perform: cloudwatch:DescribeAlarms on resource:
 * arn:aws:cloudwatch:us-east-1:...:alarm:*"), which only a pattern ending in `alarm:*` covers. Read-only.
 */
function alarmsList(scope: Scope): PolicyStatement {
  return { Sid: "AlarmsList", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:*` };
}

function expiryAlarmReadStatements(scope: Scope): PolicyStatement[] {
  return [
    alarmsList(scope),
    { Sid: "AlarmsRead", Effect: "Allow", Action: "cloudwatch:ListTagsForResource", Resource: alarmArnPatterns(scope) },
    { Sid: "RenewalEventsRead", Effect: "Allow", Action: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"], Resource: renewalRuleArn(scope) },
  ];
}

function expiryAlarmManageStatements(scope: Scope): PolicyStatement[] {
  return [
    alarmsList(scope),
    {
      Sid: "AlarmsManage",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      Resource: alarmArnPatterns(scope),
    },
    {
      // PutRule with the provider's default tags is also authorized as events:TagResource, on the rule itself.
      Sid: "RenewalEventsManage",
      Effect: "Allow",
      Action: [
        "events:PutRule",
        "events:DeleteRule",
        "events:DescribeRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:ListTargetsByRule",
        "events:ListTagsForResource",
        "events:TagResource",
        "events:UntagResource",
      ],
      Resource: renewalRuleArn(scope),
    },
  ];
}

/**
 * With `mutualTls` in verify mode: the trust store, built from the CA bundle ELB reads with the caller's rights, and
 * its revocation lists. Adding and removing revocation lists is granted on the stack's trust stores whatever
 * `revocationLists` says (removing the last list needs it too); reading the CRL objects, only for the configured ones.
 * The provider reads them back with DescribeTrustStoreRevocations, one of the Describe* actions (ListenersRead).
 */
function trustStoreStatements(environment: EnvironmentConfig, scope: Scope): PolicyStatement[] {
  const mutualTls = environment.mutualTls;
  if (mutualTls?.mode !== "verify") return [];
  const revocationLists = mutualTls.trustStore.revocationLists ?? [];
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
    {
      Sid: "TrustStoreRevocationsManage",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTrustStoreRevocations", "elasticloadbalancing:RemoveTrustStoreRevocations"],
      Resource: trustStoreArnPattern(scope),
    },
    ...(revocationLists.length === 0
      ? []
      : [
          {
            Sid: "TrustStoreRevocationListsRead",
            Effect: "Allow" as const,
            Action: "s3:GetObject",
            Resource: revocationLists.map((list) => `arn:${scope.partition}:s3:::${list.bucket}/${list.key}`),
          },
        ]),
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
      ...(environment.dnsRoleArn === undefined ? recordWriteStatements(environment, scope.partition) : dnsRoleStatements(environment.dnsRoleArn)),
      listenersRead(scope),
      { Sid: "ListenersCreate", Effect: "Allow", Action: ["elasticloadbalancing:CreateListener"], Resource: environment.loadBalancerArn },
      {
        // Attributes carry the HSTS and security headers; listener certificates are the SNI list (additional certificates,
        // RSA fallback).
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
  return { Version: "2012-10-17", Statement: recordWriteStatements(environment, zonesPartition(environment)) };
}

/** With `dnsRoleArn`: what the read-only DNS role (dnsReadRoleArn) must allow: reading the zones' records, nothing else. */
export function dnsReadRolePolicy(environment: EnvironmentConfig): PolicyDocument {
  return { Version: "2012-10-17", Statement: zoneReadStatements(environment, zonesPartition(environment)) };
}

/** The zones' partition is the DNS role's (validation guarantees a valid role ARN); without one, the stack's own. */
function zonesPartition(environment: EnvironmentConfig): string {
  return (environment.dnsRoleArn === undefined ? undefined : parseIamRoleArn(environment.dnsRoleArn)?.partition) ?? environment.loadBalancerArn.split(":")[1];
}

/** The trust policy of a DNS role: only the given role of the environment may assume it (deploy: writing; plan: reading). */
export function dnsRoleTrustPolicy(trustedRoleArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "TlsEdgeRole", Effect: "Allow", Principal: { AWS: trustedRoleArn }, Action: "sts:AssumeRole" }],
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

/**
 * A role's permissions as managed policies that IAM accepts: each at most `limit` characters (IAM's managed policy
 * size; white space not counted). Whole statements are packed in order; a statement too large on its own is split
 * into several (`<Sid>1`, `<Sid>2`, ...) over its longest list: its resources, or the values of one condition key.
 * Splitting a `ForAllValues` list is sound here because every change batch the provider sends holds one record set,
 * so each request's names fall in one part. Throws when a statement cannot be made small enough.
 */
export function managedPolicyDocuments(document: PolicyDocument, limit: number = IAM_QUOTAS.managedPolicyCharacters): PolicyDocument[] {
  const empty = (): PolicyDocument => ({ Version: "2012-10-17", Statement: [] });
  const fits = (statements: PolicyStatement[]) => iamPolicySize({ ...empty(), Statement: statements }) <= limit;
  const documents: PolicyDocument[] = [];
  let current: PolicyStatement[] = [];
  for (const statement of document.Statement.flatMap((s) => splitStatement(s, fits))) {
    if (fits([...current, statement])) {
      current.push(statement);
    } else {
      documents.push({ ...empty(), Statement: current });
      current = [statement];
    }
  }
  if (current.length > 0) documents.push({ ...empty(), Statement: current });
  return documents;
}

/** The statement, or parts of it that each fit alone, split over its longest list. */
function splitStatement(statement: PolicyStatement, fits: (statements: PolicyStatement[]) => boolean): PolicyStatement[] {
  if (fits([statement])) return [statement];
  const lists: Array<{ length: number; with: (values: string[]) => PolicyStatement }> = [];
  if (Array.isArray(statement.Resource)) {
    lists.push({ length: statement.Resource.length, with: (values) => ({ ...statement, Resource: values }) });
  }
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (Array.isArray(value)) {
        lists.push({
          length: value.length,
          with: (values) => ({ ...statement, Condition: { ...statement.Condition, [operator]: { ...keys, [key]: values } } }),
        });
      }
    }
  }
  const longest = lists.sort((a, b) => b.length - a.length)[0];
  if (longest === undefined || longest.length < 2) {
    throw new Error(`statement ${statement.Sid} alone is larger than a managed policy (${iamPolicySize(statement)} characters) and has no list to split`);
  }
  const values = listValues(statement, longest.with);
  const half = Math.ceil(values.length / 2);
  const parts = [values.slice(0, half), values.slice(half)].flatMap((part) => splitStatement(longest.with(part), fits));
  return parts.map((part, index) => ({ ...part, Sid: `${statement.Sid.replace(/\d+$/, "")}${index + 1}` }));
}

/** The values of the list `with` replaces (found by replacing it with a marker and reading the original back). */
function listValues(statement: PolicyStatement, replace: (values: string[]) => PolicyStatement): string[] {
  const marked = JSON.stringify(replace(["\u0000"]));
  const original = JSON.stringify(statement);
  const start = marked.indexOf('["\\u0000"]');
  const end = original.length - (marked.length - start - '["\\u0000"]'.length);
  return JSON.parse(original.slice(start, end)) as string[];
}
