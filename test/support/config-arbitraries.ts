/**
 * fast-check generators of environment configurations, for the property suites (test/config/*.property.test.ts):
 *
 * - `validEnvironment`: configurations meant to pass validation. Every field of `EnvironmentConfig` has a generator in
 *   `FIELD_ARBITRARIES` (the type makes a missing one a compile error) and every nested member is listed in
 *   `CONFIG_SHAPE` (likewise), which the coverage test compares with what the generators actually produce. Values are
 *   drawn from a shared "world" (region, partition, accounts, hosted zones, load balancer) so that ARNs, names and
 *   zones agree; `repair` then applies the cross-field rules that independent draws can break (no duplicate names,
 *   quotas, `rsaFallback` only with an EC key, ...).
 * - `mutatedEnvironment`: a valid configuration with 1-3 mutations: a field or nested value replaced by junk of any
 *   JSON or JavaScript type, a field deleted, an unknown or near-miss key (a typo of a real one), a `__proto__`,
 *   `constructor` or `prototype` key as an own property, a string made huge, a prototype swapped.
 * - `environmentsInput`: what `environmentProblems` is called with: mostly one environment, sometimes several (names
 *   may collide), rarely not an array at all.
 *
 * A new field: add its generator to FIELD_ARBITRARIES (and its nested members to CONFIG_SHAPE); its cross-field rules,
 * if any, to `repair`.
 */
import fc from "fast-check";
import {
  ACM_CAA_ISSUERS,
  AdditionalCertificateConfig,
  CaaConfig,
  DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA,
  EnvironmentConfig,
  ExistingListenersConfig,
  EXPIRY_ALARM_TOPICS,
  ExpiryAlarmConfig,
  HstsConfig,
  KEY_ALGORITHMS,
  modernTlsPolicyNames,
  MutualTlsPassthroughConfig,
  MutualTlsVerifyConfig,
  partitionOfRegion,
  S3StateBackendConfig,
  RevocationListConfig,
  SecurityHeadersConfig,
  StateBackendConfig,
  TrustStoreSourceConfig,
  X_FRAME_OPTIONS,
} from "../../lib";
import { maxExpiryAlarmDays, scheduleDate } from "../../lib/aws/certificate-lifetimes";

// ---------------------------------------------------------------------------------------------------------------------
// The shape every generator must cover
// ---------------------------------------------------------------------------------------------------------------------

/** Every member of T, each `true`: the type refuses a list that misses one. */
type Members<T> = { readonly [K in keyof T]-?: true };

/**
 * Every configuration path the valid generators must produce, by interface (`[]` marks the elements of an array of
 * objects). Records (`tags`, `hostedZones`) and arrays of strings are leaves.
 */
export const CONFIG_SHAPE = {
  environment: {
    name: true, region: true, accountId: true, tags: true, domainName: true, subjectAlternativeNames: true,
    hostedZones: true, loadBalancerArn: true, targetGroupArn: true, existingListeners: true, tlsPolicy: true,
    keyAlgorithm: true, hsts: true, additionalCertificates: true, rsaFallback: true, maxLoadBalancerCertificates: true,
    mutualTls: true, validationTimeout: true, stateBackend: true, maxCertificateNames: true, caa: true,
    expiryAlarm: true, dnsRoleArn: true, dnsReadRoleArn: true, securityHeaders: true,
  } satisfies Members<EnvironmentConfig>,
  hsts: { maxAgeSeconds: true, includeSubDomains: true, preload: true } satisfies Members<HstsConfig>,
  additionalCertificate: { domainName: true, subjectAlternativeNames: true } satisfies Members<AdditionalCertificateConfig>,
  mutualTlsVerify: { mode: true, trustStore: true } satisfies Members<MutualTlsVerifyConfig>,
  mutualTlsPassthrough: { mode: true } satisfies Members<MutualTlsPassthroughConfig>,
  trustStore: { bucket: true, key: true, revocationLists: true } satisfies Members<TrustStoreSourceConfig>,
  revocationList: { bucket: true, key: true } satisfies Members<RevocationListConfig>,
  securityHeaders: { xContentTypeOptions: true, xFrameOptions: true, contentSecurityPolicy: true, serverHeader: true } satisfies Members<SecurityHeadersConfig>,
  existingListeners: { http: true, https: true } satisfies Members<ExistingListenersConfig>,
  stateBackend: { s3: true } satisfies Members<StateBackendConfig>,
  s3StateBackend: { bucket: true, key: true, region: true, dynamodbTable: true } satisfies Members<S3StateBackendConfig>,
  caa: { issuers: true, iodef: true } satisfies Members<CaaConfig>,
  expiryAlarm: { daysBeforeExpiry: true, snsTopicArn: true, topic: true, email: true, renewalEvents: true } satisfies Members<ExpiryAlarmConfig>,
} as const;

