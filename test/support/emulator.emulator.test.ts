import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from "@aws-sdk/client-acm";
import {
  CreateListenerCommand,
  DescribeListenerAttributesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "./emulator";

describeWithEmulator("the AWS emulator harness", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(
      {
        hostedZones: { "example.com": "Z0000000000000000001", "example.net": "ZNET0000000000000002" },
        buckets: ["state-bucket"],
        listeners: { http: true, https: "ELBSecurityPolicy-2016-08" },
      },
      { acmValidationWaitSeconds: 2 },
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

  test("a requested certificate is issued after the emulator's validation wait", async () => {
    const acm = emulator.client(ACMClient);
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: "smoke.example.com", ValidationMethod: "DNS" }));
    const status = async () => (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate?.Status;
    expect(await status()).toBe("PENDING_VALIDATION");
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await status()).toBe("ISSUED");
  });

  test("stop() ends the server process: the port refuses connections afterwards", async () => {
    const other = await startEmulator({});
    const sts = other.client(STSClient);
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    await other.stop();
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
