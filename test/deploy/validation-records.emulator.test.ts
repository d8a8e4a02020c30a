/**
 * On the AWS emulator (moto, real cdktf CLI, real Terraform and provider): validation CNAMEs survive the replacement
 * of the certificates that use them.
 *
 * Why this test exists: a validation record that Terraform replaces create-before-destroy is created (UPSERT of the
 * same DNS name) and then its old instance is destroyed, which DELETEs that same name: the CNAME is gone, the
 * certificates were already issued so the apply succeeds, and ACM's renewal fails months later. Terraform forces
 * create_before_destroy onto everything a create_before_destroy resource depends on, so one such resource downstream
 * of the records (an SNI attachment, once) is enough. Measured here before the fix: after a second deploy both zones
 * held no validation CNAME at all.
 *
 * keyAlgorithm RSA_2048: the emulator's ACM ignores the key algorithm and reports RSA_2048, so an EC certificate
 * would be replaced on every deploy; here only the configuration change replaces certificates.
 */
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
  DescribeListenerAttributesCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { EnvironmentConfig } from "../../lib";
import { cdktf, cdktfArgs, describeFailure } from "../support/cdktf";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { createEmulatorApp, EmulatorApp, emulatorEnvironment } from "../support/emulator-app";

const ZONES = { "example.com": "Z0REPLACECOM00000001", "example.org": "Z0REPLACEORG00000001" };
const STACK = "tls-replace";

