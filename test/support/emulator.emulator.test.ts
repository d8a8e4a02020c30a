import { ACMClient, DeleteCertificateCommand, DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand } from "@aws-sdk/client-acm";
import {
  AddListenerCertificatesCommand,
  CreateListenerCommand,
  DescribeListenerAttributesCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerAttributesCommand,
  ModifyListenerCommand,
  RemoveListenerCertificatesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ChangeResourceRecordSetsCommand, GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetObjectCommand, HeadBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "./emulator";
import { FAULT_KINDS, faultsNotRetried, readFaultLog } from "./emulator-faults";

/** Only requests carrying this in their User-Agent meet the fault injection of this suite's emulator. */
const FAULT_PROBE = "fault-probe";

describeWithEmulator("the AWS emulator harness", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(
      {
        hostedZones: { "example.com": "Z0000000000000000001", "example.net": "ZNET0000000000000002" },
        buckets: ["state-bucket", "policy-bucket"],
        listeners: { http: true, https: "ELBSecurityPolicy-2016-08" },
      },
      // Every call of a client with the probe user agent fails once; no other client's call is eligible.
      { acmValidationWaitSeconds: 2, faults: { share: 1, seed: 1, userAgent: FAULT_PROBE, maxPerCall: 1 } },
    );
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  test("it listens on a loopback port and gives child processes an endpoint, static credentials and a CLI config", () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.env).toMatchObject({
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      CHECKPOINT_DISABLE: "1",
    });
    expect(emulator.env.TF_CLI_CONFIG_FILE).toMatch(/terraform-cli-config\.tfrc$/);
    expect(emulator.env.AWS_PROFILE).toBeUndefined();
  });

  test("STS answers the emulator's account", async () => {
    const identity = await emulator.client(STSClient).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(EMULATOR_ACCOUNT);
  });

  test("hosted zones get the IDs the spec fixed before they were created", async () => {
    expect(emulator.seeded.hostedZones).toEqual({ "example.com": "Z0000000000000000001", "example.net": "ZNET0000000000000002" });
    const zone = await emulator.client(Route53Client).send(new GetHostedZoneCommand({ Id: "Z0000000000000000001" }));
    expect(zone.HostedZone?.Name).toBe("example.com.");
  });

  test("the ALB, its pre-existing listeners and the state bucket exist", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const lbs = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [emulator.seeded.loadBalancerArn] }));
    expect(lbs.LoadBalancers?.[0]?.Type).toBe("application");
    expect(emulator.seeded.loadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/edge-test\/[0-9a-f]{16}$/);
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }));
    const byPort = Object.fromEntries((listeners.Listeners ?? []).map((l) => [l.Port, l]));
    expect(byPort[80]).toMatchObject({ Protocol: "HTTP", ListenerArn: emulator.seeded.listeners.http });
    expect(byPort[443]).toMatchObject({ Protocol: "HTTPS", SslPolicy: "ELBSecurityPolicy-2016-08", ListenerArn: emulator.seeded.listeners.https });
    await expect(emulator.client(S3Client).send(new HeadBucketCommand({ Bucket: "state-bucket" }))).resolves.toBeDefined();
  });

  test("a second listener with other settings on a port already in use is refused with DuplicateListener, as AWS does", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const create = elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: emulator.seeded.loadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
      }),
    );
    await expect(create).rejects.toMatchObject({ name: "DuplicateListenerException" });
  });

  test("repeating CreateListener with the same settings returns the existing listener (AWS: the call is idempotent)", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const repeated = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: emulator.seeded.loadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: emulator.seeded.targetGroupArn }],
      }),
    );
    expect(repeated.Listeners?.map((l) => l.ListenerArn)).toEqual([emulator.seeded.listeners.http]);
  });

  test("listener header attributes behave as ELB documents: Server on by default, values in ELB's character set and 1K bytes, empty reverts", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const ListenerArn = emulator.seeded.listeners.https!;
    const attributes = async () => Object.fromEntries(((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn }))).Attributes ?? []).map((a) => [a.Key, a.Value]));
    const modify = (Key: string, Value: string) => elb.send(new ModifyListenerAttributesCommand({ ListenerArn, Attributes: [{ Key, Value }] }));
    expect((await attributes())["routing.http.response.server.enabled"]).toBe("true");
    await modify("routing.http.response.server.enabled", "false");
    expect((await attributes())["routing.http.response.server.enabled"]).toBe("false");
    await modify("routing.http.response.server.enabled", "");
    expect((await attributes())["routing.http.response.server.enabled"]).toBe("true");
    const csp = "routing.http.response.content_security_policy.header_value";
    await modify(csp, `default-src 'self' https://${"a".repeat(1024 - 39)}.example.net`);
    expect((await attributes())[csp]).toHaveLength(1024);
    for (const refused of ['default-src "self"', "default-src 'self' https://$x.example.net", `default-src 'self' https://${"a".repeat(1025 - 39)}.example.net`]) {
      await expect(modify(csp, refused)).rejects.toMatchObject({ name: "InvalidConfigurationRequestException" });
    }
    await modify(csp, "");
    expect((await attributes())[csp]).toBe("");
  });

  test("fault injection answers as AWS spells each error on the wire, and the AWS SDK for JavaScript retries every one", async () => {
    const client = <C>(ClientClass: new (config: any) => C, maxAttempts: number): C =>
      new ClientClass({ endpoint: emulator.endpoint, region: emulator.region, credentials: { accessKeyId: "test", secretAccessKey: "test" }, customUserAgent: FAULT_PROBE, maxAttempts });
    const change = (i: number) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: "Z0000000000000000001",
        ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: `probe-${i}.example.com`, Type: "TXT", TTL: 60, ResourceRecords: [{ Value: '"x"' }] } }] },
      });
    const probes = [
      { service: "route53", send: (i: number, attempts: number) => client(Route53Client, attempts).send(change(i)) },
      { service: "elbv2", send: (_: number, attempts: number) => client(ElasticLoadBalancingV2Client, attempts).send(new DescribeLoadBalancersCommand({})) },
      { service: "acm", send: (_: number, attempts: number) => client(ACMClient, attempts).send(new ListCertificatesCommand({})) },
    ];
    const seen = new Set<string>();
    for (const probe of probes) {
      // One attempt: the fault reaches the caller, parsed by the SDK. Seeded, so 12 calls meet every kind.
      for (let i = 0; i < 12; i++) {
        const error = await probe.send(i, 1).then(
          () => undefined,
          (e: { name: string; $metadata: { httpStatusCode: number } }) => e,
        );
        expect(error).toBeDefined();
        seen.add(`${probe.service} ${error!.$metadata.httpStatusCode} ${error!.name}`);
      }
      // Two attempts: the SDK classifies the fault as retryable, waits and succeeds.
      const answer = await probe.send(99, 2);
      expect(answer.$metadata.attempts).toBe(2);
    }
    expect([...seen].sort()).toEqual(FAULT_KINDS);
    // The log saw each of the three retries (the one-attempt calls were never retried).
    const events = readFaultLog(emulator.faultLog!);
    expect(events.filter((e) => e.event === "retried").map((e) => e.service)).toEqual(["route53", "elbv2", "acm"]);
    expect(faultsNotRetried(events)).toHaveLength(36);
  });

  test("a requested certificate is issued after the emulator's validation wait", async () => {
    const acm = emulator.client(ACMClient);
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: "smoke.example.com", ValidationMethod: "DNS" }));
    const status = async () => (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate?.Status;
    expect(await status()).toBe("PENDING_VALIDATION");
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await status()).toBe("ISSUED");
  });

  describe("behaves as AWS documents where moto 5.2.5 does not (each patch in emulator.py cites its source)", () => {
    const elb = () => emulator.client(ElasticLoadBalancingV2Client);
    const acm = () => emulator.client(ACMClient);
    const certificate = async (name: string) => {
      const arn = (await acm().send(new RequestCertificateCommand({ DomainName: name, ValidationMethod: "DNS" }))).CertificateArn!;
      return arn;
    };
    const listed = async (listenerArn: string) => (await elb().send(new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn }))).Certificates ?? [];

    test("ELB refuses to remove a listener's default certificate from its list, and keeps the SNI list when the default changes", async () => {
      const listenerArn = emulator.seeded.listeners.https!;
      const [defaultArn] = emulator.seeded.certificateArns;
      const sni = await certificate("sni.example.com");
      await elb().send(new AddListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
      await expect(elb().send(new RemoveListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: defaultArn }] }))).rejects.toMatchObject({
        // The wire code OperationNotPermitted, which the AWS SDKs (the provider's Go SDK too) model as this exception.
        name: "OperationNotPermittedException",
        message: "Default certificate cannot be removed",
      });
      const replacement = await certificate("legacy.example.com");
      await elb().send(new ModifyListenerCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: replacement }] }));
      expect((await listed(listenerArn)).map((c) => [c.CertificateArn, c.IsDefault])).toEqual([
        [replacement, true],
        [sni, false],
      ]);
      // Put back as it was for the other tests.
      await elb().send(new ModifyListenerCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: defaultArn }] }));
      await elb().send(new RemoveListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
    });

    test("ELB adds a certificate already in a listener's certificate list once, and the call succeeds (API reference, AddListenerCertificates)", async () => {
      const listenerArn = emulator.seeded.listeners.https!;
      const [defaultArn] = emulator.seeded.certificateArns;
      const sni = await certificate("added-twice.example.com");
      // What a retry does after the answer to the first call was lost.
      for (let i = 0; i < 2; i++) await elb().send(new AddListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
      expect((await listed(listenerArn)).map((c) => [c.CertificateArn, c.IsDefault])).toEqual([
        [defaultArn, true],
        [sni, false],
      ]);
      await elb().send(new RemoveListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
    });

    test("ACM refuses to delete a certificate a listener serves, and deletes it once it is detached", async () => {
      const listenerArn = emulator.seeded.listeners.https!;
      const sni = await certificate("in-use.example.com");
      await elb().send(new AddListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
      await expect(acm().send(new DeleteCertificateCommand({ CertificateArn: sni }))).rejects.toMatchObject({ name: "ResourceInUseException" });
      await elb().send(new RemoveListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: sni }] }));
      await expect(acm().send(new DeleteCertificateCommand({ CertificateArn: sni }))).resolves.toBeDefined();
    });

    test("a TLS-only bucket policy (Deny when aws:SecureTransport is false) lets the emulator's clients through, as AWS lets HTTPS through", async () => {
      const s3 = emulator.client(S3Client);
      const policy = {
        Version: "2012-10-17",
        Statement: [
          { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::policy-bucket", "arn:aws:s3:::policy-bucket/*"], Condition: { Bool: { "aws:SecureTransport": false } } },
        ],
      };
      await s3.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: JSON.stringify(policy) }));
      await s3.send(new PutObjectCommand({ Bucket: "policy-bucket", Key: "probe", Body: "ok" }));
      expect(await (await s3.send(new GetObjectCommand({ Bucket: "policy-bucket", Key: "probe" }))).Body!.transformToString()).toBe("ok");
      // A Deny without a condition still applies.
      const denyAll = { Version: "2012-10-17", Statement: [{ ...policy.Statement[0], Condition: undefined }] };
      await s3.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: JSON.stringify(denyAll) }));
      await expect(s3.send(new GetObjectCommand({ Bucket: "policy-bucket", Key: "probe" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    });
  });

  test("stop() ends the server process: the port refuses connections afterwards", async () => {
    const other = await startEmulator({});
    const sts = other.client(STSClient);
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    await other.stop();
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
