/**
 * The test oracle for "what must an environment's stack contain": computed from the environment's configuration
 * with the documented rules, written out here in a few plain lines and deliberately NOT by calling the code under
 * test (no certificateNames, no zone choice, no hstsHeaderValue, no DEFAULTS from lib/; only lib's types). A new
 * environment therefore needs no test edit: its expectations follow from its file, whichever fields it uses.
 */
import { EnvironmentConfig } from "../../lib";
import { expectedCaaSets } from "./caa-oracle";

/** One ACM certificate the stack must request. */
export interface ExpectedCertificate {
  /** Names in order: the domain name, then the SANs (default: its wildcard). */
  readonly names: string[];
  readonly keyAlgorithm: string;
  /** Listed on the HTTPS listener for SNI (`aws_lb_listener_certificate`). */
  readonly sni: boolean;
}

export interface ExpectedStack {
  readonly stackId: string;
  readonly region: string;
  /** The default certificate's names (the HTTPS listener's own certificate). */
  readonly names: string[];
  readonly keyAlgorithm: string;
  /** Every certificate: the default one first, then the RSA and EC twins, then the additional ones. */
  readonly certificates: ExpectedCertificate[];
  /**
   * Validation record key (the validation name with `_` for `.`, as in the construct id) -> hosted zone ID: one per
   * distinct validation name across all certificates.
   */
  readonly records: Record<string, string>;
  readonly validationTimeout: string;
  readonly tlsPolicy: string;
  /** The Strict-Transport-Security header value, or undefined when the attribute must be unset. */
  readonly hsts?: string;
  /**
   * The HTTPS listener's security-header attributes, each undefined when it must be unset; `serverEnabled` also on the
   * HTTP redirect listener.
   */
  readonly securityHeaders: { xContentTypeOptions?: string; xFrameOptions?: string; contentSecurityPolicy?: string; serverEnabled?: boolean };
  readonly forwardsTo?: string;
  readonly loadBalancerArn: string;
  /** Listener protocol -> ARN of the existing listener adopted by an import block (`existingListeners`). */
  readonly adoptedListeners: Record<string, string>;
  readonly mutualTls?: { mode: "verify"; bucket: string; key: string; revocationLists: Array<{ bucket: string; key: string }> } | { mode: "passthrough" };
  /** CAA sets by zone apex (records in order), or undefined for none. */
  readonly caa?: Record<string, { zoneId: string; records: string[] }>;
  /**
   * One alarm per certificate below `threshold` days and (with renewalEvents) a rule for ACM's renewal-failure events,
   * to `topicArn` (an existing topic, or the bootstrap stack's) or to the topic the stack creates (`createdTopicName`,
   * then with the e-mail subscription).
   */
  readonly expiryAlarm?: { threshold: number; topicArn?: string; createdTopicName?: string; email?: string; renewalEvents: boolean; ruleName: string };
  /**
   * The `aws.dns` provider every Route53 record must use: it assumes the role the ephemeral variable `dns_role_arn`
   * names, by default `roleArn` (writes), for plans `readRoleArn`.
   */
  readonly dnsProvider?: { roleArn: string; readRoleArn: string; sessionName: string; account: string };
  readonly backend: { local: { path: string } } | { s3: Record<string, unknown> };
  readonly allowedAccountIds?: string[];
  readonly defaultTags: Record<string, string>;
  /** Resources to create, by type, when the stack is first planned. */
  readonly resourceCounts: Record<string, number>;
}

/** The README's documented defaults, as literals. */
const DOCUMENTED = {
  tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  keyAlgorithm: "EC_prime256v1",
  validationTimeout: "30m",
  hsts: "max-age=31536000",
  xContentTypeOptions: "nosniff",
  serverHeader: true,
  caaIssuers: ["amazon.com"],
};

/**
 * The documented default alarm threshold on a day: below ACM's renewal start (at least 60/395 of a lifetime before
 * expiry) for the longest certificate the CA/Browser Forum allows on that day (200 days from 2026-03-15, 100 from
 * 2027-03-15, 47 from 2029-03-15). The day is TLS_EDGE_AS_OF, which the test run fixes.
 */
