/** What the emulator's AWS API says exists: the reads the emulator suites assert on (never Terraform's output). */
import { ACMClient, CertificateDetail, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { DescribeListenersCommand, ElasticLoadBalancingV2Client, Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import * as fs from "fs";
import { Emulator } from "./emulator";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

/** Every ACM certificate in the emulator (all statuses), described; imported ones only when asked. */
export async function certificates(emulator: Emulator, options: { includeImported?: boolean } = {}): Promise<CertificateDetail[]> {
  const acm = emulator.client(ACMClient);
  const list = await acm.send(new ListCertificatesCommand({}));
  const details = await Promise.all(
    (list.CertificateSummaryList ?? []).map(
      async (summary) => (await acm.send(new DescribeCertificateCommand({ CertificateArn: summary.CertificateArn }))).Certificate!,
    ),
  );
  return details.filter((cert) => options.includeImported || cert.Type !== "IMPORTED");
}

/** The load balancer's listeners by port. */
export async function listenersByPort(emulator: Emulator, loadBalancerArn = emulator.seeded.loadBalancerArn): Promise<Record<number, Listener>> {
  const result = await emulator.client(ElasticLoadBalancingV2Client).send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  return Object.fromEntries((result.Listeners ?? []).map((listener) => [listener.Port!, listener]));
}

/** The CNAME records of a hosted zone (NS and SOA, which every zone has, left out). */
export async function cnameRecords(emulator: Emulator, zoneId: string): Promise<ResourceRecordSet[]> {
  const result = await emulator.client(Route53Client).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (result.ResourceRecordSets ?? []).filter((record) => record.Type === "CNAME");
}

/** The certificate's validation CNAMEs as ACM states them: record name -> value. */
export function validationRecordsOf(certificate: CertificateDetail): Record<string, string> {
  return Object.fromEntries(
    (certificate.DomainValidationOptions ?? []).map((option) => [option.ResourceRecord!.Name!, option.ResourceRecord!.Value!]),
  );
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 300_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The items of a DynamoDB table, as plain strings (DynamoDB's `S` values; anything else as its JSON). */
export async function dynamodbItems(emulator: Emulator, table: string): Promise<Array<Record<string, string>>> {
  const items = (await emulator.client(DynamoDBClient).send(new ScanCommand({ TableName: table }))).Items ?? [];
  return items.map((item) => Object.fromEntries(Object.entries(item).map(([key, value]) => [key, value.S ?? JSON.stringify(value)])));
}

/** One AWS API call in the emulator's request log (EmulatorOptions.requestLog). */
export interface ApiCall {
  /** moto's service name: "acm", "elbv2", "route53", "s3", "sts", ... */
  readonly service: string;
  /** The operation, named as its IAM action is ("RequestCertificate"; S3's REST calls as "GetObject", ...). */
  readonly action: string;
  /** The account the call acted in: an assumed role's account, not always the emulator's. */
  readonly account: string;
  /** The ARN IAM authorizes the call on, from its parameters; "*" where it has none or the harness resolves none. */
  readonly resource: string;
  /**
   * The IAM condition keys the harness models for this call, as the request set them (null: not set): every call's
   * `aws:RequestedRegion`, S3 ListBucket's `s3:prefix`, Route53 ChangeResourceRecordSets' record types, names and
   * actions, KMS CreateKey's `aws:TagKeys` and `aws:RequestTag/<key>`.
   */
  readonly context: Readonly<Record<string, string | string[] | null>>;
  /** `<service> <action>` */
  readonly call: string;
}

/** The calls in a request log, from character `offset` on (what `callsDuring` measures). */
export function readRequestLog(file: string, offset = 0): ApiCall[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(offset) : "";
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [service, action, account, resource, ...context] = line.split(" ");
      if (action === "logging-failed") throw new Error(`the emulator's request log could not describe a call: ${context.join(" ")}`);
      return { service, action, account, resource, context: JSON.parse(context.join(" ")), call: `${service} ${action}` };
    });
}

/** The calls the emulator received while `work` ran (the log grows only by appends). */
export async function callsDuring(file: string, work: () => Promise<unknown>): Promise<ApiCall[]> {
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8").length : 0;
  await work();
  return readRequestLog(file, before);
}
