import { Testing } from "cdktf";
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
      "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_*.api.qa.example.com", "_*.qa.example.com", "_*.shop.example.org"] },
    });
  });

  test("lets the deploy role create listeners only on the named load balancer and manage only its listeners", () => {
    const policy = deployPolicy(environment, "acme-tls-state");
    expect(statement(policy, "ListenersCreate").Resource).toBe(environment.loadBalancerArn);
    expect(statement(policy, "ListenersManage").Resource).toBe("arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/*");
    expect(statement(policy, "CertificatesManage").Resource).toBe("arn:aws:acm:us-east-1:111111111111:certificate/*");
    expect(statement(policy, "CertificatesRequest").Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "us-east-1" } });
    // Nothing outside ACM, Route53, ELB, the expiry alarms (CloudWatch, SNS, KMS) and the state bucket, and no
    // wildcard service.
    expect(new Set(actions(policy).map((a) => a.split(":")[0]))).toEqual(new Set(["acm", "route53", "elasticloadbalancing", "cloudwatch", "sns", "kms", "s3"]));
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

  test("outputs, for environments with dnsRoleArn only, the DNS role's trust (the environment's deploy and plan roles) and its policy", () => {
    const withDnsRole = { ...environment, dnsRoleArn: "arn:aws:iam::222222222222:role/records" };
    const other = baseEnvironment({ name: "other", stateBackend: { s3: { bucket: "acme-tls-state" } } });
    const output = synth({ ...config, environments: [withDnsRole, other] }).output.dns_roles;
    const roles = JSON.parse(output.value);
    expect(Object.keys(roles)).toEqual(["tls-qa"]);
    expect(roles["tls-qa"].roleArn).toBe("arn:aws:iam::222222222222:role/records");
    expect(roles["tls-qa"].trustPolicy.Statement).toEqual([
      {
        Sid: "TlsEdgeRoles",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:role/tls-edge-deploy-qa", "arn:aws:iam::111111111111:role/tls-edge-plan-qa"] },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(roles["tls-qa"].policy.Statement.map((s: PolicyStatement) => s.Sid)).toEqual(["ZonesRead", "ValidationRecordsWrite", "ZoneChangesRead"]);
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
        "Invalid bootstrap configuration (5 problems):",
        '  - accountId "12345": must be 12 digits',
        '  - stateBucketName "Bad_Bucket": not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
        '  - githubRepository "no-slash": must be "owner/name"',
        '  - environments[0] (qa).accountId "111111111111": must be 12345, the account bootstrapped here',
        '  - environments[0] (qa).stateBackend.s3.bucket null: must be "Bad_Bucket"; CI runners keep no local state, so the pipeline needs the environment\'s state in the bootstrap bucket',
      ].join("\n"),
    );
  });

  test("the shipped bootstrap configuration synthesizes", () => {
    const json = synth(bootstrap);
    expect(Object.keys(json.resource.aws_iam_role).sort()).toEqual(bootstrap.environments.flatMap((e) => [`DeployRole-${e.name}`, `PlanRole-${e.name}`]).sort());
  });
});