function documentedDefaultThreshold(): number {
  const day = process.env.TLS_EDGE_AS_OF ?? new Date().toISOString().slice(0, 10);
  const longest = day >= "2029-03-15" ? 47 : day >= "2027-03-15" ? 100 : day >= "2026-03-15" ? 200 : 398;
  return Math.floor((longest * 60) / 395);
}

/** `*.x` is validated by the same CNAME as `x`. */
const validationName = (name: string) => name.replace(/^\*\./, "");
/** The record key of a validation name, as in the record's construct id. */
const keyOf = (name: string) => validationName(name).replace(/\./g, "_");
/** A certificate as one comparable string. */
export const certificateKey = (keyAlgorithm: string, names: readonly string[]) => `${keyAlgorithm} ${names.join(",")}`;

export function expectedStack(config: EnvironmentConfig): ExpectedStack {
  const stackId = `tls-${config.name}`;
  const keyAlgorithm = config.keyAlgorithm ?? DOCUMENTED.keyAlgorithm;
  const names = [config.domainName, ...(config.subjectAlternativeNames ?? [`*.${config.domainName}`])];
  // With rsaFallback, an RSA twin and an EC twin (the default's names and key) are listed for SNI, so clients that
  // support ECDSA still get it; the default certificate is the listener's own and never listed (ELB would refuse to
  // remove it from the list again).
  const rsaFallback = config.rsaFallback === true;
  const certificates: ExpectedCertificate[] = [{ names, keyAlgorithm, sni: false }];
  if (rsaFallback) certificates.push({ names, keyAlgorithm: "RSA_2048", sni: true }, { names, keyAlgorithm, sni: true });
  for (const additional of config.additionalCertificates ?? []) {
    const additionalNames = [additional.domainName, ...(additional.subjectAlternativeNames ?? [`*.${additional.domainName}`])];
    certificates.push({ names: additionalNames, keyAlgorithm, sni: true });
  }

  const allNames = certificates.flatMap((c) => c.names);
  const records: Record<string, string> = {};
  for (const name of allNames) {
    // The zone is the one whose apex is the longest suffix.
    const validated = validationName(name);
    const apex = Object.keys(config.hostedZones)
      .filter((zone) => validated === zone || validated.endsWith(`.${zone}`))
      .sort((a, b) => b.length - a.length)[0];
    if (apex === undefined) throw new Error(`oracle: ${name} is in no hosted zone of ${config.name}`);
    records[keyOf(name)] = config.hostedZones[apex];
  }

  const hsts = config.hsts;
  // securityHeaders false: no attribute at all; otherwise each header's value, false meaning unset.
  const headers = config.securityHeaders === false ? undefined : (config.securityHeaders ?? {});
  const headerValue = <T>(value: T | false | undefined, documented?: T) => (value === false ? undefined : (value ?? documented));
  const s3 = config.stateBackend?.s3;
  const alarm = config.expiryAlarm === false ? undefined : (config.expiryAlarm ?? {});
  const mutualTls = config.mutualTls;
  const want: Omit<ExpectedStack, "resourceCounts"> = {
    stackId,
    region: config.region,
    names,
    keyAlgorithm,
    certificates,
    records,
    validationTimeout: config.validationTimeout ?? DOCUMENTED.validationTimeout,
    tlsPolicy: config.tlsPolicy ?? DOCUMENTED.tlsPolicy,
    hsts:
      hsts === false
        ? undefined
        : hsts === undefined
          ? DOCUMENTED.hsts
          : [`max-age=${hsts.maxAgeSeconds}`, ...(hsts.includeSubDomains ? ["includeSubDomains"] : []), ...(hsts.preload ? ["preload"] : [])].join("; "),
    securityHeaders:
      headers === undefined
        ? {}
        : {
            xContentTypeOptions: headerValue(headers.xContentTypeOptions, DOCUMENTED.xContentTypeOptions),
            xFrameOptions: headerValue(headers.xFrameOptions),
            contentSecurityPolicy: headerValue(headers.contentSecurityPolicy),
            serverEnabled: headers.serverHeader ?? DOCUMENTED.serverHeader,
          },
    forwardsTo: config.targetGroupArn,
    loadBalancerArn: config.loadBalancerArn,
    adoptedListeners: {
      ...(config.existingListeners?.http === undefined ? {} : { HTTP: config.existingListeners.http }),
      ...(config.existingListeners?.https === undefined ? {} : { HTTPS: config.existingListeners.https }),
    },
    mutualTls:
      mutualTls === undefined
        ? undefined
        : mutualTls.mode === "verify"
          ? {
              mode: "verify",
              bucket: mutualTls.trustStore.bucket,
              key: mutualTls.trustStore.key,
              revocationLists: (mutualTls.trustStore.revocationLists ?? []).map(({ bucket, key }) => ({ bucket, key })),
            }
          : { mode: "passthrough" },
    caa:
      config.caa === undefined
        ? undefined
        : expectedCaaSets(allNames, config.hostedZones, config.caa.issuers ?? DOCUMENTED.caaIssuers, config.caa.iodef),
    expiryAlarm:
      alarm === undefined
        ? undefined
        : {
            threshold: alarm.daysBeforeExpiry ?? documentedDefaultThreshold(),
            // topic "bootstrap": the tls-bootstrap stack's topic, by the name the stack would have given it.
            topicArn:
              alarm.snsTopicArn ??
              (alarm.topic === "bootstrap"
                ? `arn:aws:sns:${config.region}:${config.accountId ?? config.loadBalancerArn.split(":")[4]}:${stackId}-certificate-expiry`
                : undefined),
            createdTopicName: alarm.snsTopicArn === undefined && alarm.topic !== "bootstrap" ? `${stackId}-certificate-expiry` : undefined,
            email: alarm.snsTopicArn === undefined && alarm.topic !== "bootstrap" ? alarm.email : undefined,
            renewalEvents: alarm.renewalEvents !== false,
            ruleName: `${stackId}-certificate-events`,
          },
    dnsProvider:
      config.dnsRoleArn === undefined
        ? undefined
        : {
            roleArn: config.dnsRoleArn,
            readRoleArn: config.dnsReadRoleArn ?? `${config.dnsRoleArn}-read`,
            sessionName: `${stackId}-dns`,
            account: config.dnsRoleArn.split(":")[4],
          },
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
  };
  return { ...want, resourceCounts: resourceCounts(want) };
}