/** The leaf and object paths of CONFIG_SHAPE, as `configPaths` reports them (`hsts.maxAgeSeconds`, `additionalCertificates[].domainName`). */
export function expectedConfigPaths(): string[] {
  const nested = (prefix: string, members: object) => Object.keys(members).map((member) => `${prefix}.${member}`);
  const s = CONFIG_SHAPE;
  return [
    ...Object.keys(s.environment),
    ...nested("hsts", s.hsts),
    ...nested("additionalCertificates[]", s.additionalCertificate),
    ...nested("mutualTls", { ...s.mutualTlsVerify, ...s.mutualTlsPassthrough }),
    ...nested("mutualTls.trustStore", s.trustStore),
    ...nested("mutualTls.trustStore.revocationLists[]", s.revocationList),
    ...nested("securityHeaders", s.securityHeaders),
    ...nested("existingListeners", s.existingListeners),
    ...nested("stateBackend", s.stateBackend),
    ...nested("stateBackend.s3", s.s3StateBackend),
    ...nested("caa", s.caa),
    ...nested("expiryAlarm", s.expiryAlarm),
  ];
}

const RECORD_FIELDS = new Set(["tags", "hostedZones"]);

/** Every path with a defined value in an environment, array elements as `[]`; records and string arrays are leaves. */
export function configPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((element) => configPaths(element, `${prefix}[]`));
  return Object.entries(value).flatMap(([key, member]) => {
    if (member === undefined) return [];
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const leaf = RECORD_FIELDS.has(path) || (Array.isArray(member) && member.every((m) => typeof m === "string"));
    return [path, ...(leaf ? [] : configPaths(member, path))];
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The world a valid configuration lives in
// ---------------------------------------------------------------------------------------------------------------------

/** What several fields must agree on. */
export interface World {
  readonly name: string;
  readonly region: string;
  readonly partition: string;
  /** The account of the load balancer and everything of the stack. */
  readonly account: string;
  /** Whether `accountId` is set (to `account`). */
  readonly pinAccount: boolean;
  /** Hosted zone apexes, each a valid DNS name; some nest inside others. */
  readonly zones: readonly string[];
  readonly loadBalancerName: string;
  readonly loadBalancerId: string;
  /** Picks for names under the zones, drawn here so fields can share them. */
  readonly names: readonly string[];
}

export const REGIONS = [
  "us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "il-central-1", "cn-north-1",
  "cn-northwest-1", "us-gov-west-1",
] as const;

const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
const elbName = fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/);
const account = fc.oneof(fc.constantFrom("111111111111", "123456789012", "444444444444"), fc.stringMatching(/^\d{12}$/));

/** A DNS label: common words (so names collide, as real ones do), random ones, and now and then a 50-63 character one. */
const label = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("www", "api", "shop", "a", "b", "x1", "s-3", "xn--bcher-kva", "mail", "edge") },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{48,61}[a-z0-9]$/) },
);
const topLevel = fc.constantFrom("com", "org", "net", "io", "dev", "co.uk", "example");

/** 1-3 zone apexes; the second and third may sit inside the first (`sub.example.com` beside `example.com`). */
const zones = fc
  .tuple(label, topLevel, fc.array(fc.tuple(label, topLevel, fc.boolean()), { maxLength: 2 }))
  .map(([first, tld, more]) => {
    const apexes = [`${first}.${tld}`];
    for (const [name, otherTld, nested] of more) apexes.push(nested ? `${name}.${apexes[0]}` : `${name}.${otherTld}`);
    return [...new Set(apexes.filter((apex) => apex.length <= 200))];
  })
  .filter((apexes) => apexes.length > 0);

/** A certificate name under one of the zones: 0-3 labels before the apex, maybe a wildcard. */
const namePick = fc.record({ zone: fc.nat(), labels: fc.array(label, { maxLength: 3 }), wildcard: fc.boolean() });

function nameUnder(apexes: readonly string[], pick: { zone: number; labels: string[]; wildcard: boolean }): string {
  const apex = apexes[pick.zone % apexes.length];
  const base = [...pick.labels, apex].join(".");
  const name = base.length > 251 ? apex : base;
  return pick.wildcard ? `*.${name}` : name;
}

export const world: fc.Arbitrary<World> = fc
  .record({
    name: fc.oneof(fc.constantFrom("prod", "dev", "staging", "test", "a"), fc.stringMatching(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/)),
    region: fc.constantFrom(...REGIONS),
    account,
    pinAccount: fc.boolean(),
    zones,
    loadBalancerName: elbName,
    loadBalancerId: hex16,
    namePicks: fc.array(namePick, { minLength: 12, maxLength: 12 }),
  })
  .map(({ namePicks, ...rest }) => ({
    ...rest,
    partition: partitionOfRegion(rest.region),
    names: namePicks.map((pick) => nameUnder(rest.zones, pick)),
  }));

// ---------------------------------------------------------------------------------------------------------------------
// One generator per field
// ---------------------------------------------------------------------------------------------------------------------

/** Strings Terraform or cdktf would read as something else: templates, directives, escapes, cdktf's token syntax. */
export const TEMPLATE_LIKE = ["${var.x}", "%{ if true }x%{ endif }", "$${literal}", "${TfToken[TOKEN.0]}", "${TfToken[TOKEN.99999]}", "a${b}c"] as const;

/** Text with no template sequence (`${`, `%{`: refused in every free-text field, see lib/config/fields/field.ts). */
const noTemplate = (text: string) => !/[$%]\{/.test(text);

/** Free text: mostly short printable ASCII ($ % { included), some unicode, now and then at the length limit. */
function freeText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 24) }).filter(noTemplate) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength, maxLength: Math.min(maxLength, 12) }).filter(noTemplate) },
    { weight: 1, arbitrary: fc.constantFrom("$", "$$", "%", "{}", "$ {x}", "100%", "a}b").filter((s) => s.length >= minLength && s.length <= maxLength) },
    { weight: 1, arbitrary: fc.constant("k".repeat(maxLength)) },
  );
}

