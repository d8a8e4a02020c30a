/**
 * Reads what hangs on the listeners a stack adopts, from the AWS APIs (a plan shows none of it): ELB DescribeRules and
 * DescribeListenerCertificates, and ACM DescribeCertificate for each SNI certificate's names. lib/guard/adopted-listeners.ts
 * judges the result.
 *
 * The clients are the AWS SDK v3's, with its default credential chain (in CI the plan role's credentials the OIDC step
 * exported) and its endpoint settings (AWS_ENDPOINT_URL, so the emulator suites reach moto). The plan role may call
 * all three: `elasticloadbalancing:Describe*` on "*" and `acm:DescribeCertificate` on the region's certificates
 * (lib/bootstrap/bootstrap-policies.ts, planPolicy). Any failure is an InventoryError naming the call, the listener
 * and AWS's answer: a listener that could not be read must never pass as one with nothing on it.
 */
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
  ElasticLoadBalancingV2Client,
  paginateDescribeListenerCertificates,
  paginateDescribeRules,
  Rule,
  RuleCondition,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { AdoptedListener, AdoptedListenerRule, AdoptedSniCertificate, ListenerInventory, RuleAction } from "../guard/adopted-listeners";

/** A call the inventory needed failed; the message names the call, the listener and the error. */
export class InventoryError extends Error {}

export interface InventoryOptions {
  /**
   * Configuration merged into both clients (tests use it for an endpoint or a profile).
   * @default - the SDK's defaults, the region from each ARN
   */
  readonly clientConfig?: Readonly<Record<string, unknown>>;
}

/** The permissions the inventory needs, named in every error. */
const NEEDS =
  "adopted listeners are read with the caller's AWS credentials, which need elasticloadbalancing:DescribeRules, " +
  "elasticloadbalancing:DescribeListenerCertificates and acm:DescribeCertificate (the bootstrap stack's plan role has them)";

/** Reads every adopted listener's rules and, for listeners the stack makes HTTPS, its SNI certificates with their names. */
export async function inventoryListeners(listeners: readonly AdoptedListener[], options: InventoryOptions = {}): Promise<ListenerInventory[]> {
  const clients = new Map<string, { elb: ElasticLoadBalancingV2Client; acm: ACMClient }>();
  const clientsFor = (region: string) => {
    let found = clients.get(region);
    if (found === undefined) {
      const config = { region, maxAttempts: 3, ...options.clientConfig };
      found = { elb: new ElasticLoadBalancingV2Client(config), acm: new ACMClient(config) };
      clients.set(region, found);
    }
    return found;
  };
  try {
    const inventories: ListenerInventory[] = [];
    for (const listener of listeners) {
      const { elb, acm } = clientsFor(regionOf(listener.arn));
      const rules = await describeRules(elb, listener);
      if (rules === undefined) {
        inventories.push({ listener, exists: false, rules: [], sniCertificates: [] });
        continue;
      }
      const sniCertificates = listener.protocol === "HTTPS" ? await describeSniCertificates(elb, acm, listener) : [];
      inventories.push({ listener, exists: true, rules, sniCertificates });
    }
    return inventories;
  } finally {
    for (const { elb, acm } of clients.values()) {
      elb.destroy();
      acm.destroy();
    }
  }
}

/** Non-default rules by priority; undefined when the listener does not exist. */
async function describeRules(elb: ElasticLoadBalancingV2Client, listener: AdoptedListener): Promise<AdoptedListenerRule[] | undefined> {
  const rules: Rule[] = [];
  try {
    for await (const page of paginateDescribeRules({ client: elb }, { ListenerArn: listener.arn, PageSize: 400 })) rules.push(...(page.Rules ?? []));
  } catch (error) {
    if ((error as Error).name === "ListenerNotFoundException") return undefined;
    throw failure("elasticloadbalancing:DescribeRules", listener, error);
  }
  return rules
    .filter((rule) => !rule.IsDefault)
    .map((rule) => ({
      arn: rule.RuleArn ?? "(no ARN)",
      priority: rule.Priority ?? "?",
      conditions: (rule.Conditions ?? []).map(describeCondition),
      actions: [...(rule.Actions ?? [])]
        .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
        .map((action): RuleAction => ({
          type: action.Type ?? "?",
          ...(action.RedirectConfig ? { redirect: { protocol: action.RedirectConfig.Protocol, status_code: action.RedirectConfig.StatusCode } } : {}),
        })),
    }))
    .sort((a, b) => Number(a.priority) - Number(b.priority));
}

async function describeSniCertificates(elb: ElasticLoadBalancingV2Client, acm: ACMClient, listener: AdoptedListener): Promise<AdoptedSniCertificate[]> {
  const entries: Array<{ arn: string; isDefault: boolean }> = [];
  try {
    for await (const page of paginateDescribeListenerCertificates({ client: elb }, { ListenerArn: listener.arn, PageSize: 400 })) {
      for (const certificate of page.Certificates ?? []) {
        if (certificate.CertificateArn) entries.push({ arn: certificate.CertificateArn, isDefault: certificate.IsDefault === true });
      }
    }
  } catch (error) {
    throw failure("elasticloadbalancing:DescribeListenerCertificates", listener, error);
  }
  // ELB lists a default certificate that is also in the list twice, once with IsDefault (DescribeListenerCertificates).
  const defaults = new Set(entries.filter((e) => e.isDefault).map((e) => e.arn));
  const sni = [...new Set(entries.filter((e) => !e.isDefault).map((e) => e.arn))];
  const described: AdoptedSniCertificate[] = [];
  for (const arn of sni) {
    const alsoDefault = defaults.has(arn);
    const service = arn.split(":")[2];
    if (service !== "acm") {
      const namesUnknown =
        service === "iam"
          ? "an IAM server certificate, not ACM's; read its names with aws iam get-server-certificate"
          : `not an ACM certificate ARN (service ${JSON.stringify(service ?? "")})`;
      described.push({ arn, namesUnknown, alsoDefault });
      continue;
    }
    let detail;
    try {
      detail = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
    } catch (error) {
      throw failure(`acm:DescribeCertificate of SNI certificate ${arn}`, listener, error);
    }
    const names = [...new Set([detail?.DomainName, ...(detail?.SubjectAlternativeNames ?? [])].filter((n): n is string => typeof n === "string" && n !== ""))];
    described.push({ arn, names, alsoDefault });
  }
  return described;
}

function describeCondition(condition: RuleCondition): string {
  const field = condition.Field ?? "?";
  const values =
    condition.PathPatternConfig?.Values ??
    condition.HostHeaderConfig?.Values ??
    condition.HttpRequestMethodConfig?.Values ??
    condition.SourceIpConfig?.Values ??
    (condition.HttpHeaderConfig ? condition.HttpHeaderConfig.Values?.map((v) => `${condition.HttpHeaderConfig?.HttpHeaderName}: ${v}`) : undefined) ??
    condition.QueryStringConfig?.Values?.map((v) => (v.Key ? `${v.Key}=${v.Value}` : String(v.Value))) ??
    condition.Values ??
    [];
  return `${field} ${values.join(", ")}`.trim();
}

function regionOf(arn: string): string {
  const region = arn.split(":")[3];
  if (!region) throw new InventoryError(`listener ARN ${arn} names no region`);
  return region;
}

function failure(call: string, listener: AdoptedListener, error: unknown): InventoryError {
  const name = (error as Error)?.name ?? "Error";
  const message = (error as Error)?.message ?? String(error);
  return new InventoryError(`${call} for ${listener.address} (${listener.arn}) failed: ${name}: ${message}. ${NEEDS}`);
}