function resourceCounts(want: Omit<ExpectedStack, "resourceCounts">): Record<string, number> {
  const certificates = want.certificates.length;
  const sni = want.certificates.filter((c) => c.sni).length;
  const counts: Record<string, number> = {
    aws_acm_certificate: certificates,
    aws_route53_record: Object.keys(want.records).length + Object.keys(want.caa ?? {}).length,
    aws_acm_certificate_validation: certificates,
    aws_lb_listener: 2,
  };
  if (sni > 0) counts.aws_lb_listener_certificate = sni;
  if (want.mutualTls?.mode === "verify") {
    counts.aws_lb_trust_store = 1;
    if (want.mutualTls.revocationLists.length > 0) counts.aws_lb_trust_store_revocation = want.mutualTls.revocationLists.length;
  }
  // The expiry alarm is on unless `expiryAlarm: false`; without `snsTopicArn` the stack makes its topic and key.
  const alarm = want.expiryAlarm;
  if (alarm !== undefined) {
    counts.aws_cloudwatch_metric_alarm = certificates;
    if (alarm.createdTopicName !== undefined) Object.assign(counts, { aws_sns_topic: 1, aws_kms_key: 1, aws_sns_topic_policy: 1 });
    if (alarm.email !== undefined) counts.aws_sns_topic_subscription = 1;
    if (alarm.renewalEvents) Object.assign(counts, { aws_cloudwatch_event_rule: 1, aws_cloudwatch_event_target: 1 });
  }
  return counts;
}

/** The validation record key of a synthesized record id or plan address (`...ValidationRecord-<key>_<8 hex>`). */
export function recordKey(idOrAddress: string): string {
  return idOrAddress.replace(/^.*ValidationRecord-/, "").replace(/_[0-9A-F]{8}$/, "");
}

