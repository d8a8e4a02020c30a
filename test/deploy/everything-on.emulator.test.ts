/**
 * On the AWS emulator (moto, real cdktf CLI, real Terraform and provider): the everything-on fixture deployed and
 * destroyed, every feature read back through the emulator's own API — what AWS would say, not what Terraform says.
 *
 * Departures from test/fixtures/everything-on.ts, each forced by the emulator (docs/testing.md: "What the emulator
 * proves"):
 * - no `mutualTls`: moto has no trust-store API (the real-Terraform plan gate is the proof for it and its revocation
 *   lists);
 * - the load balancer and target group are the ones the emulator seeded (moto makes its own ARNs);
 * - the hosted zones live in a second account (210987654321), reached only through `dnsRoleArn`: moto's STS hands out
 *   credentials that act in the role's account, so a record created with the stack's own credentials would land in
 *   an account with no zones and fail.
 * The EC default certificate stays EC (rsaFallback needs it); moto reports RSA_2048 for it, which only matters for a
 * second deploy, and this suite deploys once.
 * - the alarm topic is the bootstrap stack's (`expiryAlarm.topic: "bootstrap"`), as for every pipeline environment: the
 *   suite first applies the real tls-bootstrap stack for this environment (state bucket, roles, the topic with its
 *   key and e-mail subscription) with the pipeline's scripts.
 * State is in S3, in the bucket the bootstrap stack created, so every call a pipeline's deploy, plan and destroy
 * make (state included) is checked against the bootstrap roles' policies (lib/bootstrap/bootstrap-policies.ts), from the
 * emulator's request log.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeListenerAttributesCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListHostedZonesCommand, ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { EnvironmentConfig } from "../../lib";
import { deployPolicy, dnsReadRolePolicy, dnsRolePolicy, PolicyDocument, PolicyStatement, planPolicy } from "../../lib/bootstrap/bootstrap-policies";
import { everythingOn } from "../fixtures/everything-on";
import { cdktf, cdktfArgs } from "../support/cdktf";
import { applyBootstrap } from "../support/bootstrap";
import { describeWithEmulator, Emulator, EMULATOR_ACCOUNT, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp } from "../support/emulator-app";
import { ApiCall, callsDuring } from "../support/emulator-aws";
import { FAULT_KINDS, FaultEvent, faultsDuring, faultsNotRetried, formatFaultReport, tallyFaults } from "../support/emulator-faults";
import { callsNotAllowed, resourceMatches } from "../support/iam-policy";

const DNS_ACCOUNT = "210987654321";
const STACK = `tls-${everythingOn.name}`;
const STATE_BUCKET = "acme-tls-edge-state";
/**
 * A tenth of the provider's Route53, ELB and ACM calls fail with a throttling error or a 5xx (emulator_faults.py). A 500
 * loses the answer of a call that completed, except for two calls whose retry AWS itself refuses (docs/testing.md,
 * "Throttling and 5xx"): a Route53 batch that CREATEs (the CAA sets; "already exists", and the next deploy fails the same
 * way) and DeleteListener (ListenerNotFound, which provider 5.100.0 does not take for done; the next destroy converges).
 * Decisions are drawn per call of each action, whatever order Terraform makes the calls in; seed 85309 loses the answers
 * of the first RequestCertificate, the second CreateListener and the third AddListenerCertificates, answers the third
 * Route53 change batch with PriorRequestNotComplete, and, within the calls every run makes, sends every error of
 * FAULT_KINDS (test/support/emulator-faults.ts).
 */
const FAULTS = { share: 0.1, seed: 85309, keepAnswers: ["route53 ChangeResourceRecordSets CREATE", "elbv2 DeleteListener"] };

/** Plan lines that change an attribute ("a -> b") and that the emulator's KeyAlgorithm quirk does not explain. */
function changesBeyondKeyAlgorithmQuirk(planOutput: string): string[] {
  return planOutput
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.includes(" -> "))
    .filter(
      (line) =>
        // moto issues every certificate as RSA_2048, so each EC certificate is replaced...
        !/~ key_algorithm\s+= "RSA_2048" -> "EC_prime256v1" # forces replacement$/.test(line) &&
        // ...and what refers to its ARN follows: values known after apply, attributes a replacement drops.
        !/ -> \(known after apply\)(,| # forces replacement)?$/.test(line) &&
        !/ -> null$/.test(line),
    );
}

