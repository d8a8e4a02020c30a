/**
 * The test oracle for "what must an environment's stack contain": computed from the environment's configuration
 * with the documented rules, written out here in a few plain lines and deliberately NOT by calling the code under
 * test (no certificateNames, no zone choice, no DEFAULTS from lib/). A new environment therefore needs no test edit:
 * its expectations follow from its file.
 */
import { EnvironmentConfig } from "../../lib";

export interface ExpectedStack {
  readonly stackId: string;
  readonly region: string;
  /** Certificate names in order: the domain name, then the SANs (default: its wildcard). */
  readonly names: string[];
  /** Validation record key (the validation name with `_` for `.`, as in the construct id) -> hosted zone ID. */
  readonly records: Record<string, string>;
  readonly keyAlgorithm: string;
  readonly validationTimeout: string;
  readonly tlsPolicy: string;
  readonly forwardsTo?: string;
  readonly loadBalancerArn: string;
  readonly backend: { local: { path: string } } | { s3: Record<string, unknown> };
  readonly allowedAccountIds?: string[];
  readonly defaultTags: Record<string, string>;
  /** Resources to create, by type, when the stack is first planned. */
  readonly resourceCounts: Record<string, number>;
}

/**
 * Fields that add resources this oracle does not model yet. An environment using one fails loudly here instead of
 * being checked against expectations that are silently wrong: model the field below when an environment needs it.
 */
const UNMODELLED_FIELDS = ["additionalCertificates", "rsaFallback", "caa", "mutualTls", "dnsRoleArn"] as const;

/** The README's documented defaults, as literals. */
const DOCUMENTED = {
  tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  keyAlgorithm: "EC_prime256v1",
  validationTimeout: "30m",
};

