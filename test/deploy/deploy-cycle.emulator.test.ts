/**
 * The laptop path, end to end: the real cdktf CLI deploys, diffs, rotates, repairs and destroys a stack against the
 * moto AWS emulator, and every assertion reads the emulator's own API.
 */
import { DescribeListenerAttributesCommand, ElasticLoadBalancingV2Client, ModifyListenerAttributesCommand, ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_TLS_POLICY, EnvironmentConfig } from "../../lib";
import { cdktf, cdktfArgs } from "../support/cdktf";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp, emulatorEnvironment } from "../support/emulator-app";
import { callsDuring as requestLogCalls, certificates, cnameRecords, listenersByPort, validationRecordsOf } from "../support/emulator-aws";

const STACK = "tls-cycle";
const ZONES = { "example.com": "Z0000000000000000001", "app.example.com": "Z0000000000000000002" };

describeWithEmulator("deploying a stack with the cdktf CLI against the AWS emulator", () => {
  let emulator: Emulator;
  let app: EmulatorApp;
  let requestLog: string;
  let environment: EnvironmentConfig;
  const run = (command: "deploy" | "diff" | "destroy") => cdktf(cdktfArgs(command, STACK), { cwd: app.dir, env: { ...emulator.env, ...app.env } });
  /** The API calls the emulator received while `action` ran, in order, as "<service> <action>". */
  const callsDuring = async (action: () => Promise<unknown>): Promise<string[]> => (await requestLogCalls(requestLog, action)).map((c) => c.call);

  beforeAll(async () => {
    requestLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tls-cycle-log-")), "requests.log");
    emulator = await startEmulator({ hostedZones: ZONES }, { acmValidationWaitSeconds: 1, requestLog });
    environment = emulatorEnvironment(emulator, {
      name: "cycle",
      domainName: "app.example.com",
      // The wildcard shares the apex's validation record; www.example.com validates in the parent zone.
      subjectAlternativeNames: ["*.app.example.com", "www.example.com"],
      hostedZones: ZONES,
      targetGroupArn: emulator.seeded.targetGroupArn,
      validationTimeout: "5m",
    });
    app = createEmulatorApp([environment]);
  });
  afterAll(async () => {
    await emulator?.stop();
    app?.cleanup();
    if (requestLog) fs.rmSync(path.dirname(requestLog), { recursive: true, force: true });
  });

  test("deploy issues a certificate for exactly the configured names, validated in the longest-suffix zones", async () => {
    await run("deploy");

    const certs = await certificates(emulator);
    expect(certs).toHaveLength(1);
    const [cert] = certs;
    expect(cert.Status).toBe("ISSUED");
    expect(cert.DomainName).toBe("app.example.com");
    expect([...(cert.SubjectAlternativeNames ?? [])].sort()).toEqual(["*.app.example.com", "app.example.com", "www.example.com"]);

    // One CNAME per distinct validation name: app.example.com and *.app.example.com share theirs.
    const expected = validationRecordsOf(cert);
    expect(Object.keys(expected)).toHaveLength(2);
    const inApp = await cnameRecords(emulator, ZONES["app.example.com"]);
    const inParent = await cnameRecords(emulator, ZONES["example.com"]);
    expect(inApp.map((r) => r.Name)).toEqual([expect.stringMatching(/\.app\.example\.com\.$/)]);
    expect(inParent.map((r) => r.Name)).toEqual([expect.stringMatching(/\.www\.example\.com\.$/)]);
    for (const record of [...inApp, ...inParent]) {
      expect(record.ResourceRecords?.map((r) => r.Value)).toEqual([expected[record.Name!]]);
      expect(record.TTL).toBe(60);
    }
  });

  test("deploy creates HTTPS :443 with the configured policy and certificate, forwarding to the target group", async () => {
    const [cert] = await certificates(emulator);
    const https = (await listenersByPort(emulator))[443];
    expect(https).toMatchObject({ Protocol: "HTTPS", SslPolicy: DEFAULT_TLS_POLICY });
    expect(https.Certificates?.map((c) => c.CertificateArn)).toEqual([cert.CertificateArn]);
    expect(https.DefaultActions).toEqual([expect.objectContaining({ Type: "forward", TargetGroupArn: emulator.seeded.targetGroupArn })]);
  });

  test("deploy creates HTTP :80 answering 301 to HTTPS:443 with host, path and query kept", async () => {
    const http = (await listenersByPort(emulator))[80];
    expect(http.Protocol).toBe("HTTP");
    expect(http.DefaultActions).toHaveLength(1);
    expect(http.DefaultActions?.[0]).toMatchObject({
      Type: "redirect",
      RedirectConfig: { Protocol: "HTTPS", Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: "HTTP_301" },
    });
  });

  test("diff right after the deploy reports no changes", async () => {
    const diff = await run("diff");
    expect(diff.output).toMatch(/No changes\. Your infrastructure matches the configuration\./);
  });

  test("changing the names creates the new certificate before deleting the old one and moves the listener in place", async () => {
    const [old] = await certificates(emulator);
    const httpsBefore = (await listenersByPort(emulator))[443];
    environment = { ...environment, subjectAlternativeNames: ["*.app.example.com", "api.example.com"] };
    app.writeEnvironments([environment]);

    const calls = await callsDuring(() => run("deploy"));

    const request = calls.indexOf("acm RequestCertificate");
    const modify = calls.indexOf("elbv2 ModifyListener");
    const remove = calls.indexOf("acm DeleteCertificate");
    expect(request).toBeGreaterThanOrEqual(0);
    expect(modify).toBeGreaterThan(request);
    expect(remove).toBeGreaterThan(modify);
    expect(calls).not.toContain("elbv2 DeleteListener");
    expect(calls).not.toContain("elbv2 CreateListener");

    const certs = await certificates(emulator);
    expect(certs).toHaveLength(1);
    const [current] = certs;
    expect(current.CertificateArn).not.toBe(old.CertificateArn);
    expect([...(current.SubjectAlternativeNames ?? [])].sort()).toEqual(["*.app.example.com", "api.example.com", "app.example.com"]);
    const httpsAfter = (await listenersByPort(emulator))[443];
    expect(httpsAfter.ListenerArn).toBe(httpsBefore.ListenerArn);
    expect(httpsAfter.Certificates?.map((c) => c.CertificateArn)).toEqual([current.CertificateArn]);
    // www.example.com's record went with the old certificate; api.example.com's came with the new one.
    const parent = (await cnameRecords(emulator, ZONES["example.com"])).map((r) => r.Name);
    expect(parent).toEqual([expect.stringMatching(/\.api\.example\.com\.$/)]);
  });

  test("a policy downgraded out of band shows in diff and the next deploy restores the configured one", async () => {
    const https = (await listenersByPort(emulator))[443];
    await emulator
      .client(ElasticLoadBalancingV2Client)
      .send(new ModifyListenerCommand({ ListenerArn: https.ListenerArn, SslPolicy: "ELBSecurityPolicy-2016-08" }));
    expect((await listenersByPort(emulator))[443].SslPolicy).toBe("ELBSecurityPolicy-2016-08");

    const diff = await run("diff");
    expect(diff.output).toMatch(/ssl_policy\s+= "ELBSecurityPolicy-2016-08" -> "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"/);
    expect(diff.output).toMatch(/0 to add, 1 to change, 0 to destroy/);

    await run("deploy");
    const repaired = (await listenersByPort(emulator))[443];
    expect(repaired.SslPolicy).toBe(DEFAULT_TLS_POLICY);
    expect(repaired.ListenerArn).toBe(https.ListenerArn);
  });

  test("security headers: set, the Server header switched off and on again on both listeners; a header turned off stays until cleared by hand, then diff is clean", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const attributesOf = async (port: number) => {
      const listener = (await listenersByPort(emulator))[port];
      const attributes = (await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: listener.ListenerArn }))).Attributes ?? [];
      return Object.fromEntries(attributes.map((a) => [a.Key!, a.Value]));
    };
    const XFO = "routing.http.response.x_frame_options.header_value";
    const CSP = "routing.http.response.content_security_policy.header_value";
    const SERVER = "routing.http.response.server.enabled";

    environment = { ...environment, securityHeaders: { xFrameOptions: "DENY", contentSecurityPolicy: "default-src 'self'", serverHeader: false } };
    app.writeEnvironments([environment]);
    await run("deploy");
    expect(await attributesOf(443)).toMatchObject({ [XFO]: "DENY", [CSP]: "default-src 'self'", [SERVER]: "false", "routing.http.response.x_content_type_options.header_value": "nosniff" });
    expect((await attributesOf(80))[SERVER]).toBe("false");

    // Back on: the stack always writes the Server switch, so it takes effect; the frame and content policies are now
    // unset in the configuration, and the provider leaves what the listener has (docs/configuration.md).
    environment = { ...environment, securityHeaders: { contentSecurityPolicy: false } };
    app.writeEnvironments([environment]);
    const calls = await callsDuring(() => run("deploy"));
    expect(calls.filter((c) => c === "elbv2 ModifyListenerAttributes")).toHaveLength(2);
    expect(calls.filter((c) => /elbv2 (Create|Delete)|acm (Request|Delete)/.test(c))).toEqual([]);
    expect(await attributesOf(443)).toMatchObject({ [XFO]: "DENY", [CSP]: "default-src 'self'", [SERVER]: "true" });
    expect((await attributesOf(80))[SERVER]).toBe("true");

    // The documented way out: clear the attributes once by hand; the configuration no longer sets them, so no plan
    // puts them back.
    const https = (await listenersByPort(emulator))[443];
    await elb.send(new ModifyListenerAttributesCommand({ ListenerArn: https.ListenerArn, Attributes: [{ Key: XFO, Value: "" }, { Key: CSP, Value: "" }] }));
    const diff = await run("diff");
    expect(diff.output).not.toMatch(/x_frame_options|content_security_policy/);
    expect(diff.output).toMatch(/No changes/);
    expect(await attributesOf(443)).toMatchObject({ [XFO]: "", [CSP]: "" });
  });

  test("destroy removes listeners, certificate and validation records and leaves the ALB, target group and zones", async () => {
    await run("destroy");

    expect(await listenersByPort(emulator)).toEqual({});
    expect(await certificates(emulator)).toEqual([]);
    for (const zoneId of Object.values(ZONES)) {
      expect(await cnameRecords(emulator, zoneId)).toEqual([]);
      const zone = await emulator.client(Route53Client).send(new GetHostedZoneCommand({ Id: zoneId }));
      expect(zone.HostedZone?.Id).toMatch(new RegExp(`${zoneId}$`));
    }
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const lbs = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [emulator.seeded.loadBalancerArn] }));
    expect(lbs.LoadBalancers).toHaveLength(1);
    const tgs = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [emulator.seeded.targetGroupArn] }));
    expect(tgs.TargetGroups).toHaveLength(1);
  });
});
