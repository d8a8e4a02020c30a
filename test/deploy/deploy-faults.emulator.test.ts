/**
 * Faults during a deploy, against the moto AWS emulator through the real cdktf CLI: ACM slower than the validation
 * timeout, and an apply killed part-way. Both must leave nothing half-made that the next deploy cannot repair.
 */
import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { EnvironmentConfig } from "../../lib";
import { cdktf, cdktfArgs, CdktfProcess, runCdktf, startCdktf } from "../support/cdktf";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp, emulatorEnvironment } from "../support/emulator-app";
import { certificates, cnameRecords, listenersByPort, waitFor } from "../support/emulator-aws";

const ZONES = { "example.com": "Z0000000000000000003" };
/** Longer than any test runs: a certificate stays PENDING_VALIDATION until a test shortens the wait. */
const STUCK_SECONDS = 3600;

function environmentFor(emulator: Emulator, name: string, validationTimeout: string): EnvironmentConfig {
  return emulatorEnvironment(emulator, {
    name,
    domainName: `${name}.example.com`,
    hostedZones: ZONES,
    targetGroupArn: emulator.seeded.targetGroupArn,
    validationTimeout,
  });
}

describeWithEmulator("deploy faults against the AWS emulator", () => {
  let emulator: Emulator;
  const apps: EmulatorApp[] = [];
  const processes: CdktfProcess[] = [];

  beforeEach(async () => {
    // One emulator per test: each starts from an ALB without listeners and a certificate that will not issue.
    emulator = await startEmulator({ hostedZones: ZONES, loadBalancerName: "edge-faults" }, { acmValidationWaitSeconds: STUCK_SECONDS });
  });
  afterEach(async () => {
    // A failed assertion must not leave a deploy running.
    for (const deploy of processes.splice(0)) {
      deploy.kill("SIGKILL");
      await deploy.result;
    }
    await emulator?.stop();
    for (const app of apps.splice(0)) app.cleanup();
  });

  test("ACM slower than validationTimeout fails the apply naming the timeout, with no HTTPS listener, and a re-run converges", async () => {
    const app = createEmulatorApp([environmentFor(emulator, "slow", "20s")]);
    apps.push(app);
    const options = { cwd: app.dir, env: { ...emulator.env, ...app.env } };

    const failed = await runCdktf(cdktfArgs("deploy", "tls-slow"), options);

    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(/timeout while waiting for state to become 'ISSUED'.*timeout: 20s/s);
    const [pending] = await certificates(emulator);
    expect(pending.Status).toBe("PENDING_VALIDATION");
    // The HTTPS listener depends on the validation, so it never points at an unissued certificate.
    const listeners = await listenersByPort(emulator);
    expect(listeners[443]).toBeUndefined();
    expect(Object.values(listeners).flatMap((l) => l.Certificates ?? [])).toEqual([]);

    // ACM catches up; the next deploy finishes the job with the same certificate.
    await emulator.setAcmValidationWait(0);
    await cdktf(cdktfArgs("deploy", "tls-slow"), options);

    const certs = await certificates(emulator);
    expect(certs.map((c) => [c.CertificateArn, c.Status])).toEqual([[pending.CertificateArn, "ISSUED"]]);
    const https = (await listenersByPort(emulator))[443];
    expect(https.Certificates?.map((c) => c.CertificateArn)).toEqual([pending.CertificateArn]);
    expect((await cdktf(cdktfArgs("diff", "tls-slow"), options)).output).toMatch(/No changes\./);
  });

  test("an apply killed after the certificate was created is recovered by the next deploy with nothing duplicated", async () => {
    const app = createEmulatorApp([environmentFor(emulator, "killed", "30m")]);
    apps.push(app);
    const options = { cwd: app.dir, env: { ...emulator.env, ...app.env } };
    const acm = emulator.client(ACMClient);

    const deploy = startCdktf(cdktfArgs("deploy", "tls-killed"), options);
    processes.push(deploy);
    // The certificate exists and terraform has moved on to its validation record (or further): kill it there.
    await waitFor("the certificate to be requested", async () => {
      const list = await acm.send(new ListCertificatesCommand({}));
      return (list.CertificateSummaryList ?? []).length > 0 || undefined;
    });
    await waitFor("terraform to start on the validation record", async () =>
      /aws_route53_record\.\S+ \([^)]*\): Creating\.\.\./.test(deploy.output()) || undefined,
    );
    deploy.kill("SIGKILL");
    const killed = await deploy.result;
    expect(killed.signal ?? killed.code).not.toBe(0);
    const [first] = await certificates(emulator);

    await emulator.setAcmValidationWait(0);
    await cdktf(cdktfArgs("deploy", "tls-killed"), options);

    const certs = await certificates(emulator);
    expect(certs.map((c) => c.CertificateArn)).toEqual([first.CertificateArn]);
    expect(certs[0].Status).toBe("ISSUED");
    expect(await cnameRecords(emulator, ZONES["example.com"])).toHaveLength(1);
    const listeners = await listenersByPort(emulator);
    expect(Object.keys(listeners).sort()).toEqual(["443", "80"]);
    expect((await cdktf(cdktfArgs("diff", "tls-killed"), options)).output).toMatch(/No changes\./);
  });

  test("credentials for another account than accountId stop the deploy before anything is created", async () => {
    // The emulator's credentials are account 123456789012; this environment belongs to another one.
    const other = "210987654321";
    const environment = environmentFor(emulator, "wrongaccount", "5m");
    const app = createEmulatorApp([
      {
        ...environment,
        accountId: other,
        loadBalancerArn: environment.loadBalancerArn.replace(EMULATOR_ACCOUNT, other),
        targetGroupArn: environment.targetGroupArn!.replace(EMULATOR_ACCOUNT, other),
      },
    ]);
    apps.push(app);

    const result = await runCdktf(cdktfArgs("deploy", "tls-wrongaccount"), { cwd: app.dir, env: { ...emulator.env, ...app.env } });

    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/AWS account ID not allowed: 123456789012/);
    expect(await certificates(emulator)).toEqual([]);
    expect(await listenersByPort(emulator)).toEqual({});
  });
});
