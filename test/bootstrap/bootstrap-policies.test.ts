import { iamPolicySize } from "../../lib/aws/quotas";
import { ACM_VALIDATION_TOKEN_PATTERN, deployPolicy, dnsReadRolePolicy, dnsRolePolicy, managedPolicyDocuments, planPolicy, PolicyDocument, PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { callsNotAllowed, resourceMatches } from "../support/iam-policy";
import { everythingOn } from "../fixtures/everything-on";
import { baseEnvironment } from "../fixtures/environments";

const BUCKET = "acme-tls-state";

function statement(doc: PolicyDocument, sid: string): PolicyStatement {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid} in ${doc.Statement.map((s) => s.Sid).join(", ")}`);
  return found;
}

const sids = (doc: PolicyDocument) => doc.Statement.map((s) => s.Sid);
const actionsOf = (doc: PolicyDocument) => doc.Statement.flatMap((s) => [s.Action].flat());

describe("the bootstrap roles' policies for the edge features", () => {
  test("cover the validation records of every certificate: the default one's names and each additional certificate's", () => {
    const policy = deployPolicy(
      baseEnvironment({
        hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000" },
        additionalCertificates: [{ domainName: "shop.example.org" }, { domainName: "api.example.com", subjectAlternativeNames: ["*.api.example.com"] }],
      }),
      BUCKET,
    );
    expect(statement(policy, "ValidationRecordsWrite").Condition!["ForAllValues:StringLike"]).toEqual({
      "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_????????????????????????????????.api.example.com", "_????????????????????????????????.example.com", "_????????????????????????????????.shop.example.org"],
    });
  });

  test("let the deploy role write only ACM's validation names: an underscore and a 32-character token, not _acme-challenge or deeper names", () => {
    const [pattern] = [statement(deployPolicy(baseEnvironment(), BUCKET), "ValidationRecordsWrite").Condition!["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]].flat();
    expect(pattern).toBe(`${ACM_VALIDATION_TOKEN_PATTERN}.example.com`);
    // The IAM model (test/support/iam-policy.ts) matches `?` as exactly one character, as IAM does.
    expect(resourceMatches(String(pattern), "_d930b28be6c5927595552b219965053e.example.com")).toBe(true);
    for (const other of ["_acme-challenge.example.com", "_x.example.com", "_d930b28be6c5927595552b219965053e.www.example.com", "_d930b28be6c5927595552b219965053e0.example.com"]) {
      expect([other, resourceMatches(String(pattern), other)]).toEqual([other, false]);
    }
  });

  test("split into managed policies that each fit the limit and together hold every statement, a statement too large alone split over its longest list", () => {
    const big: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Small", Effect: "Allow", Action: "acm:DescribeCertificate", Resource: "*" },
        { Sid: "Records", Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: Array.from({ length: 60 }, (_, i) => `arn:aws:route53:::hostedzone/Z${String(i).padStart(19, "0")}`) },
      ],
    };
    const parts = managedPolicyDocuments(big, 1_000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(iamPolicySize(part)).toBeLessThanOrEqual(1_000);
    const statements = parts.flatMap((p) => p.Statement);
    expect(statements[0]).toEqual(big.Statement[0]);
    expect(statements.slice(1).map((st) => st.Sid)).toEqual(statements.slice(1).map((_, i) => `Records${i + 1}`));
    expect(statements.slice(1).flatMap((st) => [st.Resource].flat())).toEqual(big.Statement[1].Resource);
    // Nothing to split: an error, not a policy IAM would refuse.
    expect(() => managedPolicyDocuments({ Version: "2012-10-17", Statement: [{ Sid: "Long", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::b/${"k".repeat(2_000)}` }] }, 1_000)).toThrow(
      /statement Long alone is larger than a managed policy \(\d+ characters\) and has no list to split/,
    );
  });

  test("let the deploy role write CAA sets only with caa, only at the apexes of the zones its names use, and only CAA", () => {
    const zones = { "example.com": "Z0123456789ABCDEFGHIJ", "example.org": "Z0ORG000000000000000", "example.net": "Z0NET000000000000000" };
    const withCaa = deployPolicy(baseEnvironment({ hostedZones: zones, subjectAlternativeNames: ["*.example.com", "www.example.org"], caa: {} }), BUCKET);
    expect(statement(withCaa, "CaaRecordsWrite")).toMatchObject({
      Action: "route53:ChangeResourceRecordSets",
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsRecordTypes": ["CAA"],
          // example.net holds no certificate name, so the stack writes no CAA set there.
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["example.com", "example.org"],
        },
      },
    });
    expect(sids(deployPolicy(baseEnvironment({ hostedZones: zones }), BUCKET))).not.toContain("CaaRecordsWrite");
  });

  test("let the deploy role manage the HSTS attribute and the SNI certificates of its own listeners, whatever hsts and the certificates say", () => {
    for (const environment of [baseEnvironment(), baseEnvironment({ hsts: false })]) {
      const manage = statement(deployPolicy(environment, BUCKET), "ListenersManage");
      expect(manage.Action).toEqual(
        expect.arrayContaining([
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
        ]),
      );
      expect(manage.Resource).toBe("arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/*");
    }
  });

  test("give both roles ELB's Describe* on \"*\" (it has no resource-level permissions), only in the environment's region", () => {
    const environment = baseEnvironment({ region: "eu-west-1", loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188" });
    for (const policy of [deployPolicy(environment, BUCKET), planPolicy(environment, BUCKET)]) {
      expect(statement(policy, "ListenersRead")).toEqual({
        Sid: "ListenersRead",
        Effect: "Allow",
        Action: ["elasticloadbalancing:Describe*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
      });
    }
  });

  test("let the deploy role manage a trust store and read its CA bundle object only with mutualTls verify", () => {
    const verify = deployPolicy(baseEnvironment({ mutualTls: { mode: "verify", trustStore: { bucket: "ca-bundles", key: "clients/ca.pem" } } }), BUCKET);
    expect(statement(verify, "TrustStoreManage")).toMatchObject({
      Action: expect.arrayContaining(["elasticloadbalancing:CreateTrustStore", "elasticloadbalancing:ModifyTrustStore", "elasticloadbalancing:DeleteTrustStore"]),
      Resource: "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/tf-*",
    });
    expect(statement(verify, "TrustStoreBundleRead")).toMatchObject({ Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "arn:aws:s3:::ca-bundles/clients/ca.pem" });
    for (const environment of [baseEnvironment(), baseEnvironment({ mutualTls: { mode: "passthrough" } })]) {
      expect(actionsOf(deployPolicy(environment, BUCKET)).filter((a) => /TrustStore/.test(a))).toEqual([]);
    }
  });

  test("let the deploy role add and remove revocation lists on its own trust stores, and read exactly the configured CRL objects", () => {
    const trustStore = { bucket: "ca-bundles", key: "clients/ca.pem" };
    const lists = [
      { bucket: "crls", key: "clients/ca-1.crl" },
      { bucket: "crls", key: "clients/ca-2.crl" },
    ];
    const policy = deployPolicy(baseEnvironment({ mutualTls: { mode: "verify", trustStore: { ...trustStore, revocationLists: lists } } }), BUCKET);
    expect(statement(policy, "TrustStoreRevocationsManage")).toEqual({
      Sid: "TrustStoreRevocationsManage",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTrustStoreRevocations", "elasticloadbalancing:RemoveTrustStoreRevocations"],
      Resource: "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/tf-*",
    });
    expect(statement(policy, "TrustStoreRevocationListsRead")).toEqual({
      Sid: "TrustStoreRevocationListsRead",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: ["arn:aws:s3:::crls/clients/ca-1.crl", "arn:aws:s3:::crls/clients/ca-2.crl"],
    });
    // The calls the provider's aws_lb_trust_store_revocation makes (create, read, delete), and ELB's read of the CRL
    // with the caller's rights, as the IAM model evaluates them.
    const store = "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/tf-20260101000000000000000001/0123456789abcdef";
    const call = (service: string, action: string, resource: string) => ({ service, action, account: "111111111111", resource, context: { "aws:RequestedRegion": "us-east-1" }, call: `${service} ${action}` });
    const revocationCalls = [
      call("elbv2", "AddTrustStoreRevocations", store),
      call("elbv2", "DescribeTrustStoreRevocations", "*"),
      call("elbv2", "RemoveTrustStoreRevocations", store),
      call("s3", "GetObject", "arn:aws:s3:::crls/clients/ca-1.crl"),
    ];
    expect(callsNotAllowed(policy, revocationCalls)).toEqual([]);
    // Not another account's or another name's trust store, and not another object in the CRL bucket.
    expect(callsNotAllowed(policy, [call("elbv2", "AddTrustStoreRevocations", store.replace("tf-", "shared-")), call("s3", "GetObject", "arn:aws:s3:::crls/clients/other.crl")])).toHaveLength(2);
    // The plan role reads them and changes nothing.
    const plan = planPolicy(baseEnvironment({ mutualTls: { mode: "verify", trustStore: { ...trustStore, revocationLists: lists } } }), BUCKET);
    expect(callsNotAllowed(plan, revocationCalls)).toEqual([
      `elasticloadbalancing:AddTrustStoreRevocations ${store} {"aws:RequestedRegion":"us-east-1"}`,
      `elasticloadbalancing:RemoveTrustStoreRevocations ${store} {"aws:RequestedRegion":"us-east-1"}`,
      `s3:GetObject arn:aws:s3:::crls/clients/ca-1.crl {"aws:RequestedRegion":"us-east-1"}`,
    ]);
  });

  test("keep the revocation permissions on the trust store without revocation lists (to remove the last one), but read no CRL object", () => {
    const policy = deployPolicy(baseEnvironment({ mutualTls: { mode: "verify", trustStore: { bucket: "ca-bundles", key: "clients/ca.pem" } } }), BUCKET);
    expect(sids(policy)).toContain("TrustStoreRevocationsManage");
    expect(sids(policy)).not.toContain("TrustStoreRevocationListsRead");
    expect(policy.Statement.filter((s) => [s.Action].flat().includes("s3:GetObject")).flatMap((s) => [s.Resource].flat())).not.toContainEqual(expect.stringMatching(/\.crl$/));
  });

  test("scope the expiry alarms and the renewal-event rule to names of this stack, also with expiryAlarm false (so turning it off can delete them)", () => {
    for (const environment of [baseEnvironment({ name: "qa" }), baseEnvironment({ name: "qa", expiryAlarm: false })]) {
      const policy = deployPolicy(environment, BUCKET);
      expect(statement(policy, "AlarmsManage")).toMatchObject({
        Action: expect.arrayContaining(["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"]),
        Resource: [
          "arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-qa-Certificate-expiry",
          "arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-qa-RsaFallbackCertificate-expiry",
          "arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-qa-EcSniCertificate-expiry",
          "arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-qa-AdditionalCertificate-*-expiry",
        ],
      });
      // DescribeAlarms: every alarm of the region and account (CloudWatch authorizes it on `alarm:*`), never "*".
      expect(statement(policy, "AlarmsList")).toEqual({ Sid: "AlarmsList", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*" });
      expect(statement(planPolicy(environment, BUCKET), "AlarmsList").Resource).toBe("arn:aws:cloudwatch:us-east-1:111111111111:alarm:*");
      expect(statement(policy, "RenewalEventsManage")).toMatchObject({
        Action: expect.arrayContaining(["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource"]),
        Resource: "arn:aws:events:us-east-1:111111111111:rule/tls-qa-certificate-events",
      });
    }
  });

  test("never give either role SNS or KMS: the alarm topic and its key are the bootstrap stack's (or the environment's own)", () => {
    // CreateKey with tags also needs kms:TagResource, which cannot be restricted to the new key; granted on request
    // tags it would let the role tag any key of the account into its reach.
    for (const environment of [baseEnvironment(), everythingOn, baseEnvironment({ expiryAlarm: { topic: "bootstrap", email: "ops@example.com" } })]) {
      for (const policy of [deployPolicy(environment, BUCKET), planPolicy(environment, BUCKET)]) {
        expect(actionsOf(policy).filter((a) => /^(sns|kms):/.test(a))).toEqual([]);
      }
    }
  });

  test("never cover another environment's alarms, even one whose name extends this one's", () => {
    const prod = statement(deployPolicy(baseEnvironment({ name: "prod" }), BUCKET), "AlarmsManage");
    const patterns = [prod.Resource].flat().map((p) => new RegExp(`^${p!.replace(/\*/g, ".*")}$`));
    const alarmOf = (environment: string, certificate: string) => `arn:aws:cloudwatch:us-east-1:111111111111:alarm:tls-${environment}-${certificate}-expiry`;
    for (const own of ["Certificate", "RsaFallbackCertificate", "AdditionalCertificate-shop_example_org"]) {
      expect(patterns.some((p) => p.test(alarmOf("prod", own)))).toBe(true);
      expect(patterns.some((p) => p.test(alarmOf("prod-eu", own)))).toBe(false);
    }
  });

  test("with dnsRoleArn, give both roles no Route53 access of their own: the deploy role may assume only the writing DNS role, the plan role only the reading one", () => {
    const environment = baseEnvironment({ dnsRoleArn: "arn:aws:iam::222222222222:role/records", caa: {} });
    for (const [policy, role] of [
      [deployPolicy(environment, BUCKET), "arn:aws:iam::222222222222:role/records"],
      [planPolicy(environment, BUCKET), "arn:aws:iam::222222222222:role/records-read"],
    ] as const) {
      expect(actionsOf(policy).filter((a) => a.startsWith("route53:"))).toEqual([]);
      expect(statement(policy, "DnsRoleAssume")).toEqual({ Sid: "DnsRoleAssume", Effect: "Allow", Action: "sts:AssumeRole", Resource: role });
    }
    const named = baseEnvironment({ dnsRoleArn: "arn:aws:iam::222222222222:role/records", dnsReadRoleArn: "arn:aws:iam::222222222222:role/records-viewer" });
    expect(statement(planPolicy(named, BUCKET), "DnsRoleAssume").Resource).toBe("arn:aws:iam::222222222222:role/records-viewer");
    expect(actionsOf(deployPolicy(baseEnvironment(), BUCKET))).not.toContain("sts:AssumeRole");
  });

  test("give the reading DNS role the zone reads only", () => {
    const policy = dnsReadRolePolicy(everythingOn);
    expect(policy.Statement).toEqual([
      { Sid: "ZonesRead", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: ["arn:aws:route53:::hostedzone/Z0EVERYTHINGCOM00001", "arn:aws:route53:::hostedzone/Z0EVERYTHINGORG00001"] },
    ]);
  });

  test("give the DNS role exactly the record statements: zone reads, validation CNAMEs, CAA sets with caa, change status", () => {
    const policy = dnsRolePolicy(everythingOn);
    expect(sids(policy)).toEqual(["ZonesRead", "ValidationRecordsWrite", "CaaRecordsWrite", "ZoneChangesRead"]);
    expect(statement(policy, "ValidationRecordsWrite").Resource).toEqual(["arn:aws:route53:::hostedzone/Z0EVERYTHINGCOM00001", "arn:aws:route53:::hostedzone/Z0EVERYTHINGORG00001"]);
    expect(sids(dnsRolePolicy({ ...everythingOn, caa: undefined }))).not.toContain("CaaRecordsWrite");
  });

  test("let the plan role read the expiry alarms and the renewal-event rule, and write nothing but the state lock", () => {
    const policy = planPolicy(everythingOn, BUCKET);
    expect(actionsOf(policy)).toEqual(expect.arrayContaining(["cloudwatch:DescribeAlarms", "events:DescribeRule", "events:ListTargetsByRule", "sts:AssumeRole"]));
    const writers = policy.Statement.filter((s) => [s.Action].flat().some((a) => /:(Put|Delete|Create|Modify|Change|Request|Add|Remove|Set|Tag|Untag|Enable|Schedule|Subscribe)/.test(a)));
    expect(writers.map((s) => s.Sid)).toEqual(["StateLock"]);
  });
});