describeWithEmulator("validation records across certificate replacements (AWS emulator)", () => {
  let emulator: Emulator;
  let app: EmulatorApp;
  const config = (overrides: Partial<EnvironmentConfig>): EnvironmentConfig =>
    emulatorEnvironment(emulator, {
      name: "replace",
      domainName: "example.com",
      hostedZones: ZONES,
      targetGroupArn: emulator.seeded.targetGroupArn,
      ...overrides,
    });
  const deploy = async (environment: EnvironmentConfig) => {
    app.writeEnvironments([environment]);
    const options = { cwd: app.dir, env: { ...emulator.env, ...app.env } };
    const result = await cdktf(cdktfArgs("deploy", STACK), options);
    if (result.code !== 0) throw new Error(describeFailure(result, options));
    return result;
  };

  /** Every certificate the HTTPS listener serves (default and SNI list), by ARN. */
  async function servedCertificates(): Promise<string[]> {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    const https = listeners.find((l) => l.Protocol === "HTTPS" && l.Port === 443)!;
    const certificates = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: https.ListenerArn }))).Certificates ?? [];
    return [...new Set(certificates.map((c) => c.CertificateArn!))];
  }

  /** The validation CNAMEs ACM asks for, for every served certificate: "<name> <value>" per distinct name. */
  async function requiredCnames(): Promise<Map<string, string>> {
    const required = new Map<string, string>();
    for (const arn of await servedCertificates()) {
      const certificate = (await emulator.client(ACMClient).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
      for (const option of certificate.DomainValidationOptions ?? []) {
        const record = option.ResourceRecord!;
        required.set(record.Name!.replace(/\.$/, ""), record.Value!.replace(/\.$/, ""));
      }
    }
    return required;
  }

  /** CNAME name -> value, over both zones. */
  async function cnamesInDns(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const zone of Object.values(ZONES)) {
      const sets = (await emulator.client(Route53Client).send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }))).ResourceRecordSets ?? [];
      for (const set of sets.filter((s) => s.Type === "CNAME")) {
        found.set(set.Name!.replace(/\.$/, ""), set.ResourceRecords![0].Value!.replace(/\.$/, ""));
      }
    }
    return found;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ hostedZones: ZONES }, { acmValidationWaitSeconds: 1 });
    app = createEmulatorApp([]);
  });
  afterAll(async () => {
    try {
      if (app !== undefined && emulator !== undefined) {
        await cdktf(cdktfArgs("destroy", STACK), { cwd: app.dir, env: { ...emulator.env, ...app.env } });
      }
    } finally {
      app?.cleanup();
      await emulator?.stop();
    }
  });

  test("the first deploy serves the default and the additional certificate, every validation CNAME in DNS", async () => {
    await deploy(config({ additionalCertificates: [{ domainName: "shop.example.org" }] }));
    expect(await servedCertificates()).toHaveLength(2);
    const required = await requiredCnames();
    expect(required.size).toBeGreaterThan(0);
    const dns = await cnamesInDns();
    for (const [name, value] of required) expect(dns.get(name)).toBe(value);
  });

  test("after both certificates are replaced, every certificate served still has its validation CNAMEs", async () => {
    // GIVEN new names for both certificates, so Terraform replaces them (and the records that read their values)
    const result = await deploy(
      config({
        subjectAlternativeNames: ["*.example.com", "www.example.com"],
        additionalCertificates: [{ domainName: "shop.example.org", subjectAlternativeNames: ["*.shop.example.org", "example.com"] }],
      }),
    );
    expect(result.output).toMatch(/aws_acm_certificate\.Certificate_[0-9A-F]+ \(Certificate\/Certificate\): Destruction complete/);
    // THEN
    const served = await servedCertificates();
    expect(served).toHaveLength(2);
    const required = await requiredCnames();
    const dns = await cnamesInDns();
    const missing = [...required].filter(([name, value]) => dns.get(name) !== value).map(([name]) => name);
    expect(missing).toEqual([]);
    // The new default certificate covers www.example.com, so its record is among the required ones.
    expect([...required.keys()].some((name) => name.endsWith(".www.example.com"))).toBe(true);
  });

  test("rotating an additional certificate attaches the new one before detaching the old: its names are served by SNI throughout", async () => {
    // GIVEN issue takes a few seconds, so a gap between detaching the old certificate and attaching the new one (as
    // when the attachment was replaced destroy-first) would span many samples
    await emulator.setAcmValidationWait(3);
    const acm = emulator.client(ACMClient);
    const namesOf = new Map<string, string[]>();
    const names = async (arn: string) => {
      if (!namesOf.has(arn)) {
        const certificate = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
        namesOf.set(arn, [certificate.DomainName!, ...(certificate.SubjectAlternativeNames ?? [])]);
      }
      return namesOf.get(arn)!;
    };
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    const httpsArn = listeners.find((l) => l.Protocol === "HTTPS" && l.Port === 443)!.ListenerArn!;
    const before = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: httpsArn }))).Certificates!.filter((c) => !c.IsDefault);
    expect(before).toHaveLength(1);
    // WHEN the additional certificate gets another SAN (a replacement), sampling the SNI list all along
    let deploying = true;
    const samples: string[][] = [];
    const sampler = (async () => {
      while (deploying) {
        const sni = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: httpsArn }))).Certificates!.filter((c) => !c.IsDefault);
        samples.push((await Promise.all(sni.map((c) => names(c.CertificateArn!)))).flat());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await deploy(
        config({
          subjectAlternativeNames: ["*.example.com", "www.example.com"],
          additionalCertificates: [{ domainName: "shop.example.org", subjectAlternativeNames: ["*.shop.example.org", "example.com", "cart.example.org"] }],
        }),
      );
    } finally {
      deploying = false;
      await sampler;
      await emulator.setAcmValidationWait(1);
    }
    // THEN the certificate was replaced, and every sample had shop.example.org served by SNI
    const after = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: httpsArn }))).Certificates!.filter((c) => !c.IsDefault);
    expect(after.map((c) => c.CertificateArn)).not.toEqual(before.map((c) => c.CertificateArn));
    expect(await names(after[0].CertificateArn!)).toContain("cart.example.org");
    expect(samples.length).toBeGreaterThan(20);
    const uncovered = samples.filter((sample) => !sample.includes("shop.example.org"));
    expect(uncovered).toEqual([]);
    // And the new certificate's validation CNAMEs are all in DNS (the records were not replaced and deleted).
    const dns = await cnamesInDns();
    const missing = [...(await requiredCnames())].filter(([name, value]) => dns.get(name) !== value).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  test("the HTTPS listener sends the default HSTS header", async () => {
    const elb = emulator.client(ElasticLoadBalancingV2Client);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }))).Listeners ?? [];
    const https = listeners.find((l) => l.Protocol === "HTTPS" && l.Port === 443)!;
    const attributes = (await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: https.ListenerArn }))).Attributes ?? [];
    expect(attributes).toContainEqual({ Key: "routing.http.response.strict_transport_security.header_value", Value: "max-age=31536000" });
  });
});