function statementOf(policy: PolicyDocument, sid: string): PolicyStatement {
  const statement = policy.Statement.find((s) => s.Sid === sid);
  if (statement === undefined) throw new Error(`no statement ${sid} in the policy`);
  return statement;
}

/** The Resource patterns of a policy's statement, by Sid. */
function resourcesOf(policy: PolicyDocument, sid: string): string[] {
  return [statementOf(policy, sid).Resource ?? "*"].flat();
}

/** True when the statement's Resource patterns cover `arn`. */
function scopeCovers(policy: PolicyDocument, sid: string, arn: string): boolean {
  return resourcesOf(policy, sid).some((pattern) => resourceMatches(pattern, arn));
}

/** The values a statement's conditions expect for `key`, under whichever operator. */
function conditionValues(policy: PolicyDocument, sid: string, key: string): string[] {
  return Object.values(statementOf(policy, sid).Condition ?? {}).flatMap((keys) => (key in keys ? [keys[key]].flat().map(String) : []));
}

/** The certificate name sets the configuration asks for (oracle: written from the field semantics, not the code). */
function expectedCertificates(config: EnvironmentConfig): string[][] {
  const primary = [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
  const additional = (config.additionalCertificates ?? []).map((c) => [c.domainName, ...(c.subjectAlternativeNames ?? [`*.${c.domainName}`])]);
  // rsaFallback: an RSA twin and an EC twin of the default certificate, for the same names.
  return [primary, ...additional, ...(config.rsaFallback ? [primary, primary] : [])];
}

/** The zone apex a name validates in: the longest configured suffix. */
function apexOf(name: string, apexes: readonly string[]): string {
  const bare = name.replace(/^\*\./, "");
  return apexes.filter((apex) => bare === apex || bare.endsWith(`.${apex}`)).sort((a, b) => b.length - a.length)[0];
}

describeWithEmulator("the everything-on environment on the AWS emulator", () => {
  let emulator: Emulator;
  let app: EmulatorApp;
  let config: EnvironmentConfig;
  let requestLog: string;
  let dnsRoute53: Route53Client;
  let deployCalls: ApiCall[];
  /** Fault events and wall time per cdktf command, reported after the suite. */
  const phases: Array<{ phase: string; events: FaultEvent[]; seconds: number }> = [];
  /** Runs a cdktf command, recording the faults injected while it ran; throws on a non-zero exit. */
  async function runPhase(phase: "deploy" | "diff" | "destroy", env: NodeJS.ProcessEnv = {}) {
    const options = { cwd: app.dir, env: { ...emulator.env, ...app.env, ...env } };
    const { result, events, seconds } = await faultsDuring(emulator.faultLog!, () => cdktf(cdktfArgs(phase, STACK), options).catch((error: Error) => error));
    phases.push({ phase, events, seconds });
    if (result instanceof Error) throw result;
    return { result, events };
  }
  const inAccount = (calls: readonly ApiCall[], account: string) => calls.filter((c) => c.account === account);

  beforeAll(async () => {
    requestLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "everything-on-log-")), "requests.log");
    emulator = await startEmulator({ hostedZones: everythingOn.hostedZones, hostedZonesAccount: DNS_ACCOUNT }, { requestLog, faults: FAULTS });
    const { mutualTls: _unsupported, ...withoutMutualTls } = everythingOn;
    config = {
      ...withoutMutualTls,
      loadBalancerArn: emulator.seeded.loadBalancerArn,
      targetGroupArn: emulator.seeded.targetGroupArn,
      stateBackend: { s3: { bucket: STATE_BUCKET } },
      expiryAlarm: { ...(everythingOn.expiryAlarm as object), topic: "bootstrap" },
    };
    // The account is bootstrapped first, as for any pipeline environment: the state bucket, the roles, the alarm topic.
    const bootstrapDir = path.join(path.dirname(requestLog), "bootstrap");
    fs.mkdirSync(bootstrapDir);
    applyBootstrap(emulator, { accountId: EMULATOR_ACCOUNT, region: emulator.region, stateBucketName: STATE_BUCKET, githubRepository: "acme/tls-edge-stack", environments: [config] }, bootstrapDir);
    app = createEmulatorApp([config]);
    deployCalls = await callsDuring(requestLog, () => runPhase("deploy"));
    // Read the DNS account the way the stack writes to it: through the role.
    const assumed = await emulator.client(STSClient).send(new AssumeRoleCommand({ RoleArn: config.dnsRoleArn!, RoleSessionName: "test-reader" }));
    const credentials = assumed.Credentials!;
    dnsRoute53 = new Route53Client({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken! },
    });
  });

  afterAll(async () => {
    // How many faults each phase met and retried, and what the retries' backoff added up to.
    if (phases.length > 0) console.log(phases.map(({ phase, events, seconds }) => formatFaultReport(`cdktf ${phase}`, events, seconds)).join("\n\n"));
    app?.cleanup();
    await emulator?.stop();
    if (requestLog) fs.rmSync(path.dirname(requestLog), { recursive: true, force: true });
  });

  async function certificates() {
    const acm = emulator.client(ACMClient);
    const summaries = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [];
    return Promise.all(summaries.map(async (s) => (await acm.send(new DescribeCertificateCommand({ CertificateArn: s.CertificateArn }))).Certificate!));
  }

  async function httpsListener() {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    return listeners.find((l) => l.Protocol === "HTTPS" && l.Port === 443);
  }

  async function recordSets(client: Route53Client, zoneId: string): Promise<ResourceRecordSet[]> {
    return (await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
  }

  test("the deploy met throttling errors and 5xx from ACM, ELB and Route53, and the provider retried every one", () => {
    const [deploy] = phases;
    const injected = deploy.events.filter((e) => e.event === "injected");
    expect([...new Set(injected.map((e) => e.service))].sort()).toEqual(["acm", "elbv2", "route53"]);
    expect(injected.map((e) => e.error)).toContain("PriorRequestNotComplete");
    // Creates whose answer was lost: the retry must not make a second certificate, listener or attachment (checked below).
    const lostAnswers = injected.filter((e) => e.when === "after").map((e) => `${e.service} ${e.action}`);
    expect(lostAnswers).toEqual(expect.arrayContaining(["acm RequestCertificate", "elbv2 CreateListener", "elbv2 AddListenerCertificates"]));
    expect(faultsNotRetried(deploy.events)).toEqual([]);
  });

  test("every configured certificate is issued with exactly its names, and nothing else is requested", async () => {
    const issued = await certificates();
    expect(issued.map((c) => c.Status)).toEqual(issued.map(() => "ISSUED"));
    const nameSets = issued.map((c) => [c.DomainName!, ...(c.SubjectAlternativeNames ?? []).filter((n) => n !== c.DomainName)].sort().join(","));
    expect(nameSets.sort()).toEqual(expectedCertificates(config).map((names) => [...names].sort().join(",")).sort());
  });

  test("the HTTPS listener sends the configured HSTS header (read back with DescribeListenerAttributes)", async () => {
    const listener = (await httpsListener())!;
    const attributes = (await emulator.client(ElasticLoadBalancingV2Client).send(new DescribeListenerAttributesCommand({ ListenerArn: listener.ListenerArn })))
      .Attributes ?? [];
    const hsts = attributes.find((a) => a.Key === "routing.http.response.strict_transport_security.header_value");
    const { maxAgeSeconds, includeSubDomains, preload } = config.hsts as { maxAgeSeconds: number; includeSubDomains?: boolean; preload?: boolean };
    expect(hsts?.Value).toBe([`max-age=${maxAgeSeconds}`, ...(includeSubDomains ? ["includeSubDomains"] : []), ...(preload ? ["preload"] : [])].join("; "));
  });

  /** A listener's attributes as the emulator's ELB API reports them. */
  async function listenerAttributes(port: number): Promise<Record<string, string | undefined>> {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    const listener = listeners.find((l) => l.Port === port)!;
    const attributes = (await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: listener.ListenerArn }))).Attributes ?? [];
    return Object.fromEntries(attributes.map((a) => [a.Key!, a.Value]));
  }

  test("the HTTPS listener sends the configured security headers, and neither listener the Server header (DescribeListenerAttributes)", async () => {
    const headers = config.securityHeaders as { xContentTypeOptions: string; xFrameOptions: string; contentSecurityPolicy: string; serverHeader: boolean };
    expect(await listenerAttributes(443)).toMatchObject({
      "routing.http.response.x_content_type_options.header_value": headers.xContentTypeOptions,
      "routing.http.response.x_frame_options.header_value": headers.xFrameOptions,
      "routing.http.response.content_security_policy.header_value": headers.contentSecurityPolicy,
      "routing.http.response.server.enabled": String(headers.serverHeader),
    });
    const http = await listenerAttributes(80);
    expect(http["routing.http.response.server.enabled"]).toBe("false");
    expect(Object.keys(http).filter((key) => key.endsWith(".header_value"))).toEqual([]);
  });

  test("every certificate is served: the default one and the rest by SNI (DescribeListenerCertificates)", async () => {
    const listener = (await httpsListener())!;
    const served = (await emulator.client(ElasticLoadBalancingV2Client).send(new DescribeListenerCertificatesCommand({ ListenerArn: listener.ListenerArn })))
      .Certificates ?? [];
    const all = (await certificates()).map((c) => c.CertificateArn!);
    expect(new Set(served.map((c) => c.CertificateArn))).toEqual(new Set(all));
    const defaults = served.filter((c) => c.IsDefault).map((c) => c.CertificateArn);
    expect(defaults).toEqual([listener.Certificates![0].CertificateArn]);
    // The default certificate is never in the SNI list (ELB would refuse to remove it again), each SNI entry once.
    const sni = served.filter((c) => !c.IsDefault).map((c) => c.CertificateArn);
    expect(sni).not.toContain(defaults[0]);
    expect(new Set(sni).size).toBe(sni.length);
    expect(sni).toHaveLength(all.length - 1);
  });

  test("each hosted zone used by a certificate name has the CAA set: issue, issuewild for wildcards, iodef", async () => {
    const apexes = Object.keys(config.hostedZones);
    const names = expectedCertificates(config).flat();
    const caa = config.caa!;
    for (const apex of apexes) {
      const under = names.filter((n) => apexOf(n, apexes) === apex);
      const sets = await recordSets(dnsRoute53, config.hostedZones[apex]);
      const found = sets.filter((s) => s.Type === "CAA");
      if (under.length === 0) {
        expect(found).toEqual([]);
        continue;
      }
      expect(found.map((s) => s.Name)).toEqual([`${apex}.`]);
      const issuers = caa.issuers ?? ["amazon.com"];
      const wildcard = under.some((n) => n.startsWith("*."));
      const expected = [
        ...issuers.map((i) => `0 issue "${i}"`),
        ...(wildcard ? issuers.map((i) => `0 issuewild "${i}"`) : []),
        ...(caa.iodef ? [`0 iodef "${caa.iodef}"`] : []),
      ];
      expect(found[0].ResourceRecords!.map((r) => r.Value).sort()).toEqual(expected.sort());
    }
  });

  test("the validation CNAMEs ACM asks for are in the DNS account's zones, and nothing else, and the stack's own account has no zones", async () => {
    const apexes = Object.keys(config.hostedZones);
    const wanted: Record<string, Set<string>> = Object.fromEntries(apexes.map((apex) => [config.hostedZones[apex], new Set<string>()]));
    for (const certificate of await certificates()) {
      for (const option of certificate.DomainValidationOptions ?? []) {
        const record = option.ResourceRecord!;
        wanted[config.hostedZones[apexOf(option.DomainName!, apexes)]].add(`${record.Name} ${record.Value}`);
      }
    }
    for (const [zone, records] of Object.entries(wanted)) {
      const cnames = (await recordSets(dnsRoute53, zone)).filter((s) => s.Type === "CNAME");
      expect(cnames.map((s) => `${s.Name} ${s.ResourceRecords!.map((r) => r.Value).join(",")}`).sort()).toEqual([...records].sort());
    }
    const ownZones = (await emulator.client(Route53Client).send(new ListHostedZonesCommand({}))).HostedZones ?? [];
    expect(ownZones).toEqual([]);
  });

  test("the records were written through sts:AssumeRole of the DNS role, in the zones' account only", () => {
    expect(inAccount(deployCalls, EMULATOR_ACCOUNT).map((c) => c.call)).toContain("sts AssumeRole");
    expect(inAccount(deployCalls, EMULATOR_ACCOUNT).map((c) => c.service)).not.toContain("route53");
    expect(inAccount(deployCalls, DNS_ACCOUNT).filter((c) => c.call === "route53 ChangeResourceRecordSets").length).toBeGreaterThan(0);
  });

  test("every call of the deploy is one the bootstrap's deploy role may make, and each in the zones' account one the DNS role may make", () => {
    const own = inAccount(deployCalls, EMULATOR_ACCOUNT);
    // The deploy exercised every feature's calls (so an empty list below means something), state in S3 included.
    for (const call of [
      "acm RequestCertificate",
      "elbv2 CreateListener",
      "elbv2 ModifyListenerAttributes",
      "elbv2 AddListenerCertificates",
      "cloudwatch PutMetricAlarm",
      "events PutRule",
      "events PutTargets",
      "sts AssumeRole",
      "s3 PutObject",
    ]) {
      expect(own.map((c) => c.call)).toContain(call);
    }
    expect(callsNotAllowed(deployPolicy(config, STATE_BUCKET), own)).toEqual([]);
    expect(callsNotAllowed(dnsRolePolicy(config), inAccount(deployCalls, DNS_ACCOUNT))).toEqual([]);
    // The check discriminates: the read-only plan role may make none of the deploy's writes.
    const writes = callsNotAllowed(planPolicy(config, STATE_BUCKET), own).map((c) => c.split(" ")[0]);
    expect(writes).toEqual(expect.arrayContaining(["acm:RequestCertificate", "elasticloadbalancing:CreateListener", "events:PutRule", "s3:PutObject"]));
    // Nothing else: every call acted in one of the two accounts.
    expect(deployCalls.filter((c) => c.account !== EMULATOR_ACCOUNT && c.account !== DNS_ACCOUNT)).toEqual([]);
  });

  test("the deploy makes no SNS or KMS call: the alarms and the renewal-event rule notify the bootstrap stack's topic", async () => {
    expect(deployCalls.filter((c) => c.service === "sns" || c.service === "kms").map((c) => c.call)).toEqual([]);
    const topic = `arn:aws:sns:${emulator.region}:${EMULATOR_ACCOUNT}:${STACK}-certificate-expiry`;
    const alarms = (await emulator.client(CloudWatchClient).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    expect([...new Set(alarms.flatMap((a) => [...(a.AlarmActions ?? []), ...(a.OKActions ?? [])]))]).toEqual([topic]);
    const targets = (await emulator.client(EventBridgeClient).send(new ListTargetsByRuleCommand({ Rule: `${STACK}-certificate-events` }))).Targets ?? [];
    expect(targets.map((t) => t.Arn)).toEqual([topic]);
  });

  test("the renewal-event rule matches ACM's renewal-failure events of the stack's certificates and no other certificate's (TestEventPattern)", async () => {
    const events = emulator.client(EventBridgeClient);
    const pattern = (await events.send(new DescribeRuleCommand({ Name: `${STACK}-certificate-events` }))).EventPattern!;
    const event = (detailType: string, resource: string) =>
      JSON.stringify({
        id: "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": detailType,
        source: "aws.acm",
        account: EMULATOR_ACCOUNT,
        time: "2026-12-04T00:00:00Z",
        region: emulator.region,
        resources: [resource],
        detail: {},
      });
    const matches = async (detailType: string, resource: string) => (await events.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event(detailType, resource) }))).Result;
    const own = (await certificates()).map((c) => c.CertificateArn!);
    expect(own).toHaveLength(expectedCertificates(config).length);
    for (const arn of own) {
      expect([arn, await matches("ACM Certificate Renewal Action Required", arn)]).toEqual([arn, true]);
      expect([arn, await matches("ACM Certificate Expired", arn)]).toEqual([arn, true]);
      // ACM's routine notice is not a failure.
      expect([arn, await matches("ACM Certificate Approaching Expiration", arn)]).toEqual([arn, false]);
    }
    expect(await matches("ACM Certificate Renewal Action Required", `arn:aws:acm:${emulator.region}:${EMULATOR_ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`)).toBe(false);
  });

  test("everything the deploy created lies inside the resource scopes of the deploy role's statements", async () => {
    const policy = deployPolicy(config, STATE_BUCKET);
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    expect(listeners).toHaveLength(2);
    for (const listener of listeners) expect(scopeCovers(policy, "ListenersManage", listener.ListenerArn!)).toBe(true);
    for (const certificate of await certificates()) expect(scopeCovers(policy, "CertificatesManage", certificate.CertificateArn!)).toBe(true);
    const alarms = (await emulator.client(CloudWatchClient).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(scopeCovers(policy, "AlarmsManage", alarm.AlarmArn!)).toBe(true);
    expect(scopeCovers(policy, "RenewalEventsManage", `arn:aws:events:${emulator.region}:${EMULATOR_ACCOUNT}:rule/${STACK}-certificate-events`)).toBe(true);
    // The records, in the zones' account: the names the DNS role's conditions allow, by type.
    const dns = dnsRolePolicy(config);
    const allowedNames = (sid: string) => conditionValues(dns, sid, "route53:ChangeResourceRecordSetsNormalizedRecordNames");
    for (const zone of Object.values(config.hostedZones)) {
      expect(resourcesOf(dns, "ValidationRecordsWrite")).toContain(`arn:aws:route53:::hostedzone/${zone}`);
      for (const set of await recordSets(dnsRoute53, zone)) {
        const name = set.Name!.replace(/\.$/, "");
        if (set.Type === "CNAME") expect(allowedNames("ValidationRecordsWrite").some((p) => resourceMatches(p, name))).toBe(true);
        if (set.Type === "CAA") expect(allowedNames("CaaRecordsWrite")).toContain(name);
      }
    }
  });

  test("a plan of the deployed stack (cdktf diff, with the read-only DNS role as scripts/ci/plan names it), faults retried, shows only the emulator's KeyAlgorithm quirk and makes only calls the plan role and the reading DNS role may make", async () => {
    const readRole = `${config.dnsRoleArn}-read`;
    let output = "";
    let events: FaultEvent[] = [];
    const calls = await callsDuring(requestLog, async () => {
      const run = await runPhase("diff", { TF_VAR_dns_role_arn: readRole });
      output = run.result.output;
      events = run.events;
    });
    expect(faultsNotRetried(events)).toEqual([]);
    // Nothing to create or delete, and no change but the emulator's KeyAlgorithm quirk and what follows from it.
    expect(output).toMatch(/Plan: \d+ to add, \d+ to change, \d+ to destroy\./);
    expect(output).not.toMatch(/ will be (created|destroyed)$/m);
    expect(changesBeyondKeyAlgorithmQuirk(output)).toEqual([]);
    // One such replacement per certificate the stack requests with an EC key (moto issues them all as RSA_2048).
    const requested = JSON.parse(fs.readFileSync(path.join(app.stackDir(STACK), "cdk.tf.json"), "utf8")).resource.aws_acm_certificate;
    const ec = Object.values(requested as Record<string, { key_algorithm?: string }>).filter((c) => c.key_algorithm !== "RSA_2048");
    expect(ec.length).toBeGreaterThan(0);
    expect(output.match(/~ key_algorithm\s+= "RSA_2048" -> "EC_prime256v1"/g)).toHaveLength(ec.length);
    const own = inAccount(calls, EMULATOR_ACCOUNT);
    expect(own.map((c) => c.call)).toEqual(expect.arrayContaining(["acm DescribeCertificate", "cloudwatch DescribeAlarms", "events DescribeRule", "s3 GetObject"]));
    expect(callsNotAllowed(planPolicy(config, STATE_BUCKET), own)).toEqual([]);
    // The plan assumed the reading DNS role only, and through it only read.
    expect(own.filter((c) => c.call === "sts AssumeRole").map((c) => c.resource)).toEqual(expect.arrayContaining([readRole]));
    expect(own.filter((c) => c.call === "sts AssumeRole").map((c) => c.resource)).not.toContain(config.dnsRoleArn);
    const dnsCalls = inAccount(calls, DNS_ACCOUNT);
    expect(dnsCalls.map((c) => c.call)).toContain("route53 ListResourceRecordSets");
    expect(callsNotAllowed(dnsReadRolePolicy(config), dnsCalls)).toEqual([]);
    // The check discriminates: the deploy's DNS writes are refused under the reading role's policy.
    expect(callsNotAllowed(dnsReadRolePolicy(config), inAccount(deployCalls, DNS_ACCOUNT)).map((c) => c.split(" ")[0])).toContain("route53:ChangeResourceRecordSets");
  });

  test("each certificate has a DaysToExpiry alarm below the threshold, notifying the topic with the e-mail subscription", async () => {
    const alarms = (await emulator.client(CloudWatchClient).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    const arns = (await certificates()).map((c) => c.CertificateArn!);
    const watched = alarms.map((a) => a.Dimensions?.find((d) => d.Name === "CertificateArn")?.Value);
    expect(new Set(watched)).toEqual(new Set(arns));
    expect(alarms).toHaveLength(arns.length);
    const expiry = config.expiryAlarm as { daysBeforeExpiry: number; email?: string };
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: "AWS/CertificateManager",
        MetricName: "DaysToExpiry",
        ComparisonOperator: "LessThanThreshold",
        Threshold: expiry.daysBeforeExpiry,
      });
    }
    const topics = new Set(alarms.flatMap((a) => a.AlarmActions ?? []));
    expect(topics.size).toBe(1);
    const [topic] = [...topics];
    const subscriptions = (await emulator.client(SNSClient).send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions ?? [];
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([["email", expiry.email]]);
  });

  test("destroy, faults retried, removes the listeners, certificates, records and alarms and leaves the load balancer and zones, with the deploy role's calls only", async () => {
    let events: FaultEvent[] = [];
    const calls = await callsDuring(requestLog, async () => {
      events = (await runPhase("destroy")).events;
    });
    expect(faultsNotRetried(events)).toEqual([]);
    expect(calls.map((c) => c.call)).toEqual(expect.arrayContaining(["elbv2 RemoveListenerCertificates", "cloudwatch DeleteAlarms", "events DeleteRule", "events RemoveTargets"]));
    expect(callsNotAllowed(deployPolicy(config, STATE_BUCKET), inAccount(calls, EMULATOR_ACCOUNT))).toEqual([]);
    expect(callsNotAllowed(dnsRolePolicy(config), inAccount(calls, DNS_ACCOUNT))).toEqual([]);
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    expect((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? []).toEqual([]);
    expect(await certificates()).toEqual([]);
    expect((await emulator.client(CloudWatchClient).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).toEqual([]);
    for (const zone of Object.values(config.hostedZones)) {
      const left = (await recordSets(dnsRoute53, zone)).map((s) => s.Type);
      expect(left.sort()).toEqual(["NS", "SOA"]);
    }
  });

  test("over deploy, diff and destroy, each service's every throttling error and 5xx was sent and retried", () => {
    const tally = tallyFaults(phases.flatMap((p) => p.events));
    expect(Object.keys(tally)).toEqual(FAULT_KINDS);
    for (const kind of FAULT_KINDS) expect({ kind, retried: tally[kind].retried }).toEqual({ kind, retried: tally[kind].injected });
  });
});
