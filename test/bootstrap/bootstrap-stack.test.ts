import { Testing } from "cdktf";
import { IAM_QUOTAS, iamPolicySize } from "../../lib/aws/quotas";
import { deployPolicy, planPolicy, PolicyDocument, PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { BOOTSTRAP_STACK_ID, BootstrapConfig, BootstrapStack } from "../../lib/bootstrap/bootstrap-stack";
import { bootstrap } from "../../bootstrap/config";
import { baseEnvironment } from "../fixtures/environments";

const environment = baseEnvironment({
  name: "qa",
  domainName: "qa.example.com",
  subjectAlternativeNames: ["*.qa.example.com", "api.qa.example.com", "shop.example.org"],
  hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" },
  stateBackend: { s3: { bucket: "acme-tls-state" } },
  expiryAlarm: { topic: "bootstrap", email: "ops@example.com" },
});
const config: BootstrapConfig = {
  accountId: "111111111111",
  region: "us-east-1",
  stateBucketName: "acme-tls-state",
  githubRepository: "acme/edge",
  environments: [environment],
};

function synth(c: BootstrapConfig = config): any {
  return JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), BOOTSTRAP_STACK_ID, c)));
}

function statement(doc: PolicyDocument, sid: string): PolicyStatement {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
}

function actions(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe("bootstrap stack", () => {
  test("creates a versioned, encrypted, private, TLS-only state bucket", () => {
    const json = synth();
    expect(json.resource.aws_s3_bucket.StateBucket.bucket).toBe("acme-tls-state");
    expect(json.resource.aws_s3_bucket_versioning.StateBucketVersioning.versioning_configuration.status).toBe("Enabled");
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.StateBucketEncryption.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    expect(json.resource.aws_s3_bucket_public_access_block.StateBucketPublicAccessBlock).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = JSON.parse(json.resource.aws_s3_bucket_policy.StateBucketTlsOnly.policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::acme-tls-state", "arn:aws:s3:::acme-tls-state/*"], Condition: { Bool: { "aws:SecureTransport": false } } }),
    ]);
  });

  test("creates the GitHub OIDC provider for the STS audience, or reuses the account's", () => {
    expect(synth().resource.aws_iam_openid_connect_provider.GitHubOidc).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const reused = synth({ ...config, createOidcProvider: false });
    expect(reused.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(reused.resource.aws_iam_role["DeployRole-qa"].assume_role_policy).toContain("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com");
  });

  test("trusts the deploy role only for this repository's GitHub environment of the stack", () => {
    const trust = JSON.parse(synth().resource.aws_iam_role["DeployRole-qa"].assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({
      Effect: "Allow",
      Action: "sts:AssumeRoleWithWebIdentity",
      Principal: { Federated: "${aws_iam_openid_connect_provider.GitHubOidc.arn}" },
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/edge:environment:tls-qa" } },
    });
  });

  test("trusts the plan role for pull requests and the main branch only", () => {
    const trust = JSON.parse(synth({ ...config, mainBranch: "trunk" }).resource.aws_iam_role["PlanRole-qa"].assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual(["repo:acme/edge:pull_request", "repo:acme/edge:ref:refs/heads/trunk"]);
  });

  test("lets the deploy role change only CNAME validation records of the environment's names in its zones", () => {
    const records = statement(deployPolicy(environment, "acme-tls-state"), "ValidationRecordsWrite");
    expect(records.Action).toBe("route53:ChangeResourceRecordSets");
    expect(records.Resource).toEqual(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z0ORG000000000000000"]);
    expect(records.Condition).toEqual({
      "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"] },
      "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_????????????????????????????????.api.qa.example.com", "_????????????????????????????????.qa.example.com", "_????????????????????????????????.shop.example.org"] },
    });
  });

  test("lets the deploy role create listeners only on the named load balancer and manage only its listeners", () => {
    const policy = deployPolicy(environment, "acme-tls-state");
    expect(statement(policy, "ListenersCreate").Resource).toBe(environment.loadBalancerArn);
    expect(statement(policy, "ListenersManage").Resource).toBe("arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/*");
    expect(statement(policy, "CertificatesManage").Resource).toBe("arn:aws:acm:us-east-1:111111111111:certificate/*");
    expect(statement(policy, "CertificatesRequest").Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "us-east-1" } });
    // Nothing outside ACM, Route53, ELB, the expiry alarms and renewal events (CloudWatch, EventBridge) and the state
    // bucket, and no wildcard service: no SNS and no KMS (the alarm topic and its key are this stack's own).
    expect(new Set(actions(policy).map((a) => a.split(":")[0]))).toEqual(new Set(["acm", "route53", "elasticloadbalancing", "cloudwatch", "events", "s3"]));
    expect(actions(policy).filter((a) => a.endsWith(":*"))).toEqual([]);
  });

  test("lets each role touch only its environment's state object and lock", () => {
    const deploy = deployPolicy(environment, "acme-tls-state");
    expect(statement(deploy, "StateWrite").Resource).toBe("arn:aws:s3:::acme-tls-state/tls-edge/qa/terraform.tfstate");
    expect(statement(deploy, "StateLock").Resource).toBe("arn:aws:s3:::acme-tls-state/tls-edge/qa/terraform.tfstate.tflock");
    expect(statement(deploy, "StateList").Condition).toEqual({
      StringEquals: { "s3:prefix": ["env:/", "tls-edge/qa/terraform.tfstate", "tls-edge/qa/terraform.tfstate.tflock"] },
    });
    const withTable = deployPolicy(baseEnvironment({ stateBackend: { s3: { bucket: "b", key: "k/state", dynamodbTable: "locks" } } }), "b");
    expect(statement(withTable, "StateLockTable").Resource).toBe("arn:aws:dynamodb:us-east-1:111111111111:table/locks");
    expect(statement(withTable, "StateWrite").Resource).toBe("arn:aws:s3:::b/k/state");
  });

  test("gives the plan role no write action except the state lock", () => {
    const policy = planPolicy(environment, "acme-tls-state");
    const writes = policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => /:(Put|Delete|Create|Modify|Change|Request|Add|Remove)/.test(a)));
    expect(writes.map((s) => s.Sid)).toEqual(["StateLock"]);
  });

  test("outputs the TLS_EDGE_AWS_ROLES variable the workflow reads, keyed by stack id", () => {
    expect(synth().output.github_roles_variable.value).toBe(
      '${jsonencode({"tls-qa" = {"region" = "us-east-1", "planRole" = aws_iam_role.PlanRole-qa.arn, "deployRole" = aws_iam_role.DeployRole-qa.arn}})}',
    );
  });

  test("outputs, for environments with dnsRoleArn only, both DNS roles: the writing one trusting the deploy role, the reading one the plan role", () => {
    const withDnsRole = { ...environment, dnsRoleArn: "arn:aws:iam::222222222222:role/records" };
    const other = baseEnvironment({ name: "other", stateBackend: { s3: { bucket: "acme-tls-state" } }, expiryAlarm: false });
    const output = synth({ ...config, environments: [withDnsRole, other] }).output.dns_roles;
    const roles = JSON.parse(output.value);
    expect(Object.keys(roles)).toEqual(["tls-qa"]);
    const { write, read } = roles["tls-qa"];
    expect([write.roleArn, read.roleArn]).toEqual(["arn:aws:iam::222222222222:role/records", "arn:aws:iam::222222222222:role/records-read"]);
    const trusted = (role: { trustPolicy: PolicyDocument }) => role.trustPolicy.Statement.map((s) => [s.Effect, s.Action, s.Principal]);
    expect(trusted(write)).toEqual([["Allow", "sts:AssumeRole", { AWS: "arn:aws:iam::111111111111:role/tls-edge-deploy-qa" }]]);
    expect(trusted(read)).toEqual([["Allow", "sts:AssumeRole", { AWS: "arn:aws:iam::111111111111:role/tls-edge-plan-qa" }]]);
    const sids = (role: { policies: PolicyDocument[] }) => role.policies.flatMap((p) => p.Statement.map((s) => s.Sid));
    expect(sids(write)).toEqual(["ZonesRead", "ValidationRecordsWrite", "ZoneChangesRead"]);
    expect(sids(read)).toEqual(["ZonesRead"]);
    expect(synth().output.dns_roles).toBeUndefined();
  });

  test("reports every configuration problem at once, naming field and value", () => {
    const bad: BootstrapConfig = {
      ...config,
      accountId: "12345",
      stateBucketName: "Bad_Bucket",
      githubRepository: "no-slash",
      environments: [baseEnvironment({ name: "qa" })],
    };
    expect(() => synth(bad)).toThrow(
      [
        "Invalid bootstrap configuration (6 problems):",
        '  - accountId "12345": must be 12 digits',
        '  - stateBucketName "Bad_Bucket": not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
        '  - githubRepository "no-slash": must be "owner/name"',
        '  - environments[0] (qa).accountId "111111111111": must be 12345, the account bootstrapped here',
        '  - environments[0] (qa).stateBackend.s3.bucket null: must be "Bad_Bucket"; CI runners keep no local state, so the pipeline needs the environment\'s state in the bootstrap bucket',
        '  - environments[0] (qa).expiryAlarm.topic "stack": the pipeline\'s deploy role cannot create the topic\'s KMS key (CreateKey with tags also needs kms:TagResource, which IAM cannot restrict to the key being created, and granting it would let the role tag any key of the account into its reach). Set expiryAlarm.topic to "bootstrap" (this stack then creates the topic, its key and the e-mail subscription), or expiryAlarm.snsTopicArn to a topic of your own, or expiryAlarm to false',
      ].join("\n"),
    );
  });

  test("creates, per environment with expiryAlarm.topic bootstrap, the topic its stack names: encrypted with its own key, EventBridge allowed for its rule only, the e-mail subscribed", () => {
    const json = synth();
    const topic = json.resource.aws_sns_topic["AlarmTopic-qa_Topic_7C5D1A0A"] ?? Object.values(json.resource.aws_sns_topic)[0];
    expect(topic.name).toBe("tls-qa-certificate-expiry");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.AlarmTopic-qa_Key_[0-9A-F]{8}\.arn\}$/);
    const [policy] = Object.values(json.resource.aws_sns_topic_policy) as any[];
    expect(JSON.parse(policy.policy).Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Resource: "arn:aws:sns:us-east-1:111111111111:tls-qa-certificate-expiry",
        Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:111111111111:rule/tls-qa-certificate-events" } },
      }),
    );
    expect(Object.values(json.resource.aws_sns_topic_subscription)).toEqual([expect.objectContaining({ protocol: "email", endpoint: "ops@example.com" })]);
    // None for an environment without an alarm or with its own topic.
    const none = synth({ ...config, environments: [{ ...environment, expiryAlarm: false }] });
    expect([none.resource.aws_sns_topic, none.resource.aws_kms_key]).toEqual([undefined, undefined]);
  });

  test("creates an environment's alarm topic in the environment's region, through a provider for that region", () => {
    const west = { ...environment, region: "eu-west-1", loadBalancerArn: environment.loadBalancerArn.replace("us-east-1", "eu-west-1") };
    const json = synth({ ...config, environments: [west] });
    expect(json.provider.aws.map((p: any) => [p.alias, p.region])).toEqual([[undefined, "us-east-1"], ["eu-west-1", "eu-west-1"]]);
    for (const type of ["aws_sns_topic", "aws_kms_key", "aws_sns_topic_policy", "aws_sns_topic_subscription"]) {
      expect([type, (Object.values(json.resource[type]) as any[]).map((r) => r.provider)]).toEqual([type, ["aws.eu-west-1"]]);
    }
  });

  test("writes every ARN in the bootstrap region's partition, and refuses environments of another partition", () => {
    const cn: BootstrapConfig = { ...config, region: "cn-north-1", environments: [] };
    const cnEnvironment = {
      ...environment,
      region: "cn-north-1",
      loadBalancerArn: "arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188",
    };
    const json = synth({ ...cn, environments: [cnEnvironment] });
    expect(JSON.stringify(json)).not.toContain("arn:aws:");
    expect(JSON.parse(json.resource.aws_s3_bucket_policy.StateBucketTlsOnly.policy).Statement[0].Resource).toEqual(["arn:aws-cn:s3:::acme-tls-state", "arn:aws-cn:s3:::acme-tls-state/*"]);
    expect(() => synth({ ...cn, environments: [environment] })).toThrow(/environments\[0\] \(qa\)\.loadBalancerArn "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer\/app\/edge\/50dc6c495c0c9188": is in partition aws, the bootstrap region cn-north-1 in aws-cn/);
  });

  test("attaches each role's permissions as managed policies that together are exactly its policy document", () => {
    const json = synth();
    const policies = json.resource.aws_iam_policy as Record<string, any>;
    const attachments = Object.values(json.resource.aws_iam_role_policy_attachment) as any[];
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    for (const [role, document] of [
      ["DeployRole-qa", deployPolicy(environment, "acme-tls-state")],
      ["PlanRole-qa", planPolicy(environment, "acme-tls-state")],
    ] as const) {
      const attached = attachments.filter((a) => a.role === `\${aws_iam_role.${role}.name}`).map((a) => /aws_iam_policy\.([^.]+)\.arn/.exec(a.policy_arn)![1]);
      expect(attached.length).toBeGreaterThan(0);
      const statements = attached.flatMap((id) => JSON.parse(policies[id].policy).Statement);
      expect(statements).toEqual(document.Statement);
    }
    expect(Object.values(policies).map((p: any) => p.name).sort()).toEqual(["tls-edge-deploy-qa-1", "tls-edge-plan-qa-1"]);
  });

  test("fits the largest configuration validation accepts with default quotas (23 additional certificates of 10 names, RSA fallback, CAA, alarms) in IAM's limits, where one inline policy would not", () => {
    // GIVEN every certificate with 10 distinct names, in two zones
    const names = (prefix: string) => Array.from({ length: 9 }, (_, i) => `n${i}.${prefix}.example.org`);
    const largest = baseEnvironment({
      name: "largest",
      domainName: "largest.example.com",
      subjectAlternativeNames: Array.from({ length: 9 }, (_, i) => `s${i}.largest.example.com`),
      hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" },
      additionalCertificates: Array.from({ length: 23 }, (_, i) => ({ domainName: `c${i}.example.org`, subjectAlternativeNames: names(`c${i}`) })),
      rsaFallback: true,
      caa: { iodef: "mailto:security@example.com" },
      expiryAlarm: { topic: "bootstrap", email: "ops@example.com" },
      stateBackend: { s3: { bucket: "acme-tls-state" } },
    });
    // (one inline policy would be over IAM's 10,240 characters per role)
    const whole = deployPolicy(largest, "acme-tls-state");
    expect(iamPolicySize(whole)).toBeGreaterThan(IAM_QUOTAS.inlinePolicyCharactersPerRole);
    // WHEN
    const json = synth({ ...config, environments: [largest] });
    // THEN every managed policy is within 6,144 characters, each role has at most 10, and no statement was lost
    const policies = Object.values(json.resource.aws_iam_policy) as any[];
    for (const policy of policies) expect(iamPolicySize(JSON.parse(policy.policy))).toBeLessThanOrEqual(IAM_QUOTAS.managedPolicyCharacters);
    const deployParts = policies.filter((p) => p.name.startsWith("tls-edge-deploy-largest-"));
    expect(deployParts.length).toBeGreaterThan(1);
    expect(deployParts.length).toBeLessThanOrEqual(IAM_QUOTAS.managedPoliciesPerRole);
    const patterns = (documents: PolicyDocument[]) =>
      documents.flatMap((d) => d.Statement.filter((st) => st.Sid.startsWith("ValidationRecordsWrite")).flatMap((st) => [st.Condition!["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]].flat()));
    expect(patterns(deployParts.map((p) => JSON.parse(p.policy))).sort()).toEqual(patterns([whole]).sort());
    expect(patterns([whole])).toHaveLength(10 + 23 * 10);
  });

  test("refuses, naming the limit, a configuration whose role would need more than 10 managed policies", () => {
    const huge = baseEnvironment({
      name: "huge",
      hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ" },
      maxLoadBalancerCertificates: 100,
      maxCertificateNames: 100,
      additionalCertificates: Array.from({ length: 100 }, (_, i) => ({ domainName: `c${i}.example.com`, subjectAlternativeNames: Array.from({ length: 99 }, (_, j) => `n${j}.c${i}.example.com`) })),
      expiryAlarm: false,
      stateBackend: { s3: { bucket: "acme-tls-state" } },
    });
    expect(() => synth({ ...config, environments: [huge] })).toThrow(
      /environments\[0\] \(huge\): the deploy role's permissions need \d+ managed policies of 6144 characters, more than IAM's 10 per role/,
    );
  });

  test("the shipped bootstrap configuration synthesizes", () => {
    const json = synth(bootstrap);
    expect(Object.keys(json.resource.aws_iam_role).sort()).toEqual(bootstrap.environments.flatMap((e) => [`DeployRole-${e.name}`, `PlanRole-${e.name}`]).sort());
  });
});