/** Keys of plain-data objects that JavaScript treats specially. */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** An object with these own properties, each defined (never assigned, so `__proto__` is an own key, as JSON.parse makes it). */
export function ownProperties<T>(entries: ReadonlyArray<readonly [string, T]>, prototype: object | null = Object.prototype): Record<string, T> {
  const target = Object.create(prototype) as Record<string, T>;
  for (const [key, value] of entries) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const tagKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("owner", "cost-center", "team", "Name", "a b", "x:y/z=+-@_.", "environment") },
  // `__proto__` is refused as a tag key (cdktf drops it, see lib/config/fields/tags.ts); the mutations still add it.
  { weight: 2, arbitrary: fc.constantFrom("constructor", "prototype", "hasOwnProperty", "toString", "valueOf") },
  { weight: 3, arbitrary: freeText(1, 128).filter((key) => !key.toLowerCase().startsWith("aws:")) },
);
const tags = fc
  .uniqueArray(fc.tuple(tagKey, freeText(0, 256)), { maxLength: 5, selector: ([key]) => key })
  .map((entries) => ownProperties(entries));

const s3BucketName = fc.oneof(
  fc.constantFrom("example-tf-state", "my.bucket.name", "abc", "ca-bundles-1"),
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/),
);
const s3Key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("tls-edge/prod/terraform.tfstate", "clients/ca-bundle.pem", "a") },
  { weight: 4, arbitrary: freeText(1, 1024).filter((key) => !key.startsWith("/")) },
);
const duration = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom("ns", "us", "µs", "ms", "s", "m", "h"), fc.boolean()), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([n, unit, fraction]) => `${n}${fraction ? ".5" : ""}${unit}`).join(""));
const emailAddress = fc.oneof(
  fc.constantFrom("tls-alerts@example.com", "a$b@example.com", "x%y{z}@example.org"),
  fc.emailAddress().filter((email) => /^[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+$/.test(email) && email.length <= 254 && noTemplate(email)),
);
// Built once: a stringMatching arbitrary is costly to build (~10 ms), and the field generators run per world.
const hostedZoneId = fc.stringMatching(/^Z[A-Z0-9]{1,31}$/);
const dynamodbTable = fc.oneof(fc.constant("terraform-locks"), fc.stringMatching(/^[A-Za-z0-9_.-]{3,40}$/));
const httpsUrl = fc
  .tuple(fc.constantFrom("example.com", "reports.example.org"), fc.stringMatching(/^[a-z0-9/_-]{0,20}$/))
  .map(([host, path]) => `https://${host}/${path}`);
const snsTopicName = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
/** Content-Security-Policy values: common policies, and directives of ELB's header characters (no "%{"). */
const contentSecurityPolicy = fc.oneof(
  fc.constantFrom("default-src 'self'", "default-src 'self'; object-src 'none'; frame-ancestors 'none'", "upgrade-insecure-requests", "img-src * data:; report-uri /csp"),
  fc
    .array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9_ :.,\/'?!()\[\]@<>=+*#&|~^-]{0,30}$/)), { minLength: 1, maxLength: 4 })
    .map((directives) => directives.map(([name, value]) => `${name} ${value}`.trim()).join("; "))
    .filter((policy) => policy.trim() !== "" && Buffer.byteLength(policy) <= 1024),
);
const iamRolePathAndName = fc.stringMatching(/^([\w+=,.@-]{1,8}\/){0,2}[\w+=,.@-]{1,64}$/);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

/**
 * One generator per field of EnvironmentConfig, from the world; optional fields are sometimes undefined (then left
 * out). The mapped type makes a field without a generator a compile error.
 */
export const FIELD_ARBITRARIES: { readonly [K in keyof EnvironmentConfig]-?: (w: World) => fc.Arbitrary<EnvironmentConfig[K]> } = {
  name: (w) => fc.constant(w.name),
  region: (w) => fc.constant(w.region),
  accountId: (w) => fc.constant(w.pinAccount ? w.account : undefined),
  tags: () => optional(tags),
  hostedZones: (w) =>
    fc
      .array(hostedZoneId, { minLength: w.zones.length, maxLength: w.zones.length })
      .map((ids) => ownProperties(w.zones.map((apex, i) => [apex, ids[i]] as const))),
  domainName: (w) => fc.constantFrom(...w.names),
  subjectAlternativeNames: (w) => optional(fc.uniqueArray(fc.constantFrom(...w.names), { maxLength: 6 })),
  maxCertificateNames: () => optional(fc.integer({ min: 1, max: 100 })),
  loadBalancerArn: (w) =>
    fc.constant(`arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}:loadbalancer/app/${w.loadBalancerName}/${w.loadBalancerId}`),
  targetGroupArn: (w) =>
    optional(
      fc
        .tuple(elbName, hex16)
        .map(([name, id]) => `arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}:targetgroup/${name}/${id}`),
    ),
  existingListeners: (w) => {
    const listener = hex16.map((id) => `arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}:listener/app/${w.loadBalancerName}/${w.loadBalancerId}/${id}`);
    return optional(
      fc.oneof(
        fc.record({ http: listener }),
        fc.record({ https: listener }),
        fc.record({ http: listener, https: listener }).filter((l) => l.http !== l.https),
      ),
    );
  },
  tlsPolicy: () => optional(fc.constantFrom(...modernTlsPolicyNames())),
  keyAlgorithm: () => optional(fc.constantFrom(...KEY_ALGORITHMS)),
  validationTimeout: () => optional(duration),
  hsts: () =>
    optional(
      fc.oneof(
        fc.constant(false as const),
        fc.record(
          {
            maxAgeSeconds: fc.oneof(fc.constantFrom(0, 31536000, 63072000), fc.integer({ min: 0, max: 63072000 })),
            includeSubDomains: fc.boolean(),
            preload: fc.boolean(),
          },
          { requiredKeys: ["maxAgeSeconds"] },
        ),
      ),
    ),
  additionalCertificates: (w) =>
    optional(
      fc.array(
        fc.record(
          { domainName: fc.constantFrom(...w.names), subjectAlternativeNames: fc.uniqueArray(fc.constantFrom(...w.names), { maxLength: 4 }) },
          { requiredKeys: ["domainName"] },
        ),
        { maxLength: 4 },
      ),
    ),
  rsaFallback: () => optional(fc.boolean()),
  maxLoadBalancerCertificates: () => optional(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 100000 }))),
  mutualTls: () =>
    optional(
      fc.oneof(
        fc.constant({ mode: "passthrough" as const }),
        fc.record({
          mode: fc.constant("verify" as const),
          trustStore: fc.record(
            { bucket: s3BucketName, key: s3Key, revocationLists: fc.array(fc.record({ bucket: s3BucketName, key: s3Key }), { maxLength: 4 }) },
            { requiredKeys: ["bucket", "key"] },
          ),
        }),
      ),
    ),
  securityHeaders: () =>
    optional(
      fc.oneof(
        fc.constant(false as const),
        fc.record(
          {
            xContentTypeOptions: fc.constantFrom("nosniff" as const, false as const),
            xFrameOptions: fc.constantFrom(...X_FRAME_OPTIONS, false as const),
            contentSecurityPolicy: fc.oneof(fc.constant(false as const), contentSecurityPolicy),
            serverHeader: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
  stateBackend: () =>
    optional(
      fc.record({
        s3: fc.record(
          {
            bucket: s3BucketName,
            key: s3Key,
            region: fc.constantFrom(...REGIONS),
            dynamodbTable: dynamodbTable,
          },
          { requiredKeys: ["bucket"] },
        ),
      }),
    ),
  caa: () =>
    optional(
      fc.record(
        {
          issuers: fc.shuffledSubarray([...ACM_CAA_ISSUERS], { minLength: 1 }),
          iodef: fc.oneof(
            emailAddress.map((email) => `mailto:${email}`),
            httpsUrl,
            fc.constantFrom("https://example.com/$x", "https://example.com/100%25"),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  expiryAlarm: (w) =>
    optional(
      fc.oneof(
        fc.constant(false as const),
        fc.record(
          {
            daysBeforeExpiry: fc.integer({ min: 1, max: maxExpiryAlarmDays(scheduleDate()) }),
            snsTopicArn: snsTopicName.map((topic) => `arn:${w.partition}:sns:${w.region}:${w.account}:${topic}`),
            topic: fc.constantFrom(...EXPIRY_ALARM_TOPICS),
            email: emailAddress,
            renewalEvents: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
  dnsRoleArn: (w) =>
    optional(
      fc
        .tuple(account, iamRolePathAndName)
        .map(([zonesAccount, role]) => `arn:${w.partition}:iam::${zonesAccount}:role/${role}`),
    ),
  // Its account and partition follow dnsRoleArn's (repair), so only the path and name are drawn here.
  dnsReadRoleArn: (w) => optional(iamRolePathAndName.map((role) => `arn:${w.partition}:iam::${w.account}:role/${role}`)),
};

// ---------------------------------------------------------------------------------------------------------------------
// Valid environments
// ---------------------------------------------------------------------------------------------------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The certificate names with the SAN default applied (as lib/config/environment-config.ts certificateNames). */
function namesOf(domainName: string, sans: readonly string[] | undefined): string[] {
  return [domainName, ...(sans ?? [`*.${domainName}`])];
}

/** One certificate made to follow the per-certificate name rules: no repeats, a usable default SAN, within the quota. */
function repairCertificate<T extends { domainName: string; subjectAlternativeNames?: readonly string[] }>(certificate: T, maxNames: number): T {
  let sans = certificate.subjectAlternativeNames?.filter((name) => name !== certificate.domainName);
  // The default `*.<domainName>` is no name when domainName is a wildcard or 252+ characters long: list SANs instead.
  if (sans === undefined && (certificate.domainName.startsWith("*.") || certificate.domainName.length > 251)) sans = [];
  if (sans !== undefined && sans.length + 1 > maxNames) sans = sans.slice(0, maxNames - 1);
  if (sans === undefined && maxNames < 2) sans = [];
  const { subjectAlternativeNames: _dropped, ...rest } = certificate;
  return (sans === undefined ? rest : { ...rest, subjectAlternativeNames: sans }) as T;
}

/**
 * Applies the cross-field rules that independent draws can break. Each line is one documented rule of
 * lib/config/fields/* (see there); none reads the validator's code.
 */
export function repair(raw: EnvironmentConfig): EnvironmentConfig {
  const config = { ...raw } as Mutable<EnvironmentConfig>;
  const maxNames = config.maxCertificateNames ?? 10;
  Object.assign(config, repairCertificate(config, maxNames));

  if (config.additionalCertificates !== undefined) {
    const seenDomains = new Set<string>();
    const seenSets = new Set([nameSet(namesOf(config.domainName, config.subjectAlternativeNames))]);
    config.additionalCertificates = config.additionalCertificates
      .map((certificate) => repairCertificate(certificate, maxNames))
      .filter((certificate) => {
        const set = nameSet(namesOf(certificate.domainName, certificate.subjectAlternativeNames));
        if (seenDomains.has(certificate.domainName) || seenSets.has(set)) return false;
        seenDomains.add(certificate.domainName);
        seenSets.add(set);
        return true;
      });
  }
  if (config.rsaFallback === true && config.keyAlgorithm === "RSA_2048") config.rsaFallback = false;
  const sni = (config.additionalCertificates?.length ?? 0) + (config.rsaFallback === true ? 2 : 0);
  if (config.maxLoadBalancerCertificates !== undefined && config.maxLoadBalancerCertificates < sni) config.maxLoadBalancerCertificates = sni;
  if (config.maxLoadBalancerCertificates === undefined && sni > DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA) config.maxLoadBalancerCertificates = sni;

  if (config.hsts !== undefined && config.hsts !== false && config.hsts.preload === true) {
    if (config.hsts.includeSubDomains !== true || config.hsts.maxAgeSeconds < 31536000) config.hsts = { ...config.hsts, preload: false };
  }
  if (config.dnsRoleArn === undefined) {
    delete config.dnsReadRoleArn;
  } else {
    // The reading role lives in the writing role's account, is not the writing role, and a writing role whose name
    // leaves no room for the default "-read" needs one named.
    const [, partition, , , zonesAccount] = config.dnsRoleArn.split(":");
    const writeName = config.dnsRoleArn.split("/").pop()!;
    const readRole = config.dnsReadRoleArn?.slice(config.dnsReadRoleArn.indexOf(":role/") + ":role/".length);
    const read = readRole === undefined ? undefined : `arn:${partition}:iam::${zonesAccount}:role/${readRole}`;
    if (read !== undefined && read !== config.dnsRoleArn) config.dnsReadRoleArn = read;
    else if (writeName.length + "-read".length > 64) config.dnsReadRoleArn = `arn:${partition}:iam::${zonesAccount}:role/reader`;
    else delete config.dnsReadRoleArn;
  }
  if (config.mutualTls?.mode === "verify" && config.mutualTls.trustStore.revocationLists !== undefined) {
    // Distinct lists, none the CA bundle itself.
    const { bucket, key } = config.mutualTls.trustStore;
    const seen = new Set([`${bucket}/${key}`]);
    const revocationLists = config.mutualTls.trustStore.revocationLists.filter((list) => {
      const location = `${list.bucket}/${list.key}`;
      if (seen.has(location)) return false;
      seen.add(location);
      return true;
    });
    config.mutualTls = { ...config.mutualTls, trustStore: { ...config.mutualTls.trustStore, revocationLists } };
  }
  if (config.expiryAlarm !== undefined && config.expiryAlarm !== false && config.expiryAlarm.snsTopicArn !== undefined) {
    const { topic: _topic, email: _email, ...alarm } = config.expiryAlarm;
    config.expiryAlarm = alarm;
  }
  return config;
}

function nameSet(names: readonly string[]): string {
  return JSON.stringify([...new Set(names)].sort());
}

/** Leaves out the fields drawn as undefined; `keepUndefined` keeps them as own properties set to undefined instead. */
function withoutUndefined(config: Record<string, unknown>, keepUndefined: boolean): Record<string, unknown> {
  if (keepUndefined) return config;
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

/** Ways to hand over the same valid data that must not change the verdict. */
export const PRESERVING_TRANSFORMS = ["none", "json", "nullPrototypes", "frozen"] as const;
export type PreservingTransform = (typeof PRESERVING_TRANSFORMS)[number];

/** Applies a validity-preserving transform to a (JSON-safe) valid environment. */
export function preserving(config: EnvironmentConfig, transform: PreservingTransform): EnvironmentConfig {
  switch (transform) {
    case "none":
      return config;
    case "json":
      // JSON.parse makes `__proto__` (a tag key) an own property, as a configuration read from a JSON file would have.
      return JSON.parse(JSON.stringify(config)) as EnvironmentConfig;
    case "nullPrototypes":
      return deepMap(config, (entries) => ownProperties(entries, null)) as EnvironmentConfig;
    case "frozen":
      return deepMap(config, (entries) => Object.freeze(ownProperties(entries)), (array) => Object.freeze(array) as unknown[]) as EnvironmentConfig;
  }
}

function deepMap(value: unknown, object: (entries: Array<[string, unknown]>) => object, array: (a: unknown[]) => unknown[] = (a) => a): unknown {
  if (Array.isArray(value)) return array(value.map((element) => deepMap(element, object, array)));
  if (typeof value === "object" && value !== null) {
    return object(Object.keys(value).map((key) => [key, deepMap((value as Record<string, unknown>)[key], object, array)]));
  }
  return value;
}

/** A configuration meant to validate, with the transform it was handed over with. */
export const validEnvironment: fc.Arbitrary<EnvironmentConfig> = fc
  .tuple(world.chain((w) => fc.record(mapFields((field) => FIELD_ARBITRARIES[field](w) as fc.Arbitrary<unknown>))), fc.boolean(), fc.constantFrom(...PRESERVING_TRANSFORMS))
  .map(([fields, keepUndefined, transform]) => {
    const config = repair(withoutUndefined(fields, keepUndefined && transform !== "json") as unknown as EnvironmentConfig);
    return preserving(config, transform);
  });

function mapFields<T>(f: (field: keyof EnvironmentConfig) => T): Record<keyof EnvironmentConfig, T> {
  return Object.fromEntries(Object.keys(FIELD_ARBITRARIES).map((field) => [field, f(field as keyof EnvironmentConfig)])) as Record<keyof EnvironmentConfig, T>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Junk and mutations
// ---------------------------------------------------------------------------------------------------------------------

/** Values no field accepts as they are, or only by chance: every JSON type, and what JavaScript adds. */
const junkLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, "", " ", "0", "true", "null", "undefined"),
  fc.constantFrom(undefined, NaN, Infinity, -Infinity),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.constantFrom(...TEMPLATE_LIKE, ...PROTOTYPE_KEYS),
  fc.bigInt(),
  fc.nat().map((kind) => exoticValue(kind)),
);

/** A fresh JavaScript value that JSON has no word for (a new one each draw, so no two cases share state). */
function exoticValue(kind: number): unknown {
  const kinds: Array<() => unknown> = [
    () => Symbol("junk"),
    () => function junk() {},
    () => new Date(NaN),
    () => /x/g,
    () => new Map([["a", 1]]),
    () => new Set([1]),
    () => Object.assign(Object.create(null), { big: 10n }),
    () => {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      return cyclic;
    },
    () => {
      const cyclic = Object.create(null) as Record<string, unknown>;
      cyclic.self = cyclic;
      return cyclic;
    },
    () => [, 1], // eslint-disable-line no-sparse-arrays
    () => new String("boxed"), // eslint-disable-line no-new-wrappers
    () => new Uint8Array(2),
    () => new Error("junk"),
    () => Object.create({ inherited: "value" }),
  ];
  return kinds[kind % kinds.length]();
}

const junkKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, "", " ", "toString", "valueOf", "hasOwnProperty", "length", "0"),
  fc.string({ maxLength: 12 }),
);

/** Junk of any depth (objects keyed by junk keys, `__proto__` among them, as own properties). */
export const junk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 3 }, junkLeaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc
    .tuple(fc.uniqueArray(fc.tuple(junkKey, tie("value")), { maxLength: 4, selector: ([key]) => key }), fc.boolean())
    .map(([entries, nullPrototype]) => ownProperties(entries, nullPrototype ? null : Object.prototype)),
})).value;

/** A near-miss of a key: one edit (drop, double, swap, change a letter, change case) or snake/kebab case. */
export interface Typo {
  readonly kind: "drop" | "double" | "swap" | "replace" | "case" | "snake" | "kebab";
  readonly at: number;
  readonly letter: string;
}

const typo: fc.Arbitrary<Typo> = fc.record({
  kind: fc.constantFrom("drop", "double", "swap", "replace", "case", "snake", "kebab"),
  at: fc.nat(),
  letter: fc.constantFrom("a", "e", "s", "x", "_", "-", "S"),
});

export function applyTypo(key: string, { kind, at, letter }: Typo): string {
  const i = key.length === 0 ? 0 : at % key.length;
  switch (kind) {
    case "drop":
      return key.slice(0, i) + key.slice(i + 1);
    case "double":
      return key.slice(0, i + 1) + key.slice(i);
    case "swap":
      return i + 1 < key.length ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2) : key.slice(0, -2) + key.slice(-1) + key.slice(-2, -1);
    case "replace":
      return key.slice(0, i) + letter + key.slice(i + 1);
    case "case":
      return key.slice(0, i) + (key[i] === key[i]?.toUpperCase() ? key[i]?.toLowerCase() : key[i]?.toUpperCase()) + key.slice(i + 1);
    case "snake":
      return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    case "kebab":
      return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  }
}

/** Where a mutation lands: the n-th path of the environment (modulo their count), objects, arrays and leaves alike. */
type KeyChoice =
  | { readonly kind: "prototype"; readonly key: (typeof PROTOTYPE_KEYS)[number] }
  | { readonly kind: "typo"; readonly typo: Typo }
  | { readonly kind: "random"; readonly key: string }
  | { readonly kind: "field"; readonly field: keyof EnvironmentConfig };

export type Mutation =
  | { readonly kind: "replace"; readonly at: number; readonly value: unknown }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "addKey"; readonly at: number; readonly key: KeyChoice; readonly value: unknown }
  | { readonly kind: "renameKey"; readonly at: number; readonly typo: Typo }
  | { readonly kind: "huge"; readonly at: number; readonly length: number; readonly text: string }
  | { readonly kind: "template"; readonly at: number; readonly offset: number; readonly text: string }
  | { readonly kind: "recordKey"; readonly field: "tags" | "hostedZones"; readonly key: string }
  | { readonly kind: "prototype"; readonly at: number; readonly prototype: "null" | "junk" | "array" };

export const MUTATION_KINDS = ["replace", "delete", "addKey", "renameKey", "huge", "template", "recordKey", "prototype"] as const;

const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  fc.record({ kind: fc.constant("prototype" as const), key: fc.constantFrom(...PROTOTYPE_KEYS) }),
  fc.record({ kind: fc.constant("typo" as const), typo }),
  fc.record({ kind: fc.constant("random" as const), key: fc.string({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant("field" as const), field: fc.constantFrom(...(Object.keys(FIELD_ARBITRARIES) as Array<keyof EnvironmentConfig>)) }),
);

const hugeMutation = fc.record({
  kind: fc.constant("huge" as const),
  at: fc.nat(),
  // Past every length limit (253, 256, 1024) and well past: 100k characters, not more, to keep a run quick.
  length: fc.oneof(fc.integer({ min: 254, max: 5000 }), fc.integer({ min: 100_000, max: 200_000 })),
  text: fc.constantFrom("a", "a.", "*.", "Z0", "0", "é", "${", " "),
});
const templateMutation = fc.record({ kind: fc.constant("template" as const), at: fc.nat(), offset: fc.nat(), text: fc.constantFrom(...TEMPLATE_LIKE) });
/**
 * A key with a plausible value in a record field (where any key is data): the keys JavaScript or Terraform treat
 * specially, as own properties (as JSON.parse makes them).
 */
const recordKeyMutation = fc.record({
  kind: fc.constant("recordKey" as const),
  field: fc.constantFrom("tags" as const, "hostedZones" as const),
  key: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 2, arbitrary: fc.constantFrom(...TEMPLATE_LIKE) },
    { weight: 1, arbitrary: fc.constantFrom("aws:x", "AWS:x", "", "example.com.", "x".repeat(129)) },
  ),
});

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: junk }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("addKey" as const), at: fc.nat(), key: keyChoice, value: fc.oneof(junk, fc.constant("valid-looking")) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("renameKey" as const), at: fc.nat(), typo }) },
  { weight: 1, arbitrary: hugeMutation },
  { weight: 1, arbitrary: templateMutation },
  { weight: 2, arbitrary: recordKeyMutation },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("prototype" as const), at: fc.nat(), prototype: fc.constantFrom("null" as const, "junk" as const, "array" as const) }) },
);

