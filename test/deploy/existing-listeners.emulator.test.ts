/**
 * Adopting listeners that already exist on the load balancer (`existingListeners`), against the moto AWS emulator
 * through the real cdktf CLI: an HTTP :80 listener forwarding to the target group and an HTTPS :443 listener on the
 * TLS 1.0 policy ELBSecurityPolicy-2016-08, as many real ALBs have them.
 */
import { DEFAULT_TLS_POLICY, EnvironmentConfig } from "../../lib";
import { cdktf, cdktfArgs, runCdktf } from "../support/cdktf";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp, emulatorEnvironment } from "../support/emulator-app";
import { certificates, listenersByPort } from "../support/emulator-aws";

const STACK = "tls-adopt";
const ZONES = { "example.com": "Z0000000000000000005" };

describeWithEmulator("adopting a load balancer's existing listeners against the AWS emulator", () => {
  let emulator: Emulator;
  let app: EmulatorApp;
  let environment: EnvironmentConfig;
  const options = () => ({ cwd: app.dir, env: { ...emulator.env, ...app.env } });

  beforeAll(async () => {
    emulator = await startEmulator(
      { hostedZones: ZONES, loadBalancerName: "edge-adopt", listeners: { http: true, https: "ELBSecurityPolicy-2016-08" } },
      { acmValidationWaitSeconds: 1 },
    );
    environment = emulatorEnvironment(emulator, {
      name: "adopt",
      domainName: "adopt.example.com",
      hostedZones: ZONES,
      targetGroupArn: emulator.seeded.targetGroupArn,
      validationTimeout: "5m",
    });
    app = createEmulatorApp([environment]);
  });
  afterAll(async () => {
    await emulator?.stop();
    app?.cleanup();
  });

  test("without existingListeners the deploy fails because ports 80 and 443 are taken, and leaves both listeners alone", async () => {
    const result = await runCdktf(cdktfArgs("deploy", STACK), options());

    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/DuplicateListener/);
    const listeners = await listenersByPort(emulator);
    expect(listeners[80].ListenerArn).toBe(emulator.seeded.listeners.http);
    expect(listeners[80].DefaultActions?.[0].Type).toBe("forward");
    expect(listeners[443]).toMatchObject({ ListenerArn: emulator.seeded.listeners.https, SslPolicy: "ELBSecurityPolicy-2016-08" });
  });

  test("with existingListeners the next deploy adopts both and converts them: :80 redirects, :443 gets the policy and our certificate", async () => {
    environment = { ...environment, existingListeners: { http: emulator.seeded.listeners.http, https: emulator.seeded.listeners.https } };
    app.writeEnvironments([environment]);

    const deploy = await cdktf(cdktfArgs("deploy", STACK), options());
    expect(deploy.output).toMatch(/2 imported/);

    const listeners = await listenersByPort(emulator);
    expect(Object.keys(listeners).sort()).toEqual(["443", "80"]);
    const [ours] = await certificates(emulator);
    expect(ours.Status).toBe("ISSUED");
    expect(listeners[443]).toMatchObject({ ListenerArn: emulator.seeded.listeners.https, Protocol: "HTTPS", SslPolicy: DEFAULT_TLS_POLICY });
    expect(listeners[443].Certificates?.map((c) => c.CertificateArn)).toEqual([ours.CertificateArn]);
    expect(listeners[443].DefaultActions).toEqual([expect.objectContaining({ Type: "forward", TargetGroupArn: emulator.seeded.targetGroupArn })]);
    expect(listeners[80].ListenerArn).toBe(emulator.seeded.listeners.http);
    expect(listeners[80].DefaultActions).toEqual([
      expect.objectContaining({
        Type: "redirect",
        RedirectConfig: expect.objectContaining({ Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" }),
      }),
    ]);
    expect((await cdktf(cdktfArgs("diff", STACK), options())).output).toMatch(/No changes\./);
  });

  test("from then on the stack owns them: destroy deletes both adopted listeners", async () => {
    await cdktf(cdktfArgs("destroy", STACK), options());

    expect(await listenersByPort(emulator)).toEqual({});
    // Only the certificate the old HTTPS listener served (imported by the seed, never the stack's) is left.
    expect((await certificates(emulator, { includeImported: true })).map((c) => c.CertificateArn)).toEqual(emulator.seeded.certificateArns);
  });

  test("after a destroy, a deploy that still names the deleted listeners fails until existingListeners is removed", async () => {
    const stale = await runCdktf(cdktfArgs("deploy", STACK), options());
    // Terraform stops at plan ("Cannot import non-existent remote object"; cdktf does not always pass that last
    // block through, so the test holds on to what the emulator says): nothing is created.
    expect(stale.code).not.toBe(0);
    expect(await listenersByPort(emulator)).toEqual({});
    expect(await certificates(emulator)).toEqual([]);

    const { existingListeners: _removed, ...withoutAdoption } = environment;
    app.writeEnvironments([withoutAdoption]);
    await cdktf(cdktfArgs("deploy", STACK), options());
    expect(Object.keys(await listenersByPort(emulator)).sort()).toEqual(["443", "80"]);
  });
});