/** `${<type>.<id>.<attribute>}` -> id, or undefined when the value is not that reference. */
function referencedId(value: unknown, type: string, attribute: string): string | undefined {
  const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.${attribute}\\}$`).exec(String(value));
  return match?.[1];
}

/** The synthesized stack's pieces the checks below read, each resource with its id. */
function read(stack: any) {
  const all = (type: string): Array<[string, any]> => Object.entries(stack.resource[type] ?? {});
  const certificateKeyById = Object.fromEntries(
    all("aws_acm_certificate").map(([id, c]) => [id, certificateKey(c.key_algorithm, [c.domain_name, ...(c.subject_alternative_names ?? [])])]),
  );
  /** A validation resource id -> the key of the certificate it validates. */
  const validatedKey = (validationId: string | undefined) => {
    const validation = stack.resource.aws_acm_certificate_validation?.[validationId ?? ""];
    return certificateKeyById[referencedId(validation?.certificate_arn, "aws_acm_certificate", "arn") ?? ""];
  };
  const listeners = all("aws_lb_listener");
  const [httpsId, https] = listeners.find(([, l]) => l.protocol === "HTTPS") ?? [];
  return { all, certificateKeyById, validatedKey, listeners, httpsId, https };
}

/** Every check of a synthesized stack (cdk.tf.json) against the oracle, as named checks a test can run one by one. */
export const stackChecks: Record<string, (stack: any, want: ExpectedStack) => void> = {
  "creates exactly the resources its configuration asks for": (stack, want) => {
    const counts = Object.fromEntries(Object.entries(stack.resource as Record<string, object>).map(([type, byId]) => [type, Object.keys(byId).length]));
    expect(counts).toEqual(want.resourceCounts);
  },
  "requests a DNS-validated certificate for every configured name and key algorithm with transparency logging on": (stack, want) => {
    const { all, certificateKeyById } = read(stack);
    expect(Object.values(certificateKeyById).sort()).toEqual(want.certificates.map((c) => certificateKey(c.keyAlgorithm, c.names)).sort());
    for (const [, certificate] of all("aws_acm_certificate")) {
      expect(certificate).toMatchObject({
        validation_method: "DNS",
        options: { certificate_transparency_logging_preference: "ENABLED" },
        lifecycle: { create_before_destroy: true },
      });
    }
  },
  "has one validation record per distinct validation name across all certificates, in the longest-suffix zone": (stack, want) => {
    const { all, validatedKey } = read(stack);
    const records = all("aws_route53_record").filter(([, record]) => record.type !== "CAA");
    expect(Object.fromEntries(records.map(([id, record]) => [recordKey(id), record.zone_id]))).toEqual(want.records);
    // A record never follows its certificate's replacement (ACM's CNAME is per name and account): never replaced.
    for (const [, record] of records) {
      expect(record).toMatchObject({ ttl: 60, allow_overwrite: true, lifecycle: { ignore_changes: ["name", "type", "records"] } });
    }
    // Each certificate's validation waits for exactly the records of its own names.
    const expectedByCertificate = Object.fromEntries(
      want.certificates.map((c) => [certificateKey(c.keyAlgorithm, c.names), [...new Set(c.names.map(keyOf))].sort()]),
    );
    const validations = all("aws_acm_certificate_validation");
    expect(validations).toHaveLength(want.certificates.length);
    for (const [id, validation] of validations) {
      const recordsWaitedFor = (validation.validation_record_fqdns as string[]).map((fqdn) => recordKey(referencedId(fqdn, "aws_route53_record", "fqdn") ?? fqdn));
      expect([validatedKey(id), recordsWaitedFor.sort()]).toEqual([validatedKey(id), expectedByCertificate[validatedKey(id)]]);
      expect(validation.timeouts).toEqual({ create: want.validationTimeout });
    }
  },
  "serves HTTPS with the configured TLS 1.2+ policy and the default certificate once issued, and redirects HTTP with a 301": (stack, want) => {
    const { listeners, https, validatedKey } = read(stack);
    const http = listeners.find(([, l]) => l.protocol === "HTTP")?.[1];
    expect(listeners).toHaveLength(2);
    expect(https).toMatchObject({ port: 443, ssl_policy: want.tlsPolicy, load_balancer_arn: want.loadBalancerArn });
    expect(validatedKey(referencedId(https.certificate_arn, "aws_acm_certificate_validation", "certificate_arn"))).toBe(certificateKey(want.keyAlgorithm, want.names));
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
  "adopts exactly the existing listeners existingListeners names, with import blocks (none without it)": (stack, want) => {
    const imports = (stack.import ?? []) as Array<{ to: string; id: string }>;
    const adopted = imports.map(({ to, id }) => {
      const [type, resourceId] = to.split(".");
      expect(type).toBe("aws_lb_listener");
      return [stack.resource.aws_lb_listener[resourceId]?.protocol, id];
    });
    expect(adopted).toHaveLength(Object.keys(want.adoptedListeners).length);
    expect(Object.fromEntries(adopted)).toEqual(want.adoptedListeners);
  },
  "sends the configured HSTS header from the HTTPS listener (none with hsts: false)": (stack, want) => {
    const { https } = read(stack);
    if (want.hsts === undefined) expect(https).not.toHaveProperty("routing_http_response_strict_transport_security_header_value");
    else expect(https.routing_http_response_strict_transport_security_header_value).toBe(want.hsts);
  },
  "sends the configured security headers from the HTTPS listener, and the Server header choice from both listeners": (stack, want) => {
    const { https, listeners } = read(stack);
    const http = listeners.find(([, l]) => l.protocol === "HTTP")?.[1];
    const attributes = {
      xContentTypeOptions: "routing_http_response_x_content_type_options_header_value",
      xFrameOptions: "routing_http_response_x_frame_options_header_value",
      contentSecurityPolicy: "routing_http_response_content_security_policy_header_value",
      serverEnabled: "routing_http_response_server_enabled",
    } as const;
    for (const [name, attribute] of Object.entries(attributes) as Array<[keyof typeof attributes, string]>) {
      const wanted = want.securityHeaders[name];
      // An unset attribute must be absent, not null or "" (the provider would not remove the header either way).
      expect([name, attribute in https ? https[attribute] : "<unset>"]).toEqual([name, wanted ?? "<unset>"]);
    }
    const serverOnRedirect = "routing_http_response_server_enabled" in http ? http.routing_http_response_server_enabled : "<unset>";
    expect(serverOnRedirect).toEqual(want.securityHeaders.serverEnabled ?? "<unset>");
    // A redirect has no content: no other header attribute on the HTTP listener.
    expect(Object.keys(http).filter((key) => key.startsWith("routing_http_response_") && key !== "routing_http_response_server_enabled")).toEqual([]);
  },
  "lists for SNI on the HTTPS listener exactly the certificates that need it, each once issued": (stack, want) => {
    const { all, httpsId, https, validatedKey } = read(stack);
    const attachments = all("aws_lb_listener_certificate");
    expect(attachments.map(([, a]) => validatedKey(referencedId(a.certificate_arn, "aws_acm_certificate_validation", "certificate_arn"))).sort()).toEqual(
      want.certificates.filter((c) => c.sni).map((c) => certificateKey(c.keyAlgorithm, c.names)).sort(),
    );
    for (const [, attachment] of attachments) {
      expect(attachment.listener_arn).toBe(`\${aws_lb_listener.${httpsId}.arn}`);
      // Attached before a replaced certificate's old attachment goes; never the listener's default certificate
      // (an EC twin has the same names and key, so the key comparison above cannot tell them apart).
      expect(attachment.lifecycle).toEqual({ create_before_destroy: true });
      expect(attachment.certificate_arn).not.toBe(https.certificate_arn);
    }
  },
  "asks clients for a certificate only as mutualTls says, against a trust store from the configured S3 bundle and revocation lists": (stack, want) => {
    const { all, https } = read(stack);
    const stores = all("aws_lb_trust_store");
    const revocations = all("aws_lb_trust_store_revocation");
    if (want.mutualTls === undefined) {
      expect(https).not.toHaveProperty("mutual_authentication");
      expect([stores, revocations]).toEqual([[], []]);
    } else if (want.mutualTls.mode === "passthrough") {
      expect(https.mutual_authentication).toEqual({ mode: "passthrough" });
      expect([stores, revocations]).toEqual([[], []]);
    } else {
      expect(stores).toHaveLength(1);
      const [[storeId, store]] = stores;
      expect(store).toMatchObject({ ca_certificates_bundle_s3_bucket: want.mutualTls.bucket, ca_certificates_bundle_s3_key: want.mutualTls.key });
      expect(https.mutual_authentication).toEqual({ mode: "verify", trust_store_arn: `\${aws_lb_trust_store.${storeId}.arn}` });
      // Every revocation list in that trust store, each once; the listener uses the store only after all of them.
      const byLocation = (a: { bucket: string; key: string }, b: { bucket: string; key: string }) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`);
      expect(revocations.map(([, r]) => ({ bucket: r.revocations_s3_bucket, key: r.revocations_s3_key, trustStore: r.trust_store_arn })).sort(byLocation)).toEqual(
        want.mutualTls.revocationLists.map((list) => ({ ...list, trustStore: `\${aws_lb_trust_store.${storeId}.arn}` })).sort(byLocation),
      );
      const waitsFor = revocations.map(([id]) => `aws_lb_trust_store_revocation.${id}`);
      expect([...(https.depends_on ?? [])].sort()).toEqual(waitsFor.sort());
    }
  },
  "has a CAA set at each zone apex its certificates use, as caa says (none without caa)": (stack, want) => {
    const { all } = read(stack);
    const sets = all("aws_route53_record").filter(([, record]) => record.type === "CAA");
    expect(Object.fromEntries(sets.map(([, r]) => [r.name, { zoneId: r.zone_id, records: r.records }]))).toEqual(want.caa ?? {});
    for (const [, set] of sets) {
      expect(set.ttl).toBe(300);
      // Never overwrites a CAA set someone else made.
      expect(set).not.toHaveProperty("allow_overwrite");
    }
  },
  "alarms on every certificate's days to expiry as expiryAlarm says, to its topic": (stack, want) => {
    const { all, certificateKeyById } = read(stack);
    const alarms = all("aws_cloudwatch_metric_alarm");
    const alarm = want.expiryAlarm;
    if (alarm === undefined) {
      expect([alarms, all("aws_sns_topic"), all("aws_sns_topic_subscription")]).toEqual([[], [], []]);
      return;
    }
    const alarmed = alarms.map(([, a]) => certificateKeyById[referencedId(a.dimensions?.CertificateArn, "aws_acm_certificate", "arn") ?? ""]);
    expect(alarmed.sort()).toEqual(want.certificates.map((c) => certificateKey(c.keyAlgorithm, c.names)).sort());
    const topics = all("aws_sns_topic");
    let topicArn = alarm.topicArn;
    if (alarm.createdTopicName !== undefined) {
      expect(topics.map(([, t]) => t.name)).toEqual([alarm.createdTopicName]);
      topicArn = `\${aws_sns_topic.${topics[0][0]}.arn}`;
      // Encrypted with its own rotating key (CloudWatch cannot publish to a topic under the AWS-managed SNS key).
      const keys = all("aws_kms_key");
      expect(keys.map(([, k]) => k.enable_key_rotation)).toEqual([true]);
      expect(topics[0][1].kms_master_key_id).toBe(`\${aws_kms_key.${keys[0][0]}.arn}`);
      // EventBridge may publish only for the stack's own rule.
      const [[, topicPolicy]] = all("aws_sns_topic_policy");
      const events = JSON.parse(topicPolicy.policy).Statement.filter((st: any) => st.Principal?.Service === "events.amazonaws.com");
      expect(events.map((st: any) => st.Condition?.ArnEquals?.["aws:SourceArn"])).toEqual(alarm.renewalEvents ? [expect.stringMatching(new RegExp(`:rule/${alarm.ruleName}$`))] : []);
    } else {
      expect([topics, all("aws_kms_key"), all("aws_sns_topic_policy")]).toEqual([[], [], []]);
    }
    for (const [, a] of alarms) {
      expect(a).toMatchObject({
        namespace: "AWS/CertificateManager",
        metric_name: "DaysToExpiry",
        comparison_operator: "LessThanThreshold",
        threshold: alarm.threshold,
        alarm_actions: [topicArn],
        ok_actions: [topicArn],
      });
    }
    const subscriptions = all("aws_sns_topic_subscription").map(([, s]) => [s.protocol, s.endpoint, s.topic_arn]);
    expect(subscriptions).toEqual(alarm.email === undefined ? [] : [["email", alarm.email, topicArn]]);
    // The renewal-failure events of every certificate, to the same topic.
    const rules = all("aws_cloudwatch_event_rule");
    if (!alarm.renewalEvents) {
      expect([rules, all("aws_cloudwatch_event_target")]).toEqual([[], []]);
      return;
    }
    expect(rules.map(([, r]) => r.name)).toEqual([alarm.ruleName]);
    const pattern = String(rules[0][1].event_pattern);
    expect(pattern).toContain('"source" = ["aws.acm"]');
    expect(pattern).toContain('"detail-type" = ["ACM Certificate Renewal Action Required", "ACM Certificate Expired"]');
    const watched = [...pattern.matchAll(/\baws_acm_certificate\.([A-Za-z0-9_-]+)\.arn\b/g)].map((m) => certificateKeyById[m[1]]);
    expect(watched.sort()).toEqual(want.certificates.map((c) => certificateKey(c.keyAlgorithm, c.names)).sort());
    const targets = all("aws_cloudwatch_event_target");
    expect(targets.map(([, t]) => [t.rule, t.arn])).toEqual([[`\${aws_cloudwatch_event_rule.${rules[0][0]}.name}`, topicArn]]);
  },
  "manages every Route53 record through the aws.dns provider assuming dnsRoleArn, and nothing else (none without it)": (stack, want) => {
    const { all } = read(stack);
    const providers = stack.provider.aws as any[];
    const dns = want.dnsProvider;
    expect(providers.map((p) => p.alias).sort()).toEqual(dns === undefined ? [undefined] : ["dns", undefined]);
    if (dns !== undefined) {
      expect(providers.find((p) => p.alias === "dns")).toMatchObject({
        region: want.region,
        assume_role: [{ role_arn: "${var.dns_role_arn}", session_name: dns.sessionName }],
        allowed_account_ids: [dns.account],
        default_tags: [{ tags: want.defaultTags }],
      });
      // The writing role by default; the read-only one only when a plan names it; nothing else.
      expect(stack.variable.dns_role_arn).toMatchObject({ type: "string", ephemeral: true, default: dns.roleArn });
      expect(stack.variable.dns_role_arn.validation[0].condition).toBe(`\${contains(${JSON.stringify([dns.roleArn, dns.readRoleArn])}, var.dns_role_arn)}`);
    } else {
      expect(stack.variable?.dns_role_arn).toBeUndefined();
    }
    const providerByResource = Object.keys(stack.resource).flatMap((type) => all(type).map(([id, r]) => [type, id, r.provider]));
    expect(providerByResource).toEqual(providerByResource.map(([type, id]) => [type, id, type === "aws_route53_record" && dns !== undefined ? "aws.dns" : undefined]));
  },
  "configures the provider with the region, account guard and default tags": (stack, want) => {
    const provider = (stack.provider.aws as any[]).find((p) => p.alias === undefined);
    expect(provider.region).toBe(want.region);
    expect(provider.allowed_account_ids).toEqual(want.allowedAccountIds);
    expect(provider.default_tags).toEqual([{ tags: want.defaultTags }]);
  },
  "uses the configured state backend and writes no absolute path": (stack, want) => {
    expect(stack.terraform.backend).toEqual(want.backend);
    expect(JSON.stringify(stack)).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
  },
};