/** A place in an environment: the container and the key (the root itself has no container). */
interface Place {
  readonly container: Record<string, unknown> | unknown[] | undefined;
  readonly key: string;
  readonly value: unknown;
}

/** Every place in a value, parents before children (the root first). Stops at cycles and non-plain objects. */
function places(root: unknown): Place[] {
  const found: Place[] = [{ container: undefined, key: "", value: root }];
  const seen = new Set<unknown>();
  const walk = (value: unknown) => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (!Array.isArray(value) && !isPlain(value)) return;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      found.push({ container: value as Record<string, unknown>, key, value: member });
      walk(member);
    }
  };
  walk(root);
  return found;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function define(container: object, key: string, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies one mutation in place (on a mutable deep copy); returns the possibly replaced root. */
export function applyMutation(root: unknown, m: Mutation): unknown {
  const all = places(root);
  const place = all[("at" in m ? m.at : 0) % all.length];
  const objects = all.filter((p) => typeof p.value === "object" && p.value !== null && !Array.isArray(p.value) && isPlain(p.value as object) && Object.isExtensible(p.value));
  const strings = all.filter((p) => typeof p.value === "string");
  const keyed = all.filter((p) => p.container !== undefined && !Array.isArray(p.container));
  const set = (target: Place, value: unknown) => {
    if (target.container === undefined) return value;
    define(target.container, target.key, value);
    return root;
  };
  switch (m.kind) {
    case "replace":
      return set(place, m.value);
    case "delete": {
      if (place.container === undefined) return undefined;
      if (Array.isArray(place.container)) place.container.splice(Number(place.key), 1);
      else delete place.container[place.key];
      return root;
    }
    case "addKey": {
      if (objects.length === 0) return root;
      const target = objects[m.at % objects.length].value as Record<string, unknown>;
      const siblings = target === root ? Object.keys(FIELD_ARBITRARIES) : Object.keys(target);
      const key =
        m.key.kind === "typo"
          ? applyTypo(siblings.length === 0 ? "key" : siblings[m.key.typo.at % siblings.length], m.key.typo)
          : m.key.kind === "field"
            ? m.key.field
            : m.key.key;
      define(target, key, m.value);
      return root;
    }
    case "renameKey": {
      if (keyed.length === 0) return root;
      const target = keyed[m.at % keyed.length];
      const container = target.container as Record<string, unknown>;
      const renamed = applyTypo(target.key, m.typo);
      delete container[target.key];
      define(container, renamed, target.value);
      return root;
    }
    case "huge": {
      // A string value, or a key (an unknown field, a tag key, a zone apex) made huge.
      const huge = m.text.repeat(Math.ceil(m.length / m.text.length)).slice(0, m.length);
      const targets = [...strings.map((place) => ({ place, intoKey: false })), ...keyed.map((place) => ({ place, intoKey: true }))];
      if (targets.length === 0) return root;
      const { place: target, intoKey } = targets[m.at % targets.length];
      if (!intoKey) return set(target, huge);
      const container = target.container as Record<string, unknown>;
      delete container[target.key];
      define(container, huge, target.value);
      return root;
    }
    case "template": {
      // Into a string value, or into a key (tags are the free-text keys).
      const targets = [...strings.map((place) => ({ place, intoKey: false })), ...keyed.map((place) => ({ place, intoKey: true }))];
      if (targets.length === 0) return root;
      const { place: target, intoKey } = targets[m.at % targets.length];
      const text = intoKey ? target.key : (target.value as string);
      const at = m.offset % (text.length + 1);
      const changed = text.slice(0, at) + m.text + text.slice(at);
      if (!intoKey) return set(target, changed);
      const container = target.container as Record<string, unknown>;
      delete container[target.key];
      define(container, changed, target.value);
      return root;
    }
    case "recordKey": {
      if (typeof root !== "object" || root === null || Array.isArray(root) || !Object.isExtensible(root)) return root;
      // No tags yet: the key goes into new ones.
      if ((root as Record<string, unknown>)[m.field] === undefined) define(root, m.field, {});
      const record = (root as Record<string, unknown>)[m.field];
      if (typeof record !== "object" || record === null || !Object.isExtensible(record)) return root;
      define(record, m.key, m.field === "tags" ? "valid-looking" : "Z0123456789ABC");
      return root;
    }
    case "prototype": {
      if (objects.length === 0) return root;
      const target = objects[m.at % objects.length].value as object;
      Object.setPrototypeOf(target, m.prototype === "null" ? null : m.prototype === "array" ? Array.prototype : { domainName: "inherited.example.com", mode: "verify" });
      return root;
    }
  }
}

/** A deep copy of plain data (objects keep their own keys, `__proto__` included, and their prototype). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value === "object" && value !== null) {
    return ownProperties(Object.keys(value).map((key) => [key, copy((value as Record<string, unknown>)[key])] as const), Object.getPrototypeOf(value) as object | null);
  }
  return value;
}

/** 1-3 mutations, mostly one (so that the rest of the environment stays valid and the mutation decides). */
const mutations = fc.oneof({ weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }) });

