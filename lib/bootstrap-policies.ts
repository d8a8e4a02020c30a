/**
 * IAM documents of the `tls-bootstrap` stack, as plain data (pure functions, so they are unit-tested without synth).
 *
 * Two roles per environment, both assumed only through GitHub's OIDC token for this repository:
 * - the deploy role: trusted only for jobs in the GitHub environment named after the stack (`tls-<name>`), where
 *   required reviewers apply; allowed exactly what the TLS stack manages (its certificates, the validation records in
 *   its zones, listeners on its load balancer, its state object);
 * - the plan role: trusted for pull requests and the main branch (plan and drift jobs); read-only, plus the state
 *   lock object so `terraform plan` can lock.
 */
import { certificateNames, EnvironmentConfig } from "./environment-config";
import { validationName } from "./dns-names";
import { stackId } from "./tls-stack";

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
}

function scopeOf(environment: EnvironmentConfig, bucket: string): Scope {
  const [, partition, , region, account] = environment.loadBalancerArn.split(":");
  return { partition, account: environment.accountId ?? account, region, bucket };
}

function zoneArns(environment: EnvironmentConfig, partition: string): string[] {
  return [...new Set(Object.values(environment.hostedZones))].sort().map((id) => `arn:${partition}:route53:::hostedzone/${id}`);
}

/** ACM validation records are named `_<token>.<name>`, one per distinct validation name. */
function validationRecordPatterns(environment: EnvironmentConfig): string[] {
  return [...new Set(certificateNames(environment).map((n) => `_*.${validationName(n)}`))].sort();
}

function listenerArnPattern(environment: EnvironmentConfig): string {
  return `${environment.loadBalancerArn.replace(":loadbalancer/app/", ":listener/app/")}/*`;
}

function stateStatements(environment: EnvironmentConfig, scope: Scope, write: boolean): PolicyStatement[] {
  const key = stateKey(environment);
  const bucketArn = `arn:${scope.partition}:s3:::${scope.bucket}`;
  const statements: PolicyStatement[] = [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [key, `${key}.tflock`] } } },
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

/** Read-only access to what the TLS stack manages, plus its state (read) and state lock (write). */
export function planPolicy(environment: EnvironmentConfig, bucket: string): PolicyDocument {
  const scope = scopeOf(environment, bucket);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CertificatesRead",
        Effect: "Allow",
        Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
        Resource: `arn:${scope.partition}:acm:${scope.region}:${scope.account}:certificate/*`,
      },
      { Sid: "ZonesRead", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: zoneArns(environment, scope.partition) },
      // Elastic Load Balancing Describe* actions support no resource-level permissions.
      { Sid: "ListenersRead", Effect: "Allow", Action: ["elasticloadbalancing:Describe*"], Resource: "*" },
      ...stateStatements(environment, scope, false),
    ],
  };
}

/** Exactly what the TLS stack manages: its certificates, validation records, listeners, state. */
export function deployPolicy(environment: EnvironmentConfig, bucket: string): PolicyDocument {
  const scope = scopeOf(environment, bucket);
  const certificates = `arn:${scope.partition}:acm:${scope.region}:${scope.account}:certificate/*`;
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
        Resource: certificates,
      },
      { Sid: "ZonesRead", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: zoneArns(environment, scope.partition) },
      {
        Sid: "ValidationRecordsWrite",
        Effect: "Allow",
        Action: "route53:ChangeResourceRecordSets",
        Resource: zoneArns(environment, scope.partition),
        Condition: {
          "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"] },
          "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": validationRecordPatterns(environment) },
        },
      },
      { Sid: "ZoneChangesRead", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${scope.partition}:route53:::change/*` },
      { Sid: "ListenersRead", Effect: "Allow", Action: ["elasticloadbalancing:Describe*"], Resource: "*" },
      { Sid: "ListenersCreate", Effect: "Allow", Action: ["elasticloadbalancing:CreateListener"], Resource: environment.loadBalancerArn },
      {
        Sid: "ListenersManage",
        Effect: "Allow",
        Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        Resource: listenerArnPattern(environment),
      },
      ...stateStatements(environment, scope, true),
    ],
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
