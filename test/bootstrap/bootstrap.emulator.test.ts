/**
 * The tls-bootstrap stack deployed on the AWS emulator with the pipeline's own scripts (scripts/ci/plan + apply), and
 * its properties read back through the emulator's S3 and IAM APIs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { PolicyDocument } from "../../lib/bootstrap/bootstrap-policies";
import { BootstrapConfig } from "../../lib/bootstrap/bootstrap-stack";
import { applyBootstrap } from "../support/bootstrap";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "../support/emulator";
import { ApiCall, readRequestLog } from "../support/emulator-aws";
import { callsNotAllowed } from "../support/iam-policy";

const BUCKET = "acme-tls-edge-state";
const REPOSITORY = "acme/tls-edge-stack";
const DNS_ACCOUNT = "210987654321";
const DNS_ROLE = `arn:aws:iam::${DNS_ACCOUNT}:role/tls-edge-records-prod`;

describeWithEmulator("tls-bootstrap deployed on the AWS emulator", () => {
  let emulator: Emulator;
  let tmp: string;
  let config: BootstrapConfig;

  const iam = () => emulator.client(IAMClient);
  const s3 = () => emulator.client(S3Client);
  /** IAM returns policy documents URL-encoded. */
  const document = (text: string | undefined) => JSON.parse(decodeURIComponent(String(text)));

  let requestLog: string;
  let applyCalls: ApiCall[];
  /** A role's permissions: its attached managed policies' statements, in attachment order (it has no inline policy). */
  async function rolePermissions(roleName: string): Promise<{ Statement: any[] }> {
    expect((await iam().send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames).toEqual([]);
    const attached = (await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    expect(attached.length).toBeGreaterThan(0);
    const statements = [];
    for (const { PolicyArn } of attached) {
      const version = (await iam().send(new GetPolicyCommand({ PolicyArn }))).Policy!.DefaultVersionId;
      statements.push(...document((await iam().send(new GetPolicyVersionCommand({ PolicyArn, VersionId: version }))).PolicyVersion!.Document).Statement);
    }
    return { Statement: statements };
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-emulator-"));
    requestLog = path.join(tmp, "requests.log");
    emulator = await startEmulator({ hostedZones: { "example.com": "Z0000000000000000001" } }, { requestLog });
    const environment = (name: string) => ({
      name,
      region: emulator.region,
      accountId: EMULATOR_ACCOUNT,
      domainName: `${name}.example.com`,
      hostedZones: { "example.com": "Z0000000000000000001" },
      loadBalancerArn: emulator.seeded.loadBalancerArn,
      stateBackend: { s3: { bucket: BUCKET } },
    });
    config = {
      accountId: EMULATOR_ACCOUNT,
      region: emulator.region,
      stateBucketName: BUCKET,
      githubRepository: REPOSITORY,
      // dev's alarm topic is this stack's; prod's records live in a DNS account, written through a role there.
      environments: [
        { ...environment("dev"), expiryAlarm: { topic: "bootstrap", email: "tls-alerts@example.com" } },
        { ...environment("prod"), dnsRoleArn: DNS_ROLE, caa: {}, expiryAlarm: false },
      ],
    };
    applyBootstrap(emulator, config, tmp);
    applyCalls = readRequestLog(requestLog);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the state bucket is versioned, encrypted and blocks public access", async () => {
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe("Enabled");
    const encryption = await s3().send(new GetBucketEncryptionCommand({ Bucket: BUCKET }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    const block = await s3().send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }));
    expect(block.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  });

  test("the state bucket's policy denies every request not made over TLS", async () => {
    const policy = JSON.parse(String((await s3().send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy));
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
      }),
    ]);
  });

  test("the account has GitHub's OIDC provider for the STS audience", async () => {
    const providers = await iam().send(new ListOpenIDConnectProvidersCommand({}));
    const arn = `arn:aws:iam::${EMULATOR_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    expect(providers.OpenIDConnectProviderList?.map((p) => p.Arn)).toEqual([arn]);
    const provider = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(provider.Url).toBe("token.actions.githubusercontent.com");
    expect(provider.ClientIDList).toEqual(["sts.amazonaws.com"]);
  });

  test("each deploy role trusts only this repository's GitHub environment of its stack", async () => {
    for (const name of ["dev", "prod"]) {
      const role = await iam().send(new GetRoleCommand({ RoleName: `tls-edge-deploy-${name}` }));
      const trust = document(role.Role?.AssumeRolePolicyDocument);
      expect(trust.Statement).toEqual([
        {
          Sid: "GitHubOidc",
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${EMULATOR_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": `repo:${REPOSITORY}:environment:tls-${name}` } },
        },
      ]);
    }
  });

  test("each deploy role may touch only its certificates, validation records, listeners, expiry alarms and state object, through managed policies", async () => {
    const policy = await rolePermissions("tls-edge-deploy-dev");
    const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.ValidationRecordsWrite.Resource).toEqual(["arn:aws:route53:::hostedzone/Z0000000000000000001"]);
    expect(bySid.ValidationRecordsWrite.Condition["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual(["_????????????????????????????????.dev.example.com"]);
    expect(bySid.ListenersCreate.Resource).toBe(emulator.seeded.loadBalancerArn);
    expect(bySid.ListenersManage.Resource).toBe(`${emulator.seeded.loadBalancerArn.replace(":loadbalancer/", ":listener/")}/*`);
    expect(bySid.AlarmsManage.Resource).toContain(`arn:aws:cloudwatch:${emulator.region}:${EMULATOR_ACCOUNT}:alarm:tls-dev-Certificate-expiry`);
    expect(bySid.RenewalEventsManage.Resource).toBe(`arn:aws:events:${emulator.region}:${EMULATOR_ACCOUNT}:rule/tls-dev-certificate-events`);
    expect(bySid.StateWrite.Resource).toBe(`arn:aws:s3:::${BUCKET}/tls-edge/dev/terraform.tfstate`);
    const services = new Set(policy.Statement.flatMap((s: any) => [s.Action].flat()).map((a: string) => a.split(":")[0]));
    expect(services).toEqual(new Set(["acm", "route53", "elasticloadbalancing", "cloudwatch", "events", "s3"]));
  });

  test("dev's alarm topic is the one its stack names: encrypted with its own key that CloudWatch and EventBridge may use, publishable by dev's rule, the e-mail subscribed", async () => {
    const topicArn = `arn:aws:sns:${emulator.region}:${EMULATOR_ACCOUNT}:tls-dev-certificate-expiry`;
    const attributes = (await emulator.client(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!;
    const keyId = attributes.KmsMasterKeyId!;
    const key = (await emulator.client(KMSClient).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(key.KeyState).toBe("Enabled");
    const keyPolicy = JSON.parse((await emulator.client(KMSClient).send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy!);
    expect(keyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] }));
    const topicPolicy = JSON.parse(attributes.Policy!);
    expect(topicPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:events:${emulator.region}:${EMULATOR_ACCOUNT}:rule/tls-dev-certificate-events` } },
      }),
    );
    const subscriptions = (await emulator.client(SNSClient).send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([["email", "tls-alerts@example.com"]]);
  });

  test("creating the key with tags was also authorized as kms:TagResource on no particular key: what a role scoped to tagged keys cannot do", async () => {
    // Why the bootstrap stack, applied by an administrator, makes the key: the request log shows the implied action.
    const tagging = applyCalls.filter((c) => c.call === "kms TagResource");
    expect(tagging.map((c) => [c.resource, c.context["aws:RequestTag/stack"]])).toEqual([["*", "tls-bootstrap"]]);
    // The design the issue found broken: CreateKey on request tags, everything else (TagResource included) on tagged keys.
    const tagScoped: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "KeyCreate", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/stack": "tls-bootstrap" } } },
        { Sid: "KeyManage", Effect: "Allow", Action: ["kms:TagResource", "kms:DescribeKey"], Resource: `arn:aws:kms:${emulator.region}:${EMULATOR_ACCOUNT}:key/*`, Condition: { StringEquals: { "aws:ResourceTag/stack": "tls-bootstrap" } } },
      ],
    };
    expect(callsNotAllowed(tagScoped, applyCalls.filter((c) => c.call === "kms CreateKey" || c.call === "kms TagResource")).map((c) => c.split(" ")[0])).toEqual(["kms:TagResource"]);
  });

  test("the dns_roles output creates both DNS roles in the zones' account as is: the writing one trusting prod's deploy role, the reading one its plan role", async () => {
    // The output, as the apply left it in the bootstrap stack's state.
    const state = JSON.parse(fs.readFileSync(path.join(tmp, "terraform.tls-bootstrap.tfstate"), "utf8"));
    const dnsRoles = JSON.parse(state.outputs.dns_roles.value);
    expect(Object.keys(dnsRoles)).toEqual(["tls-prod"]);
    const { write, read } = dnsRoles["tls-prod"];
    expect([write.roleArn, read.roleArn]).toEqual([DNS_ROLE, `${DNS_ROLE}-read`]);
    // WHEN the zones' account's owner creates them from it, each permission part as a managed policy (moto's IAM
    // validates the documents' grammar)
    const assumed = (await emulator.client(STSClient).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DNS_ACCOUNT}:role/admin`, RoleSessionName: "zone-owner" })))
      .Credentials!;
    const zoneOwner = new IAMClient({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! },
    });
    const create = async (name: string, role: { trustPolicy: unknown; policies: unknown[] }) => {
      await zoneOwner.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy) }));
      for (const [index, policy] of role.policies.entries()) {
        const arn = (await zoneOwner.send(new CreatePolicyCommand({ PolicyName: `${name}-${index + 1}`, PolicyDocument: JSON.stringify(policy) }))).Policy!.Arn!;
        await zoneOwner.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
      }
      return (await zoneOwner.send(new GetRoleCommand({ RoleName: name }))).Role!;
    };
    const writer = await create("tls-edge-records-prod", write);
    const reader = await create("tls-edge-records-prod-read", read);
    // THEN each trusts exactly one of prod's roles, which exist in the bootstrapped account
    expect([writer.Arn, reader.Arn]).toEqual([DNS_ROLE, `${DNS_ROLE}-read`]);
    const [deployArn, planArn] = await Promise.all(["tls-edge-deploy-prod", "tls-edge-plan-prod"].map(async (name) => (await iam().send(new GetRoleCommand({ RoleName: name }))).Role!.Arn));
    expect(document(writer.AssumeRolePolicyDocument).Statement[0].Principal.AWS).toBe(deployArn);
    expect(document(reader.AssumeRolePolicyDocument).Statement[0].Principal.AWS).toBe(planArn);
    const sids = (role: { policies: Array<{ Statement: Array<{ Sid: string }> }> }) => role.policies.flatMap((p) => p.Statement.map((st) => st.Sid));
    expect(sids(write)).toEqual(["ZonesRead", "ValidationRecordsWrite", "CaaRecordsWrite", "ZoneChangesRead"]);
    expect(sids(read)).toEqual(["ZonesRead"]);
    // ...and prod's own roles reach the records only through them: the deploy role the writer, the plan role the reader.
    const deploy = await rolePermissions("tls-edge-deploy-prod");
    expect(deploy.Statement.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith("route53:")))).toEqual([]);
    expect(deploy.Statement.find((s: any) => s.Sid === "DnsRoleAssume").Resource).toBe(DNS_ROLE);
    const plan = await rolePermissions("tls-edge-plan-prod");
    expect(plan.Statement.find((s: any) => s.Sid === "DnsRoleAssume").Resource).toBe(`${DNS_ROLE}-read`);
  });

  test("each plan role trusts pull requests and main only, and can write nothing but the state lock", async () => {
    const role = await iam().send(new GetRoleCommand({ RoleName: "tls-edge-plan-dev" }));
    expect(document(role.Role?.AssumeRolePolicyDocument).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
      `repo:${REPOSITORY}:pull_request`,
      `repo:${REPOSITORY}:ref:refs/heads/main`,
    ]);
    const policy = await rolePermissions("tls-edge-plan-dev");
    const writers = policy.Statement.filter((s: any) => [s.Action].flat().some((a: string) => /:(Put|Delete|Create|Modify|Change|Request)/.test(a)));
    expect(writers.map((s: any) => s.Resource)).toEqual([`arn:aws:s3:::${BUCKET}/tls-edge/dev/terraform.tfstate.tflock`]);
  });
});