/**
 * One mutation at an edge of a rule that values from the valid generators never reach: a special key in a record, a
 * template sequence in a string or key, a huge string. Such an environment should be refused; if one validates, it is
 * synthesized (see EnvironmentsInput.synthesize), so a rule that stops refusing fails the run.
 */
const edgeMutation: fc.Arbitrary<Mutation[]> = fc.oneof(recordKeyMutation, templateMutation, hugeMutation).map((m) => [m]);

/** The mutation kinds of `edgeMutation`. */
export const EDGE_MUTATION_KINDS: ReadonlySet<Mutation["kind"]> = new Set(["recordKey", "template", "huge"]);

/** A valid environment with mutations; the mutations ride along for the statistics. */
export function mutatedEnvironment(
  which: fc.Arbitrary<Mutation[]> = mutations,
): fc.Arbitrary<{ environment: unknown; mutations: readonly Mutation[] }> {
  return fc.tuple(validEnvironment, which, fc.boolean()).map(([valid, mutations, viaJson]) => {
    let environment = copy(valid);
    for (const m of mutations) environment = applyMutation(environment, m);
    // Through JSON text when the result is still JSON: own `__proto__` keys come back as JSON.parse makes them.
    if (viaJson) {
      try {
        const text = JSON.stringify(environment);
        if (text !== undefined) environment = JSON.parse(text);
      } catch {
        // bigint or a cycle: keep it as it is
      }
    }
    return { environment, mutations };
  });
}