export function expectedStack(config: EnvironmentConfig): ExpectedStack {
  const used = UNMODELLED_FIELDS.filter((field) => (config as unknown as Record<string, unknown>)[field] !== undefined);
  if (used.length > 0) throw new Error(`oracle: ${config.name} uses ${used.join(", ")}, not modelled in test/support/environment-oracle.ts yet`);
  const stackId = `tls-${config.name}`;
  const names = [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
  const records: Record<string, string> = {};
  for (const name of names) {
    // `*.x` is validated by the same CNAME as `x`; the zone is the one whose apex is the longest suffix.
    const validated = name.replace(/^\*\./, "");
    const apex = Object.keys(config.hostedZones)
      .filter((zone) => validated === zone || validated.endsWith(`.${zone}`))
      .sort((a, b) => b.length - a.length)[0];
    if (apex === undefined) throw new Error(`oracle: ${name} is in no hosted zone of ${config.name}`);
    records[validated.replace(/\./g, "_")] = config.hostedZones[apex];
  }
  const s3 = config.stateBackend?.s3;
  return {
    stackId,
    region: config.region,
    names,
    records,
    keyAlgorithm: config.keyAlgorithm ?? DOCUMENTED.keyAlgorithm,
    validationTimeout: config.validationTimeout ?? DOCUMENTED.validationTimeout,
    tlsPolicy: config.tlsPolicy ?? DOCUMENTED.tlsPolicy,
    forwardsTo: config.targetGroupArn,
    loadBalancerArn: config.loadBalancerArn,
    backend:
      s3 === undefined
        ? { local: { path: `../../../terraform.${stackId}.tfstate` } }
        : {
            s3: {
              bucket: s3.bucket,
              key: s3.key ?? `tls-edge/${config.name}/terraform.tfstate`,
              region: s3.region ?? config.region,
              encrypt: true,
              use_lockfile: true,
              ...(s3.dynamodbTable === undefined ? {} : { dynamodb_table: s3.dynamodbTable }),
            },
          },
    allowedAccountIds: config.accountId === undefined ? undefined : [config.accountId],
    defaultTags: { ...config.tags, environment: config.name, "managed-by": "cdktf", stack: stackId },
    resourceCounts: resourceCounts(config, Object.keys(records).length),
  };
}

function resourceCounts(config: EnvironmentConfig, records: number): Record<string, number> {
  const counts: Record<string, number> = {
    aws_acm_certificate: 1,
    aws_route53_record: records,
    aws_acm_certificate_validation: 1,
    aws_lb_listener: 2,
  };
  // The expiry alarm is on unless `expiryAlarm: false`; without `snsTopicArn` the stack makes its topic and key.
  const alarm = config.expiryAlarm;
  if (alarm !== false) {
    counts.aws_cloudwatch_metric_alarm = 1;
    if (alarm?.snsTopicArn === undefined) Object.assign(counts, { aws_sns_topic: 1, aws_kms_key: 1 });
    if (alarm?.email !== undefined) counts.aws_sns_topic_subscription = 1;
  }
  return counts;
}

/** The validation record key of a synthesized record id or plan address (`...ValidationRecord-<key>_<8 hex>`). */
export function recordKey(idOrAddress: string): string {
  return idOrAddress.replace(/^.*ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, "");
}

/** Every check of a synthesized stack (cdk.tf.json) against the oracle, as named checks a test can run one by one. */
export const stackChecks: Record<string, (stack: any, want: ExpectedStack) => void> = {
  "creates exactly the resources its configuration asks for": (stack, want) => {
    const counts = Object.fromEntries(Object.entries(stack.resource as Record<string, object>).map(([type, byId]) => [type, Object.keys(byId).length]));
    expect(counts).toEqual(want.resourceCounts);
  },
  "requests a DNS-validated certificate for every configured name with transparency logging on": (stack, want) => {
    const certificates = Object.values(stack.resource.aws_acm_certificate) as any[];
    expect(certificates).toHaveLength(1);
    const [certificate] = certificates;
    expect([certificate.domain_name, ...certificate.subject_alternative_names]).toEqual(want.names);
    expect(certificate).toMatchObject({
      validation_method: "DNS",
      key_algorithm: want.keyAlgorithm,
      options: { certificate_transparency_logging_preference: "ENABLED" },
      lifecycle: { create_before_destroy: true },
    });
  },
  "has one validation record per distinct validation name, in the longest-suffix zone": (stack, want) => {
    const records = Object.entries(stack.resource.aws_route53_record) as Array<[string, any]>;
    expect(Object.fromEntries(records.map(([id, record]) => [recordKey(id), record.zone_id]))).toEqual(want.records);
    const [validation] = Object.values(stack.resource.aws_acm_certificate_validation) as any[];
    expect(validation.validation_record_fqdns).toHaveLength(Object.keys(want.records).length);
    expect(validation.timeouts).toEqual({ create: want.validationTimeout });
  },
  "serves HTTPS with the configured TLS 1.2+ policy and redirects HTTP with a 301": (stack, want) => {
    const listeners = Object.values(stack.resource.aws_lb_listener) as any[];
    const https = listeners.find((l) => l.protocol === "HTTPS");
    const http = listeners.find((l) => l.protocol === "HTTP");
    expect(listeners).toHaveLength(2);
    expect(https).toMatchObject({ port: 443, ssl_policy: want.tlsPolicy, load_balancer_arn: want.loadBalancerArn });
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\./);
    if (want.forwardsTo === undefined) {
      expect(https.default_action).toEqual([{ type: "fixed-response", fixed_response: expect.objectContaining({ status_code: "404" }) }]);
    } else {
      expect(https.default_action).toEqual([{ type: "forward", target_group_arn: want.forwardsTo }]);
    }
    expect(http).toMatchObject({ port: 80, load_balancer_arn: want.loadBalancerArn });
    expect(http.default_action).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", status_code: "HTTP_301" } },
    ]);
  },
  "configures the provider with the region, account guard and default tags": (stack, want) => {
    const [provider] = stack.provider.aws;
    expect(provider.region).toBe(want.region);
    expect(provider.allowed_account_ids).toEqual(want.allowedAccountIds);
    expect(provider.default_tags).toEqual([{ tags: want.defaultTags }]);
  },
  "uses the configured state backend and writes no absolute path": (stack, want) => {
    expect(stack.terraform.backend).toEqual(want.backend);
    expect(JSON.stringify(stack)).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
  },
};
