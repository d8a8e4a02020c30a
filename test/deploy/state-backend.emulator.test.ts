/**
 * The S3 state backend against the moto AWS emulator: state lands under the configured key, and S3-native locking
 * (`use_lockfile`) stops a second concurrent apply of the same stack while the first completes.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { spawnSync } from "child_process";
import * as path from "path";
import { cdktf, cdktfArgs, CdktfProcess, startCdktf } from "../support/cdktf";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp, emulatorEnvironment } from "../support/emulator-app";
import { certificates, dynamodbItems, listenersByPort, waitFor } from "../support/emulator-aws";

const STACK = "tls-remote";
const BUCKET = "tls-edge-state";
const KEY = "edge/remote/terraform.tfstate";
const ZONES = { "example.com": "Z0000000000000000004" };

describeWithEmulator("S3 state with S3-native locking against the AWS emulator", () => {
  let emulator: Emulator;
  const apps: EmulatorApp[] = [];
  const processes: CdktfProcess[] = [];

  beforeAll(async () => {
    // Long enough that the first apply is still waiting for ACM, holding the lock, when the second one starts.
    emulator = await startEmulator({ hostedZones: ZONES, buckets: [BUCKET], loadBalancerName: "edge-remote" }, { acmValidationWaitSeconds: 3600 });
  });
  afterAll(async () => {
    // A failed assertion must not leave the first apply running.
    for (const deploy of processes) deploy.kill("SIGKILL");
    await Promise.all(processes.map((deploy) => deploy.result));
    await emulator?.stop();
    for (const app of apps) app.cleanup();
  });

  test("a second concurrent apply fails on Terraform's state lock while the first completes, and state stays consistent", async () => {
    const environment = emulatorEnvironment(emulator, {
      name: "remote",
      domainName: "remote.example.com",
      hostedZones: ZONES,
      targetGroupArn: emulator.seeded.targetGroupArn,
      validationTimeout: "10m",
      stateBackend: { s3: { bucket: BUCKET, key: KEY } },
    });
    // Two working copies, as two people (or two pipelines) deploying the same environment would have.
    const [first, second] = [createEmulatorApp([environment]), createEmulatorApp([environment])];
    apps.push(first, second);
    const options = (app: EmulatorApp) => ({ cwd: app.dir, env: { ...emulator.env, ...app.env } });
    const s3 = emulator.client(S3Client);
    const objectKeys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key);

    const running = startCdktf(cdktfArgs("deploy", STACK), options(first));
    processes.push(running);
    await waitFor("the first apply to take the lock", async () => ((await objectKeys()).includes(`${KEY}.tflock`) ? true : undefined));

    const blocked = await cdktf(cdktfArgs("deploy", STACK), options(second)).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(blocked).toMatch(/Error acquiring the state lock/);
    expect(blocked).toMatch(new RegExp(`Path:\\s+${BUCKET}/${KEY}\\s`));
    expect(blocked).toMatch(/Operation:\s+OperationTypeApply/);

    // ACM issues; the first apply, still holding the lock, finishes.
    await emulator.setAcmValidationWait(0);
    const done = await running.result;
    expect(done.code).toBe(0);

    expect(await objectKeys()).toEqual([KEY]);
    const state = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))).Body!.transformToString());
    const [cert] = await certificates(emulator);
    const stateCertificate = state.resources.find((r: any) => r.type === "aws_acm_certificate");
    expect(stateCertificate.instances[0].attributes.arn).toBe(cert.CertificateArn);
    expect(await certificates(emulator)).toHaveLength(1);
    expect(Object.keys(await listenersByPort(emulator)).sort()).toEqual(["443", "80"]);

    // Both working copies read the same state: neither sees anything to do.
    for (const app of [second, first]) {
      expect((await cdktf(cdktfArgs("diff", STACK), options(app))).output).toMatch(/No changes\./);
    }
  });
});

describeWithEmulator("S3 state with a DynamoDB lock table during the move to S3-native locking, against the AWS emulator", () => {
  const LOCK_TABLE = "terraform-locks";
  const LEGACY_KEY = "edge/legacy/terraform.tfstate";
  let emulator: Emulator;
  let app: EmulatorApp | undefined;
  let running: CdktfProcess | undefined;

  beforeAll(async () => {
    emulator = await startEmulator(
      { hostedZones: ZONES, buckets: [BUCKET], dynamodbTables: [LOCK_TABLE], loadBalancerName: "edge-legacy" },
      { acmValidationWaitSeconds: 3600 },
    );
  });
  afterAll(async () => {
    running?.kill("SIGKILL");
    await running?.result;
    await emulator?.stop();
    app?.cleanup();
  });

  test("with dynamodbTable an apply holds both the DynamoDB lock and the S3 lock file, and releases both", async () => {
    app = createEmulatorApp([
      emulatorEnvironment(emulator, {
        name: "legacy",
        domainName: "legacy.example.com",
        hostedZones: ZONES,
        validationTimeout: "10m",
        stateBackend: { s3: { bucket: BUCKET, key: LEGACY_KEY, dynamodbTable: LOCK_TABLE } },
      }),
    ]);
    const s3 = emulator.client(S3Client);
    const objectKeys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key);
    const lockIds = async () => (await dynamodbItems(emulator, LOCK_TABLE)).map((item) => item.LockID);

    running = startCdktf(cdktfArgs("deploy", "tls-legacy"), { cwd: app.dir, env: { ...emulator.env, ...app.env } });
    // An older Terraform (or an older checkout) honours only the DynamoDB lock, a newer one only needs the lock file:
    // while both are held, neither can run beside this apply.
    await waitFor("the apply to hold the DynamoDB lock", async () => ((await lockIds()).includes(`${BUCKET}/${LEGACY_KEY}`) ? true : undefined));
    expect(await objectKeys()).toContain(`${LEGACY_KEY}.tflock`);

    await emulator.setAcmValidationWait(0);
    const done = await running.result;
    expect(done.code).toBe(0);
    expect(await objectKeys()).toEqual([LEGACY_KEY]);
    // What stays in the table is the state's checksum, which the DynamoDB lock keeps beside the lock.
    expect(await lockIds()).toEqual([`${BUCKET}/${LEGACY_KEY}-md5`]);
  });
});

describeWithEmulator("moving a deployed stack from local state to S3, against the AWS emulator", () => {
  const MIGRATED_KEY = "edge/moved/terraform.tfstate";
  let emulator: Emulator;
  let app: EmulatorApp | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ hostedZones: ZONES, buckets: [BUCKET], loadBalancerName: "edge-moved" }, { acmValidationWaitSeconds: 1 });
  });
  afterAll(async () => {
    await emulator?.stop();
    app?.cleanup();
  });

  test("synth, terraform init -reconfigure and state push of the local state file move the stack, which then changes nothing", async () => {
    const local = emulatorEnvironment(emulator, { name: "moved", domainName: "moved.example.com", hostedZones: ZONES, validationTimeout: "5m" });
    app = createEmulatorApp([local]);
    const options = { cwd: app.dir, env: { ...emulator.env, ...app.env } };
    await cdktf(cdktfArgs("deploy", "tls-moved"), options);
    const [certificate] = await certificates(emulator);
    const listeners = await listenersByPort(emulator);

    // The README's procedure: the local state file stays at the project root, outside cdktf.out.
    app.writeEnvironments([{ ...local, stateBackend: { s3: { bucket: BUCKET, key: MIGRATED_KEY } } }]);
    await cdktf(["synth"], options);
    const terraform = (...args: string[]) => {
      const result = spawnSync("terraform", [`-chdir=${app!.stackDir("tls-moved")}`, ...args], { env: options.env, encoding: "utf8", timeout: 240_000 });
      if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    };
    terraform("init", "-input=false", "-no-color", "-reconfigure");
    terraform("state", "push", path.join(app.dir, "terraform.tls-moved.tfstate"));

    expect((await cdktf(cdktfArgs("diff", "tls-moved"), options)).output).toMatch(/No changes\./);
    const s3 = emulator.client(S3Client);
    const state = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: MIGRATED_KEY }))).Body!.transformToString());
    const arns = state.resources.flatMap((r: any) => r.instances.map((i: any) => i.attributes.arn)).filter(Boolean);
    expect(arns).toEqual(expect.arrayContaining([certificate.CertificateArn, listeners[80].ListenerArn, listeners[443].ListenerArn]));
    expect((await certificates(emulator)).map((c) => c.CertificateArn)).toEqual([certificate.CertificateArn]);
  });
});