/** One environment of an input: valid, or mutated. */
export interface EnvironmentCase {
  readonly environment: unknown;
  readonly mutations: readonly Mutation[];
}

export const environmentCase: fc.Arbitrary<EnvironmentCase> = fc.oneof(
  { weight: 5, arbitrary: validEnvironment.map((environment) => ({ environment, mutations: [] as Mutation[] })) },
  { weight: 4, arbitrary: mutatedEnvironment() },
  { weight: 2, arbitrary: mutatedEnvironment(edgeMutation) },
);

/** What `environmentProblems` is called with, and whether to synthesize it when it validates. */
export interface EnvironmentsInput {
  readonly environments: unknown;
  readonly cases: readonly EnvironmentCase[];
  /**
   * Drawn with the input (so shrinking keeps it): synthesize this input if it validates. Inputs with an environment
   * that has only edge mutations (EDGE_MUTATION_KINDS) are synthesized whenever they validate: few do while the rules
   * hold, and one that does is what a rule that stopped refusing looks like.
   */
  readonly synthesize: boolean;
}

/** `synthesizeShare`: the share of the other inputs to synthesize when they validate (synth costs ~40-60 ms a stack). */
export function environmentsInput(synthesizeShare: number): fc.Arbitrary<EnvironmentsInput> {
  const synthesize = fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x < synthesizeShare * 10000);
  return fc.oneof(
    { weight: 17, arbitrary: fc.tuple(environmentCase, synthesize).map(([c, s]) => ({ environments: [c.environment], cases: [c], synthesize: s })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.array(environmentCase, { minLength: 2, maxLength: 3 }), synthesize).map(([cases, s]) => ({ environments: cases.map((c) => c.environment), cases, synthesize: s })),
    },
    { weight: 1, arbitrary: junk.filter((j) => !Array.isArray(j)).map((environments) => ({ environments, cases: [], synthesize: false })) },
  );
}
