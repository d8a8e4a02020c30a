/**
 * Malformed environment configurations, one table row each. Every row names ALL the problems its mutation should
 * cause (the count is checked too, so a rule that fires twice for one mistake fails here), and every row is run twice:
 * through `environmentProblems` (the structured problems) and through `synthesizeEnvironments` (the one
 * `EnvironmentConfigError`, its rendered message, and an output directory left byte-for-byte as it was).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentConfig, EnvironmentConfigError, environmentProblems, synthesizeEnvironments } from "../../lib";

type RawEnvironment = Record<string, unknown>;

interface ExpectedProblem {
  readonly environment: string;
  readonly path: string;
  /** The offending value; undefined for a missing field. */
  readonly value: unknown;
  readonly message: RegExp;
}

interface BadInputCase {
  readonly description: string;
  /** A fresh list of environments each call, so no row can leak a mutation into another. */
  readonly environments: () => unknown[];
  readonly problems: readonly ExpectedProblem[];
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SENTINEL = "sentinel\n";

/** A valid environment in the shape of environments/prod.ts, with values of its own. */
function baseEnvironment(): RawEnvironment {
  return {
    name: "edge",
    region: "eu-central-1",
    accountId: "444444444444",
    domainName: "shop.example.net",
    subjectAlternativeNames: ["*.shop.example.net", "api.shop.example.net", "*.api.shop.example.net"],
    hostedZones: { "example.net": "Z0EXAMPLENET00000001" },
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-central-1:444444444444:loadbalancer/app/edge-shop/0123456789abcdef",
    targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:444444444444:targetgroup/web-shop/fedcba9876543210",
    tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    keyAlgorithm: "EC_prime256v1",
    validationTimeout: "45m",
    stateBackend: {
      s3: {
        bucket: "example-tf-state-edge",
        key: "tls-edge/edge/terraform.tfstate",
        region: "eu-central-1",
        dynamodbTable: "terraform-locks",
      },
    },
    tags: { owner: "platform", "cost-center": "edge" },
  };
}

/** A second valid environment, for rules across environments. */
function secondEnvironment(): RawEnvironment {
  return {
    name: "edge-west",
    region: "us-west-2",
    domainName: "west.example.net",
    hostedZones: { "example.net": "Z0EXAMPLENET00000001" },
    loadBalancerArn: "arn:aws:elasticloadbalancing:us-west-2:555555555555:loadbalancer/app/edge-west/89abcdef01234567",
  };
}

/** The base environment with some fields replaced (a value of `undefined` removes the field). */
function withFields(fields: RawEnvironment): RawEnvironment {
  const environment = { ...baseEnvironment(), ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete environment[key];
  return environment;
}

/** The base environment with its S3 backend fields replaced. */
function withS3(fields: RawEnvironment): RawEnvironment {
  const base = baseEnvironment();
  const s3 = (base.stateBackend as { s3: RawEnvironment }).s3;
  return { ...base, stateBackend: { s3: { ...s3, ...fields } } };
}

const one = (fields: RawEnvironment) => () => [withFields(fields)];
const edge = (path: string, value: unknown, message: RegExp): ExpectedProblem => ({ environment: "edge", path, value, message });

const ALB = (region: string, account: string) =>
  `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/edge-shop/0123456789abcdef`;
const TARGET_GROUP = (region: string, account: string) =>
  `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/web-shop/fedcba9876543210`;
const LISTENER = (region: string, account: string, loadBalancer = "edge-shop/0123456789abcdef") =>
  `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/${loadBalancer}/aaaabbbbccccdddd`;
const NAME_254 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(50)}.example.net`;
/** 252 characters: valid itself, but its default SAN "*.<name>" is 254. */
const NAME_252 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(48)}.example.net`;
const TEN_SANS = Array.from({ length: 10 }, (_, i) => `n${i}.shop.example.net`);
const ELEVEN_SANS = Array.from({ length: 11 }, (_, i) => `n${i}.shop.example.net`);
/** A valid Content-Security-Policy of 1,025 ASCII characters (bytes): one more than ELB's attribute limit. */
const CSP_1025 = `default-src 'self' https://${"a".repeat(1025 - "default-src 'self' https://.example.net".length)}.example.net`;
const TWENTY_SIX_CERTIFICATES = Array.from({ length: 26 }, (_, i) => ({ domainName: `c${i}.example.net` }));

const cases: BadInputCase[] = [
  // Environment names.
  {
    description: "rejects an empty environment name and labels the environment by its index",
    environments: one({ name: "" }),
    problems: [{ environment: "environments[0]", path: "name", value: "", message: /must be 1-32 lowercase letters/ }],
  },
  {
    description: "rejects an environment name with uppercase letters and an underscore",
    environments: one({ name: "Edge_1" }),
    problems: [{ environment: "environments[0]", path: "name", value: "Edge_1", message: /lowercase letters, digits or inner hyphens/ }],
  },
  {
    description: "rejects an environment name longer than 32 characters",
    environments: one({ name: "e".repeat(33) }),
    problems: [{ environment: "environments[0]", path: "name", value: "e".repeat(33), message: /must be 1-32/ }],
  },
  {
    description: "rejects two environments with the same name, reporting the second by its index",
    environments: () => [baseEnvironment(), { ...secondEnvironment(), name: "edge" }],
    problems: [{ environment: "environments[1]", path: "name", value: "edge", message: /^duplicate environment name \(also environments\[0\]\)$/ }],
  },

  // Certificate name syntax.
  {
    description: "rejects an empty domainName",
    environments: one({ domainName: "" }),
    problems: [edge("domainName", "", /^must not be empty$/)],
  },
  {
    description: "rejects a domainName longer than 253 characters",
    environments: one({ domainName: NAME_254 }),
    problems: [edge("domainName", NAME_254, /^is 254 characters long, more than 253$/)],
  },
  {
    description: "rejects a label longer than 63 characters",
    environments: one({ domainName: `${"a".repeat(64)}.example.net` }),
    problems: [edge("domainName", `${"a".repeat(64)}.example.net`, /^label "a{20}\.\.\." is 64 characters long, more than 63$/)],
  },
  {
    description: "rejects an underscore in a name",
    environments: one({ domainName: "shop_api.example.net" }),
    problems: [edge("domainName", "shop_api.example.net", /label "shop_api" may only hold letters, digits and inner hyphens/)],
  },
  {
    description: "rejects a space in a name once, as whitespace",
    environments: one({ domainName: "shop api.example.net" }),
    problems: [edge("domainName", "shop api.example.net", /^must not contain whitespace$/)],
  },
  {
    description: "rejects a dollar sign in a name",
    environments: one({ domainName: "shop.exa$mple.net" }),
    problems: [edge("domainName", "shop.exa$mple.net", /label "exa\$mple" may only hold letters/)],
  },
  {
    description: "rejects a doubled dot as an empty label",
    environments: one({ domainName: "a..example.net" }),
    problems: [edge("domainName", "a..example.net", /empty label/)],
  },
  {
    description: "rejects a leading dot as an empty label",
    environments: one({ domainName: ".shop.example.net" }),
    problems: [edge("domainName", ".shop.example.net", /empty label/)],
  },
  {
    description: "rejects a trailing dot instead of silently stripping it",
    environments: one({ domainName: "shop.example.net." }),
    problems: [edge("domainName", "shop.example.net.", /^must not end with a dot$/)],
  },
  {
    description: "rejects a one-label name with a trailing dot on both counts",
    environments: one({ subjectAlternativeNames: ["net."] }),
    problems: [
      edge("subjectAlternativeNames[0]", "net.", /^must not end with a dot$/),
      edge("subjectAlternativeNames[0]", "net.", /^must have at least two labels$/),
    ],
  },
  {
    description: "rejects an uppercase name rather than normalising it",
    environments: one({ domainName: "API.example.net" }),
    problems: [edge("domainName", "API.example.net", /^must be lowercase$/)],
  },
  {
    description: "rejects a wildcard in the second label as well as the first",
    environments: one({ subjectAlternativeNames: ["api.shop.example.net", "*.*.example.net"] }),
    problems: [edge("subjectAlternativeNames[1]", "*.*.example.net", /^a wildcard may only be the whole leftmost label$/)],
  },
  {
    description: "rejects a wildcard in an inner label",
    environments: one({ subjectAlternativeNames: ["api.*.example.net"] }),
    problems: [edge("subjectAlternativeNames[0]", "api.*.example.net", /^a wildcard may only be the whole leftmost label$/)],
  },
  {
    description: "rejects a wildcard that is only part of the leftmost label",
    environments: one({ subjectAlternativeNames: ["*api.example.net"] }),
    problems: [edge("subjectAlternativeNames[0]", "*api.example.net", /^a wildcard may only be the whole leftmost label$/)],
  },
  {
    description: "rejects a wildcard directly on a top-level domain",
    environments: one({ subjectAlternativeNames: ["*.net"] }),
    problems: [edge("subjectAlternativeNames[0]", "*.net", /ACM rejects \*\.tld/)],
  },

  // Certificate name sets.
  {
    description: "rejects a subject alternative name listed twice",
    environments: one({ subjectAlternativeNames: ["api.shop.example.net", "api.shop.example.net"] }),
    problems: [edge("subjectAlternativeNames[1]", "api.shop.example.net", /^duplicate of subjectAlternativeNames\[0\]$/)],
  },
  {
    description: "rejects a subject alternative name equal to domainName",
    environments: one({ subjectAlternativeNames: ["shop.example.net", "*.shop.example.net"] }),
    problems: [edge("subjectAlternativeNames[0]", "shop.example.net", /^duplicate of domainName$/)],
  },
  {
    description: "rejects more than 10 certificate names under the default quota",
    environments: one({ subjectAlternativeNames: TEN_SANS }),
    problems: [edge("subjectAlternativeNames", TEN_SANS, /certificate would have 11 names .*more than maxCertificateNames \(10\)/)],
  },
  {
    description: "rejects 13 certificate names when maxCertificateNames is 12",
    environments: one({ subjectAlternativeNames: [...ELEVEN_SANS, "n11.shop.example.net"], maxCertificateNames: 12 }),
    problems: [
      edge("subjectAlternativeNames", [...ELEVEN_SANS, "n11.shop.example.net"], /would have 13 names .*more than maxCertificateNames \(12\)/),
    ],
  },
  {
    description: "rejects a name under no configured hosted zone",
    environments: one({ subjectAlternativeNames: ["*.shop.example.net", "shop.example.org"] }),
    problems: [edge("subjectAlternativeNames[1]", "shop.example.org", /^is under no configured hosted zone \(zones: example\.net\)$/)],
  },
  {
    description: "reports a domainName under no hosted zone once, not again for its default wildcard SAN",
    environments: one({ domainName: "shop.example.org", subjectAlternativeNames: undefined }),
    problems: [edge("domainName", "shop.example.org", /under no configured hosted zone/)],
  },
  {
    description: "rejects a default wildcard SAN that is too long although domainName itself is valid",
    environments: one({ domainName: NAME_252, subjectAlternativeNames: undefined }),
    problems: [
      edge(
        "subjectAlternativeNames (default)",
        `*.${NAME_252}`,
        /^is 254 characters long, more than 253 \(the default \*\.<domainName>; list subjectAlternativeNames explicitly\)$/,
      ),
    ],
  },
  {
    description: "rejects the default wildcard SAN of a wildcard domainName",
    environments: one({ domainName: "*.shop.example.net", subjectAlternativeNames: undefined }),
    problems: [
      edge("subjectAlternativeNames (default)", "*.*.shop.example.net", /^a wildcard may only be the whole leftmost label \(the default/),
    ],
  },

  // maxCertificateNames.
  {
    description: "rejects maxCertificateNames of 0 without a follow-on quota problem",
    environments: one({ maxCertificateNames: 0 }),
    problems: [edge("maxCertificateNames", 0, /^must be between 1 and 100/)],
  },
  {
    description: "rejects maxCertificateNames above ACM's hard limit of 100",
    environments: one({ maxCertificateNames: 101 }),
    problems: [edge("maxCertificateNames", 101, /^must be between 1 and 100 \(ACM's hard limit is 100\)$/)],
  },
  {
    description: "rejects a fractional maxCertificateNames as not an integer",
    environments: one({ maxCertificateNames: 2.5 }),
    problems: [edge("maxCertificateNames", 2.5, /^must be an integer, not a float$/)],
  },
  {
    description: "rejects an infinite maxCertificateNames once and shows it as Infinity",
    environments: one({ maxCertificateNames: Infinity }),
    problems: [edge("maxCertificateNames", Infinity, /^must be an integer/)],
  },
  {
    description: "rejects maxCertificateNames given as a string",
    environments: one({ maxCertificateNames: "12" }),
    problems: [edge("maxCertificateNames", "12", /^must be a number, not a string$/)],
  },

  // Hosted zones.
  {
    description: "rejects a lowercase hosted zone ID",
    environments: one({ hostedZones: { "example.net": "z0examplenet00000001" } }),
    problems: [edge('hostedZones["example.net"]', "z0examplenet00000001", /is not a Route53 hosted zone ID/)],
  },
  {
    description: "rejects a hosted zone ID with the /hostedzone/ prefix",
    environments: one({ hostedZones: { "example.net": "/hostedzone/Z123" } }),
    problems: [edge('hostedZones["example.net"]', "/hostedzone/Z123", /without the \/hostedzone\/ prefix/)],
  },
  {
    description: "rejects an empty hosted zone ID",
    environments: one({ hostedZones: { "example.net": "" } }),
    problems: [edge('hostedZones["example.net"]', "", /is not a Route53 hosted zone ID/)],
  },
  {
    description: "rejects a wildcard hosted zone apex",
    environments: one({ hostedZones: { "*.example.net": "Z0EXAMPLENET00000001" } }),
    problems: [edge('hostedZones["*.example.net"]', "*.example.net", /^zone apex must not contain a wildcard$/)],
  },
  {
    description: "rejects an uppercase hosted zone apex",
    environments: one({ hostedZones: { "Example.net": "Z0EXAMPLENET00000001" } }),
    problems: [edge('hostedZones["Example.net"]', "Example.net", /^zone apex must be lowercase$/)],
  },
  {
    description: "rejects an empty hostedZones map",
    environments: one({ hostedZones: {} }),
    problems: [edge("hostedZones", {}, /^must name at least one hosted zone$/)],
  },

  // Load balancer and target group ARNs.
  {
    description: "rejects a load balancer ARN without its ID",
    environments: one({ loadBalancerArn: "arn:aws:elasticloadbalancing:eu-central-1:444444444444:loadbalancer/app/edge-shop" }),
    problems: [
      edge("loadBalancerArn", "arn:aws:elasticloadbalancing:eu-central-1:444444444444:loadbalancer/app/edge-shop", /^is malformed \(expected/),
    ],
  },
  {
    description: "rejects a loadBalancerArn that is not an ARN at all",
    environments: one({ loadBalancerArn: "edge-shop" }),
    problems: [edge("loadBalancerArn", "edge-shop", /^is not an ARN$/)],
  },
  {
    description: "rejects a network load balancer ARN",
    environments: one({ loadBalancerArn: "arn:aws:elasticloadbalancing:eu-central-1:444444444444:loadbalancer/net/edge-nlb/0123456789abcdef" }),
    problems: [
      edge(
        "loadBalancerArn",
        "arn:aws:elasticloadbalancing:eu-central-1:444444444444:loadbalancer/net/edge-nlb/0123456789abcdef",
        /is a Network Load Balancer, not an Application Load Balancer/,
      ),
    ],
  },
  {
    description: "rejects a target group ARN passed as loadBalancerArn and says so",
    environments: one({ loadBalancerArn: TARGET_GROUP("eu-central-1", "444444444444") }),
    problems: [edge("loadBalancerArn", TARGET_GROUP("eu-central-1", "444444444444"), /^is a target group ARN, not a load balancer ARN/)],
  },
  {
    description: "rejects a load balancer in another region than the environment, once",
    environments: one({ loadBalancerArn: ALB("eu-west-1", "444444444444") }),
    problems: [edge("loadBalancerArn", ALB("eu-west-1", "444444444444"), /^region eu-west-1 does not match environment region eu-central-1$/)],
  },
  {
    description: "rejects a load balancer in another account than accountId, once",
    environments: one({ loadBalancerArn: ALB("eu-central-1", "555555555555") }),
    problems: [edge("loadBalancerArn", ALB("eu-central-1", "555555555555"), /^account 555555555555 does not match accountId 444444444444$/)],
  },
  {
    description: "rejects a target group in another region than the load balancer",
    environments: one({ targetGroupArn: TARGET_GROUP("us-east-1", "444444444444") }),
    problems: [
      edge("targetGroupArn", TARGET_GROUP("us-east-1", "444444444444"), /^region us-east-1 differs from the load balancer's region eu-central-1$/),
    ],
  },
  {
    description: "rejects a target group in another account than the load balancer",
    environments: one({ targetGroupArn: TARGET_GROUP("eu-central-1", "555555555555") }),
    problems: [
      edge("targetGroupArn", TARGET_GROUP("eu-central-1", "555555555555"), /^account 555555555555 differs from the load balancer's account 444444444444$/),
    ],
  },
  {
    description: "rejects a target group ARN with an underscore in its name",
    environments: one({ targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:444444444444:targetgroup/web_shop/fedcba9876543210" }),
    problems: [
      edge(
        "targetGroupArn",
        "arn:aws:elasticloadbalancing:eu-central-1:444444444444:targetgroup/web_shop/fedcba9876543210",
        /^is malformed \(expected arn:aws:elasticloadbalancing:<region>:<12-digit account>:targetgroup\/<name>\/<16 hex id>\)$/,
      ),
    ],
  },
  {
    description: "rejects a load balancer ARN passed as targetGroupArn and says so",
    environments: one({ targetGroupArn: ALB("eu-central-1", "444444444444") }),
    problems: [edge("targetGroupArn", ALB("eu-central-1", "444444444444"), /^is a load balancer ARN, not a target group ARN/)],
  },

  // Existing listeners.
  {
    description: "rejects an existing listener of another load balancer, naming both",
    environments: one({ existingListeners: { http: LISTENER("eu-central-1", "444444444444", "edge-old/1111222233334444") } }),
    problems: [
      edge(
        "existingListeners.http",
        LISTENER("eu-central-1", "444444444444", "edge-old/1111222233334444"),
        /^belongs to load balancer edge-old\/1111222233334444, not to loadBalancerArn's edge-shop\/0123456789abcdef$/,
      ),
    ],
  },
  {
    description: "rejects an existing listener in another region and account than the load balancer, both at once",
    environments: one({ existingListeners: { https: LISTENER("us-east-1", "555555555555") } }),
    problems: [
      edge("existingListeners.https", LISTENER("us-east-1", "555555555555"), /^region us-east-1 differs from the load balancer's region eu-central-1$/),
      edge("existingListeners.https", LISTENER("us-east-1", "555555555555"), /^account 555555555555 differs from the load balancer's account 444444444444$/),
    ],
  },
  {
    description: "rejects a target group ARN given as an existing listener and says so",
    environments: one({ existingListeners: { http: TARGET_GROUP("eu-central-1", "444444444444") } }),
    problems: [edge("existingListeners.http", TARGET_GROUP("eu-central-1", "444444444444"), /^is a load balancer or target group ARN, not a listener ARN/)],
  },
  {
    description: "rejects the same listener given for both ports",
    environments: one({ existingListeners: { http: LISTENER("eu-central-1", "444444444444"), https: LISTENER("eu-central-1", "444444444444") } }),
    problems: [edge("existingListeners.https", LISTENER("eu-central-1", "444444444444"), /^is the same listener as existingListeners\.http/)],
  },
  {
    description: "rejects existingListeners that names no listener",
    environments: one({ existingListeners: {} }),
    problems: [edge("existingListeners", {}, /^names no listener/)],
  },
  {
    description: "rejects a listener ARN that is not a string",
    environments: one({ existingListeners: { http: 42 } }),
    problems: [edge("existingListeners.http", 42, /^must be a string, not a number$/)],
  },

  // TLS policy.
  {
    description: "rejects ELBSecurityPolicy-2016-08 because it allows TLS 1.0",
    environments: one({ tlsPolicy: "ELBSecurityPolicy-2016-08" }),
    problems: [edge("tlsPolicy", "ELBSecurityPolicy-2016-08", /^allows TLSv1; the minimum is TLSv1\.2$/)],
  },
  {
    description: "rejects ELBSecurityPolicy-TLS-1-1-2017-01 because it allows TLS 1.1",
    environments: one({ tlsPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" }),
    problems: [edge("tlsPolicy", "ELBSecurityPolicy-TLS-1-1-2017-01", /^allows TLSv1\.1; the minimum is TLSv1\.2$/)],
  },
  {
    description: "rejects ELBSecurityPolicy-TLS13-1-0-2021-06 although it also offers TLS 1.3",
    environments: one({ tlsPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }),
    problems: [edge("tlsPolicy", "ELBSecurityPolicy-TLS13-1-0-2021-06", /^allows TLSv1; the minimum is TLSv1\.2$/)],
  },
  {
    description: "rejects a TLS policy name AWS does not define",
    environments: one({ tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" }),
    problems: [edge("tlsPolicy", "ELBSecurityPolicy-TLS13-1-2-2099-01", /is not a predefined ALB security policy/)],
  },
  {
    description: "rejects a real TLS policy name in the wrong case",
    environments: one({ tlsPolicy: "elbsecuritypolicy-tls13-1-2-2021-06" }),
    problems: [edge("tlsPolicy", "elbsecuritypolicy-tls13-1-2-2021-06", /is not a predefined ALB security policy/)],
  },

  // Region and account.
  {
    description: "rejects a region without its number, once",
    environments: one({ region: "us-east" }),
    problems: [edge("region", "us-east", /^is not an AWS region name/)],
  },
  {
    description: "rejects an uppercase region",
    environments: one({ region: "US-EAST-1" }),
    problems: [edge("region", "US-EAST-1", /^is not an AWS region name/)],
  },
  {
    description: "rejects a region that does not exist in any form",
    environments: one({ region: "mars-1" }),
    problems: [edge("region", "mars-1", /^is not an AWS region name/)],
  },
  {
    description: "rejects an 11-digit account ID, once",
    environments: one({ accountId: "44444444444" }),
    problems: [edge("accountId", "44444444444", /^must be 12 digits$/)],
  },
  {
    description: "rejects an account ID with letters",
    environments: one({ accountId: "4444abcd4444" }),
    problems: [edge("accountId", "4444abcd4444", /^must be 12 digits$/)],
  },

  // Key algorithm and validation timeout.
  {
    description: "rejects the RSA_1024 key algorithm",
    environments: one({ keyAlgorithm: "RSA_1024" }),
    problems: [edge("keyAlgorithm", "RSA_1024", /^must be one of EC_prime256v1, EC_secp384r1, RSA_2048$/)],
  },
  {
    description: "rejects a misspelt EC curve",
    environments: one({ keyAlgorithm: "EC_prime256v2" }),
    problems: [edge("keyAlgorithm", "EC_prime256v2", /^must be one of/)],
  },
  {
    description: "rejects a validation timeout written in words",
    environments: one({ validationTimeout: "30 minutes" }),
    problems: [edge("validationTimeout", "30 minutes", /positive Terraform duration/)],
  },
  {
    description: "rejects a zero validation timeout",
    environments: one({ validationTimeout: "0m" }),
    problems: [edge("validationTimeout", "0m", /positive Terraform duration/)],
  },
  {
    description: "rejects an empty validation timeout",
    environments: one({ validationTimeout: "" }),
    problems: [edge("validationTimeout", "", /positive Terraform duration/)],
  },

  // caa.
  {
    description: "rejects a CAA issuer ACM does not accept, naming the ones it does",
    environments: one({ caa: { issuers: ["amazon.com", "letsencrypt.org"] } }),
    problems: [edge("caa.issuers[1]", "letsencrypt.org", /^is not a CAA issuer ACM accepts \(amazon\.com, amazontrust\.com, awstrust\.com, amazonaws\.com\)$/)],
  },
  {
    description: "rejects an empty CAA issuer list, which would forbid ACM too",
    environments: one({ caa: { issuers: [] } }),
    problems: [edge("caa.issuers", [], /^must name at least one issuer/)],
  },
  {
    description: "rejects a CAA issuer listed twice",
    environments: one({ caa: { issuers: ["amazon.com", "amazontrust.com", "amazon.com"] } }),
    problems: [edge("caa.issuers[2]", "amazon.com", /^duplicate of caa\.issuers\[0\]$/)],
  },
  {
    description: "rejects a plain-HTTP iodef URL",
    environments: one({ caa: { iodef: "http://example.net/caa-report" } }),
    problems: [edge("caa.iodef", "http://example.net/caa-report", /^must be a "mailto:<address>" or "https:\/\/<host>\/\.\.\." URL$/)],
  },
  {
    description: "rejects a mailto iodef without an address",
    environments: one({ caa: { iodef: "mailto:security" } }),
    problems: [edge("caa.iodef", "mailto:security", /^must be a "mailto:<address>"/)],
  },
  {
    description: "rejects caa.issuer as an unknown field",
    environments: one({ caa: { issuer: ["amazon.com"] } }),
    problems: [edge("caa.issuer", ["amazon.com"], /^is not a known field$/)],
  },

  // expiryAlarm.
  {
    description: "rejects an expiry threshold of 45 days, the old default, which fires during routine renewals of 198-day certificates",
    // The test run reads the schedule for 2026-12-01 (test/support/global-setup.cjs): the 200-day step.
    environments: one({ expiryAlarm: { daysBeforeExpiry: 45 } }),
    problems: [
      edge(
        "expiryAlarm.daysBeforeExpiry",
        45,
        /^must be at most 30: certificates issued from 2026-03-15 live at most 200 days \(CA\/Browser Forum ballot SC-081v3\), and ACM starts renewing at least 60\/395 of a lifetime before expiry \(30 days here\), so an alarm at 45 would fire during routine renewals; from 2027-03-15 \(100-day certificates\) the most is 15$/,
      ),
    ],
  },
  {
    description: "rejects an expiry threshold of 31 days, one above the most for the 200-day step",
    environments: one({ expiryAlarm: { daysBeforeExpiry: 31 } }),
    problems: [edge("expiryAlarm.daysBeforeExpiry", 31, /^must be at most 30: /)],
  },
  {
    description: "rejects an expiry threshold of 0 days, which only fires on an expired certificate",
    environments: one({ expiryAlarm: { daysBeforeExpiry: 0 } }),
    problems: [edge("expiryAlarm.daysBeforeExpiry", 0, /^must be at least 1: below it the alarm fires only after the certificate has expired$/)],
  },
  {
    description: "rejects a fractional expiry threshold",
    environments: one({ expiryAlarm: { daysBeforeExpiry: 10.5 } }),
    problems: [edge("expiryAlarm.daysBeforeExpiry", 10.5, /^must be an integer, not a float$/)],
  },
  {
    description: "rejects expiryAlarm: true, since only false or an object mean something",
    environments: one({ expiryAlarm: true }),
    problems: [edge("expiryAlarm", true, /^must be false \(no alarms\) or an object$/)],
  },
  {
    description: "rejects an alarm topic in another region than the environment",
    environments: one({ expiryAlarm: { snsTopicArn: "arn:aws:sns:us-east-1:444444444444:ops-alerts" } }),
    problems: [
      edge("expiryAlarm.snsTopicArn", "arn:aws:sns:us-east-1:444444444444:ops-alerts", /^region us-east-1 does not match environment region eu-central-1/),
    ],
  },
  {
    description: "rejects an alarm topic in another account than the stack",
    environments: one({ expiryAlarm: { snsTopicArn: "arn:aws:sns:eu-central-1:555555555555:ops-alerts" } }),
    problems: [
      edge("expiryAlarm.snsTopicArn", "arn:aws:sns:eu-central-1:555555555555:ops-alerts", /^account 555555555555 does not match the stack's account 444444444444$/),
    ],
  },
  {
    description: "rejects an SNS subscription ARN given as the alarm topic",
    environments: one({ expiryAlarm: { snsTopicArn: "arn:aws:sns:eu-central-1:444444444444:ops-alerts:0b3c4f1e-2a57-4c7e-9d1f-6a2b8c9d0e1f" } }),
    problems: [
      edge(
        "expiryAlarm.snsTopicArn",
        "arn:aws:sns:eu-central-1:444444444444:ops-alerts:0b3c4f1e-2a57-4c7e-9d1f-6a2b8c9d0e1f",
        /^is not an SNS topic ARN/,
      ),
    ],
  },
  {
    description: "rejects an alarm e-mail address without a domain",
    environments: one({ expiryAlarm: { email: "ops@localhost" } }),
    problems: [edge("expiryAlarm.email", "ops@localhost", /^is not an e-mail address$/)],
  },
  {
    description: "rejects an alarm e-mail address together with an existing topic",
    environments: one({ expiryAlarm: { snsTopicArn: "arn:aws:sns:eu-central-1:444444444444:ops-alerts", email: "ops@example.net" } }),
    problems: [edge("expiryAlarm.email", "ops@example.net", /^only subscribes to a topic the stack or the bootstrap stack creates; with snsTopicArn, subscribe where that topic is managed$/)],
  },
  {
    description: "rejects an unknown alarm topic owner, naming the two there are",
    environments: one({ expiryAlarm: { topic: "pipeline" } }),
    problems: [edge("expiryAlarm.topic", "pipeline", /^invalid enum value\. expected 'stack' \| 'bootstrap', received 'pipeline'$/)],
  },
  {
    description: "rejects an alarm topic owner together with an existing topic",
    environments: one({ expiryAlarm: { topic: "bootstrap", snsTopicArn: "arn:aws:sns:eu-central-1:444444444444:ops-alerts" } }),
    problems: [edge("expiryAlarm.topic", "bootstrap", /^says who creates the topic, and with snsTopicArn nobody here does: drop one of the two$/)],
  },
  {
    description: "rejects the alarm topic owner given in another case",
    environments: one({ expiryAlarm: { topic: "Bootstrap" } }),
    problems: [edge("expiryAlarm.topic", "Bootstrap", /^invalid enum value/)],
  },
  {
    description: "rejects renewalEvents given as a string",
    environments: one({ expiryAlarm: { renewalEvents: "yes" } }),
    problems: [edge("expiryAlarm.renewalEvents", "yes", /^must be a boolean, not a string$/)],
  },
  {
    description: "rejects renewalEvents null",
    environments: one({ expiryAlarm: { renewalEvents: null } }),
    problems: [edge("expiryAlarm.renewalEvents", null, /^must be a boolean, not null$/)],
  },
  {
    description: "rejects a misspelt renewalEvents, suggesting nothing inside expiryAlarm but naming the key",
    environments: one({ expiryAlarm: { renewalEvent: true } }),
    problems: [edge("expiryAlarm.renewalEvent", true, /^is not a known field$/)],
  },

  // dnsReadRoleArn.
  {
    description: "rejects a read-only DNS role without dnsRoleArn, where it would do nothing",
    environments: one({ dnsReadRoleArn: "arn:aws:iam::555555555555:role/records-read" }),
    problems: [edge("dnsReadRoleArn", "arn:aws:iam::555555555555:role/records-read", /^only means something with dnsRoleArn/)],
  },
  {
    description: "rejects the writing DNS role given as the read-only one",
    environments: one({ dnsRoleArn: "arn:aws:iam::555555555555:role/records", dnsReadRoleArn: "arn:aws:iam::555555555555:role/records" }),
    problems: [edge("dnsReadRoleArn", "arn:aws:iam::555555555555:role/records", /^is dnsRoleArn itself: plans would assume the role that can write the records$/)],
  },
  {
    description: "rejects a read-only DNS role in another account than dnsRoleArn",
    environments: one({ dnsRoleArn: "arn:aws:iam::555555555555:role/records", dnsReadRoleArn: "arn:aws:iam::666666666666:role/records-read" }),
    problems: [edge("dnsReadRoleArn", "arn:aws:iam::666666666666:role/records-read", /^account 666666666666 differs from dnsRoleArn's account 555555555555/)],
  },
  {
    description: "rejects a read-only DNS role given as a user ARN",
    environments: one({ dnsRoleArn: "arn:aws:iam::555555555555:role/records", dnsReadRoleArn: "arn:aws:iam::555555555555:user/reader" }),
    problems: [edge("dnsReadRoleArn", "arn:aws:iam::555555555555:user/reader", /^is an IAM user ARN, not a role ARN$/)],
  },
  {
    description: "rejects a DNS role whose name leaves no room for the default read-only role's -read",
    environments: one({ dnsRoleArn: `arn:aws:iam::555555555555:role/${"r".repeat(62)}` }),
    problems: [edge("dnsRoleArn", `arn:aws:iam::555555555555:role/${"r".repeat(62)}`, /^role name is too long for the default read-only role "<name>-read" \(IAM allows 64 characters\); set dnsReadRoleArn$/)],
  },

  // dnsRoleArn.
  {
    description: "rejects an IAM user ARN as the DNS role",
    environments: one({ dnsRoleArn: "arn:aws:iam::555555555555:user/dns-admin" }),
    problems: [edge("dnsRoleArn", "arn:aws:iam::555555555555:user/dns-admin", /^is an IAM user ARN, not a role ARN$/)],
  },
  {
    description: "rejects an assumed-role session ARN as the DNS role",
    environments: one({ dnsRoleArn: "arn:aws:sts::555555555555:assumed-role/dns/session-1" }),
    problems: [edge("dnsRoleArn", "arn:aws:sts::555555555555:assumed-role/dns/session-1", /^is an assumed-role session ARN, not a role ARN/)],
  },
  {
    description: "rejects a DNS role given by name instead of ARN",
    environments: one({ dnsRoleArn: "route53-records" }),
    problems: [edge("dnsRoleArn", "route53-records", /^is not an ARN$/)],
  },
  {
    description: "rejects a DNS role ARN with a region, which IAM ARNs never have",
    environments: one({ dnsRoleArn: "arn:aws:iam:eu-central-1:555555555555:role/dns" }),
    problems: [edge("dnsRoleArn", "arn:aws:iam:eu-central-1:555555555555:role/dns", /^is malformed \(expected arn:aws:iam::<12-digit account>:role\/<name>\)$/)],
  },
  {
    description: "rejects a DNS role in another partition than the load balancer",
    environments: one({ dnsRoleArn: "arn:aws-cn:iam::555555555555:role/dns" }),
    problems: [edge("dnsRoleArn", "arn:aws-cn:iam::555555555555:role/dns", /^partition aws-cn differs from the load balancer's partition aws$/)],
  },

  // State backend.
  {
    description: "rejects an S3 bucket name with uppercase letters and underscores",
    environments: () => [withS3({ bucket: "Example_TF_State" })],
    problems: [edge("stateBackend.s3.bucket", "Example_TF_State", /is not a valid S3 bucket name/)],
  },
  {
    description: "rejects an S3 state key with a leading slash",
    environments: () => [withS3({ key: "/tls-edge/edge/terraform.tfstate" })],
    problems: [edge("stateBackend.s3.key", "/tls-edge/edge/terraform.tfstate", /without a leading slash/)],
  },
  {
    description: "rejects an S3 backend region that is not a region",
    environments: () => [withS3({ region: "eu-central" })],
    problems: [edge("stateBackend.s3.region", "eu-central", /^is not an AWS region name/)],
  },
  {
    description: "rejects an unknown field in the S3 backend",
    environments: () => [withS3({ encrypt: false })],
    problems: [edge("stateBackend.s3.encrypt", false, /^is not a known field$/)],
  },

  // hsts.
  {
    description: "rejects hsts: true, since the header needs a max-age",
    environments: one({ hsts: true }),
    problems: [edge("hsts", true, /^must be false or an object like \{ maxAgeSeconds: 31536000 \}$/)],
  },
  {
    description: "rejects an HSTS max-age given as a string",
    environments: one({ hsts: { maxAgeSeconds: "31536000" } }),
    problems: [edge("hsts.maxAgeSeconds", "31536000", /^must be a number, not a string$/)],
  },
  {
    description: "rejects an HSTS max-age above two years",
    environments: one({ hsts: { maxAgeSeconds: 63072001 } }),
    problems: [edge("hsts.maxAgeSeconds", 63072001, /^must be between 0 and 63072000 \(two years\)$/)],
  },
  {
    description: "rejects a negative HSTS max-age once, not again as too short for preload",
    environments: one({ hsts: { maxAgeSeconds: -1, includeSubDomains: true, preload: true } }),
    problems: [edge("hsts.maxAgeSeconds", -1, /^must be between 0 and 63072000/)],
  },
  {
    description: "rejects HSTS preload without includeSubDomains",
    environments: one({ hsts: { maxAgeSeconds: 31536000, preload: true } }),
    problems: [edge("hsts.preload", true, /^requires includeSubDomains: true \(the HSTS preload list's rule\)$/)],
  },
  {
    description: "rejects HSTS preload with a max-age under a year and without includeSubDomains, both at once",
    environments: one({ hsts: { maxAgeSeconds: 86400, preload: true } }),
    problems: [
      edge("hsts.preload", true, /^requires includeSubDomains: true/),
      edge("hsts.maxAgeSeconds", 86400, /^must be at least 31536000 \(one year\) with preload/),
    ],
  },
  {
    description: "rejects a misspelt HSTS field and the missing max-age it leaves",
    environments: one({ hsts: { maxAge: 31536000 } }),
    problems: [edge("hsts.maxAgeSeconds", undefined, /^is required$/), edge("hsts.maxAge", 31536000, /^is not a known field$/)],
  },

  // additionalCertificates.
  {
    description: "rejects additionalCertificates given as one object instead of an array",
    environments: one({ additionalCertificates: { domainName: "static.example.net" } }),
    problems: [edge("additionalCertificates", { domainName: "static.example.net" }, /^must be an array, not an object$/)],
  },
  {
    description: "rejects an additional certificate without a domainName",
    environments: one({ additionalCertificates: [{ subjectAlternativeNames: ["static.example.net"] }] }),
    problems: [edge("additionalCertificates[0].domainName", undefined, /^is required$/)],
  },
  {
    description: "rejects an additional certificate name under no configured hosted zone",
    environments: one({ additionalCertificates: [{ domainName: "shop.example.org" }] }),
    problems: [edge("additionalCertificates[0].domainName", "shop.example.org", /^is under no configured hosted zone \(zones: example\.net\)$/)],
  },
  {
    description: "rejects bad and repeated names inside an additional certificate",
    environments: one({ additionalCertificates: [{ domainName: "static.example.net", subjectAlternativeNames: ["static.example.net", "*.*.example.net"] }] }),
    problems: [
      edge("additionalCertificates[0].subjectAlternativeNames[0]", "static.example.net", /^duplicate of additionalCertificates\[0\]\.domainName$/),
      edge("additionalCertificates[0].subjectAlternativeNames[1]", "*.*.example.net", /^a wildcard may only be the whole leftmost label$/),
    ],
  },
  {
    description: "rejects two additional certificates with the same domainName",
    environments: one({ additionalCertificates: [{ domainName: "static.example.net" }, { domainName: "static.example.net", subjectAlternativeNames: ["cdn.example.net"] }] }),
    problems: [edge("additionalCertificates[1].domainName", "static.example.net", /^duplicate of additionalCertificates\[0\]\.domainName \(each additional certificate is keyed by its domain name\)$/)],
  },
  {
    description: "rejects an additional certificate with exactly the default certificate's names",
    environments: one({ additionalCertificates: [{ domainName: "api.shop.example.net", subjectAlternativeNames: ["shop.example.net", "*.shop.example.net", "*.api.shop.example.net"] }] }),
    problems: [
      edge(
        "additionalCertificates[0]",
        { domainName: "api.shop.example.net", subjectAlternativeNames: ["shop.example.net", "*.shop.example.net", "*.api.shop.example.net"] },
        /^has the same names as the default certificate, so it would add nothing$/,
      ),
    ],
  },
  {
    description: "rejects an additional certificate with more names than maxCertificateNames",
    environments: one({ maxCertificateNames: 4, additionalCertificates: [{ domainName: "static.example.net", subjectAlternativeNames: ["a.example.net", "b.example.net", "c.example.net", "d.example.net"] }] }),
    problems: [edge("additionalCertificates[0].subjectAlternativeNames", ["a.example.net", "b.example.net", "c.example.net", "d.example.net"], /^certificate would have 5 names, more than maxCertificateNames \(4\)/)],
  },
  {
    description: "rejects 26 additional certificates: ELB takes 25 per load balancer besides the default certificates",
    environments: one({ additionalCertificates: TWENTY_SIX_CERTIFICATES }),
    problems: [
      edge(
        "additionalCertificates",
        TWENTY_SIX_CERTIFICATES,
        /^26 additional certificates make 26 SNI certificates, more than the load balancer's quota of 25 \(maxLoadBalancerCertificates, ELB's default; the quota is per load balancer/,
      ),
    ],
  },
  {
    description: "counts the RSA fallback and its EC twin against the load balancer's 25 SNI certificates",
    environments: one({ rsaFallback: true, additionalCertificates: TWENTY_SIX_CERTIFICATES.slice(0, 24) }),
    problems: [edge("additionalCertificates", TWENTY_SIX_CERTIFICATES.slice(0, 24), /^24 additional certificates and the RSA fallback and its EC twin make 26 SNI certificates, more than the load balancer's quota of 25/)],
  },
  {
    description: "accepts 26 additional certificates with a raised maxLoadBalancerCertificates, and refuses the 27th",
    environments: one({ maxLoadBalancerCertificates: 26, additionalCertificates: [...TWENTY_SIX_CERTIFICATES, { domainName: "c26.example.net" }] }),
    problems: [edge("additionalCertificates", [...TWENTY_SIX_CERTIFICATES, { domainName: "c26.example.net" }], /^27 additional certificates make 27 SNI certificates, more than the load balancer's quota of 26 \(maxLoadBalancerCertificates; the quota/)],
  },

  // maxLoadBalancerCertificates.
  {
    description: "rejects maxLoadBalancerCertificates of 0",
    environments: one({ maxLoadBalancerCertificates: 0 }),
    problems: [edge("maxLoadBalancerCertificates", 0, /^must be a whole number of at least 1 \(ELB's quota of certificates per load balancer, default 25\)$/)],
  },
  {
    description: "rejects a fractional maxLoadBalancerCertificates",
    environments: one({ maxLoadBalancerCertificates: 25.5 }),
    problems: [edge("maxLoadBalancerCertificates", 25.5, /^must be an integer, not a float$/)],
  },
  {
    description: "rejects maxLoadBalancerCertificates given as a string",
    environments: one({ maxLoadBalancerCertificates: "30" }),
    problems: [edge("maxLoadBalancerCertificates", "30", /^must be a number, not a string$/)],
  },
  {
    description: "rejects rsaFallback alone when maxLoadBalancerCertificates leaves room for only one of its two SNI certificates",
    environments: one({ rsaFallback: true, maxLoadBalancerCertificates: 1 }),
    problems: [edge("rsaFallback", true, /^the RSA fallback and its EC twin make 2 SNI certificates, more than the load balancer's quota of 1 \(maxLoadBalancerCertificates; /)],
  },

  // rsaFallback.
  {
    description: "rejects rsaFallback given as a string",
    environments: one({ rsaFallback: "yes" }),
    problems: [edge("rsaFallback", "yes", /^must be a boolean, not a string$/)],
  },
  {
    description: "rejects rsaFallback given as a number",
    environments: one({ rsaFallback: 1 }),
    problems: [edge("rsaFallback", 1, /^must be a boolean, not a number$/)],
  },
  {
    description: "rejects rsaFallback null",
    environments: one({ rsaFallback: null }),
    problems: [edge("rsaFallback", null, /^must be a boolean, not null$/)],
  },
  {
    description: "rejects rsaFallback with an RSA key, where it would only duplicate the default certificate",
    environments: one({ keyAlgorithm: "RSA_2048", rsaFallback: true }),
    problems: [edge("rsaFallback", true, /^has no effect with keyAlgorithm "RSA_2048" \(the default certificate is already RSA\)/)],
  },

  // mutualTls.
  {
    description: "rejects mutualTls given as a bare mode string",
    environments: one({ mutualTls: "verify" }),
    problems: [edge("mutualTls", "verify", /^must be an object: \{ mode: "verify", trustStore: \{ bucket, key \} \} or \{ mode: "passthrough" \}$/)],
  },
  {
    description: "rejects the mutual TLS mode off, which is what omitting mutualTls means",
    environments: one({ mutualTls: { mode: "off" } }),
    problems: [edge("mutualTls.mode", "off", /^must be "verify" or "passthrough" \(omit mutualTls to ask clients for no certificate\)$/)],
  },
  {
    description: "rejects mutualTls without a mode",
    environments: one({ mutualTls: { trustStore: { bucket: "example-ca-bundles", key: "clients.pem" } } }),
    problems: [edge("mutualTls.mode", undefined, /^is required: "verify" or "passthrough"$/)],
  },
  {
    description: "rejects verify mode without a trust store",
    environments: one({ mutualTls: { mode: "verify" } }),
    problems: [edge("mutualTls.trustStore", undefined, /^is required$/)],
  },
  {
    description: "rejects a trust store in passthrough mode, which checks nothing",
    environments: one({ mutualTls: { mode: "passthrough", trustStore: { bucket: "example-ca-bundles", key: "clients.pem" } } }),
    problems: [edge("mutualTls.trustStore", { bucket: "example-ca-bundles", key: "clients.pem" }, /^is only used with mode "verify"; passthrough hands client certificates to the targets unchecked$/)],
  },
  {
    description: "rejects a trust store bucket and key S3 would refuse, both at once",
    environments: one({ mutualTls: { mode: "verify", trustStore: { bucket: "Example_CA", key: "/clients.pem" } } }),
    problems: [
      edge("mutualTls.trustStore.bucket", "Example_CA", /^is not a valid S3 bucket name/),
      edge("mutualTls.trustStore.key", "/clients.pem", /^must be a non-empty S3 object key of at most 1024 characters, without a leading slash$/),
    ],
  },
  {
    description: "rejects an unknown field in the trust store",
    environments: one({ mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "clients.pem", region: "eu-central-1" } } }),
    problems: [edge("mutualTls.trustStore.region", "eu-central-1", /^is not a known field$/)],
  },

  {
    description: "rejects revocation list locations S3 would refuse, naming each list by its index",
    environments: one({
      mutualTls: {
        mode: "verify",
        trustStore: { bucket: "example-ca-bundles", key: "clients.pem", revocationLists: [{ bucket: "example-crls", key: "ca-1.crl" }, { bucket: "Example_CRLs", key: "" }] },
      },
    }),
    problems: [
      edge("mutualTls.trustStore.revocationLists[1].bucket", "Example_CRLs", /^is not a valid S3 bucket name \(3-63 lowercase letters, digits, dots, hyphens\)$/),
      edge("mutualTls.trustStore.revocationLists[1].key", "", /^must be a non-empty S3 object key of at most 1024 characters, without a leading slash$/),
    ],
  },
  {
    description: "rejects the same revocation list twice, and the CA bundle given as a revocation list",
    environments: one({
      mutualTls: {
        mode: "verify",
        trustStore: {
          bucket: "example-ca-bundles",
          key: "clients.pem",
          revocationLists: [
            { bucket: "example-crls", key: "ca-1.crl" },
            { bucket: "example-ca-bundles", key: "clients.pem" },
            { bucket: "example-crls", key: "ca-1.crl" },
          ],
        },
      },
    }),
    problems: [
      edge("mutualTls.trustStore.revocationLists[1].key", "clients.pem", /^is the CA bundle itself; a revocation list is a CRL file of its own$/),
      edge("mutualTls.trustStore.revocationLists[2]", "s3://example-crls/ca-1.crl", /^is listed twice \(also revocationLists\[0\]\); ELB would hold the same CRL twice$/),
    ],
  },
  {
    description: "rejects 31 revocation lists, more than ELB's quota per trust store",
    environments: one({
      mutualTls: {
        mode: "verify",
        trustStore: { bucket: "example-ca-bundles", key: "clients.pem", revocationLists: Array.from({ length: 31 }, (_, i) => ({ bucket: "example-crls", key: `ca-${i}.crl` })) },
      },
    }),
    problems: [edge("mutualTls.trustStore.revocationLists", 31, /^holds 31 revocation lists, more than ELB's default quota "Revocation lists per trust store" of 30$/)],
  },
  {
    description: "rejects a revocation list given as a URL string and one without a key",
    environments: one({
      mutualTls: { mode: "verify", trustStore: { bucket: "example-ca-bundles", key: "clients.pem", revocationLists: ["s3://example-crls/ca-1.crl", { bucket: "example-crls" }] } },
    }),
    problems: [
      edge("mutualTls.trustStore.revocationLists[0]", "s3://example-crls/ca-1.crl", /^must be an object, not a string$/),
      edge("mutualTls.trustStore.revocationLists[1].key", undefined, /^is required$/),
    ],
  },

  // securityHeaders.
  {
    description: "rejects securityHeaders: true, since it does not say which headers",
    environments: one({ securityHeaders: true }),
    problems: [edge("securityHeaders", true, /^must be false or an object like \{ xFrameOptions: "DENY" \}$/)],
  },
  {
    description: "rejects header values browsers do not define, with the reason, and an unknown header",
    environments: one({ securityHeaders: { xContentTypeOptions: "sniff", xFrameOptions: "deny", xXssProtection: "1; mode=block" } }),
    problems: [
      edge("securityHeaders.xContentTypeOptions", "sniff", /^must be "nosniff" or false \("nosniff" is the header's only value: WHATWG Fetch standard\)$/),
      edge("securityHeaders.xFrameOptions", "deny", /^must be "DENY", "SAMEORIGIN" or false \(the values the HTML standard defines\)$/),
      edge("securityHeaders.xXssProtection", "1; mode=block", /^is not a known field$/),
    ],
  },
  {
    description: "rejects X-Frame-Options ALLOW-FROM, which current browsers ignore, pointing to frame-ancestors",
    environments: one({ securityHeaders: { xFrameOptions: "ALLOW-FROM https://partner.example.net" } }),
    problems: [edge("securityHeaders.xFrameOptions", "ALLOW-FROM https://partner.example.net", /^ALLOW-FROM is obsolete: current browsers ignore it and then allow framing by anyone; use contentSecurityPolicy "frame-ancestors <origin>" instead$/)],
  },
  {
    description: "rejects a serverHeader that is not a boolean",
    environments: one({ securityHeaders: { serverHeader: "off" } }),
    problems: [edge("securityHeaders.serverHeader", "off", /^must be a boolean, not a string$/)],
  },
  {
    description: "rejects a Content-Security-Policy with %{, which Terraform would read as a template directive",
    environments: one({ securityHeaders: { contentSecurityPolicy: "default-src 'self' https://cdn.example.net/%{x}" } }),
    problems: [edge("securityHeaders.contentSecurityPolicy", "default-src 'self' https://cdn.example.net/%{x}", /^must not contain "\$\{" or "%\{": Terraform would read the text from there on as a template, not as written$/)],
  },
  {
    description: "rejects an empty Content-Security-Policy: false means no header",
    environments: one({ securityHeaders: { contentSecurityPolicy: "" } }),
    problems: [edge("securityHeaders.contentSecurityPolicy", "", /^must not be empty \(use false for no Content-Security-Policy header\)$/)],
  },
  {
    description: "rejects a Content-Security-Policy with a line break, a tab and characters ELB refuses, naming each",
    environments: one({ securityHeaders: { contentSecurityPolicy: "default-src 'self';\n\tscript-src \"self\" https://cdn.example.net/$x" } }),
    problems: [
      edge("securityHeaders.contentSecurityPolicy", "default-src 'self';\n\tscript-src \"self\" https://cdn.example.net/$x", /^must be one line: a line break cannot be part of a header value$/),
      edge("securityHeaders.contentSecurityPolicy", "default-src 'self';\n\tscript-src \"self\" https://cdn.example.net/$x", /^contains control characters \(U\+0009\), which a header value cannot hold$/),
      edge("securityHeaders.contentSecurityPolicy", "default-src 'self';\n\tscript-src \"self\" https://cdn.example.net/$x", /^contains '"', '\$', which ELB refuses in a header value \(allowed: letters, digits, space and .*; CSP keywords take single quotes, 'self'\)$/),
    ],
  },
  {
    description: "rejects a Content-Security-Policy one byte longer than ELB's 1K-byte attribute limit",
    environments: one({ securityHeaders: { contentSecurityPolicy: CSP_1025 } }),
    problems: [edge("securityHeaders.contentSecurityPolicy", CSP_1025, /^is 1025 bytes; ELB allows at most 1024 \(1K\) in a listener attribute$/)],
  },
  {
    description: "rejects a whole header line as the Content-Security-Policy, and directive names CSP does not allow",
    environments: () => [
      withFields({ securityHeaders: { contentSecurityPolicy: "Content-Security-Policy: default-src 'self'" } }),
      { ...secondEnvironment(), securityHeaders: { contentSecurityPolicy: "default-src 'self'; img_src *" } },
    ],
    problems: [
      edge("securityHeaders.contentSecurityPolicy", "Content-Security-Policy: default-src 'self'", /^must be the header's value only, without the "Content-Security-Policy:" name$/),
      { environment: "edge-west", path: "securityHeaders.contentSecurityPolicy", value: "default-src 'self'; img_src *", message: /^has directive names that are not letters, digits and hyphens \("img_src"; CSP Level 3, 2\.2\.1\)$/ },
    ],
  },

  // Wrong types, missing and unknown fields, and environments that are not objects.
  {
    description: "rejects a domainName that is a number",
    environments: one({ domainName: 42 }),
    problems: [edge("domainName", 42, /^must be a string, not a number$/)],
  },
  {
    description: "rejects subjectAlternativeNames given as a string instead of an array",
    environments: one({ subjectAlternativeNames: "api.shop.example.net" }),
    problems: [edge("subjectAlternativeNames", "api.shop.example.net", /^must be an array, not a string$/)],
  },
  {
    description: "rejects a subject alternative name that is not a string",
    environments: one({ subjectAlternativeNames: ["api.shop.example.net", null] }),
    problems: [edge("subjectAlternativeNames[1]", null, /^must be a string, not null$/)],
  },
  {
    description: "rejects hostedZones given as an array",
    environments: one({ hostedZones: ["example.net"] }),
    problems: [edge("hostedZones", ["example.net"], /^must be an object, not an array$/)],
  },
  {
    description: "rejects a tag with a number value",
    environments: one({ tags: { owner: "platform", "cost-center": 7 } }),
    problems: [edge('tags["cost-center"]', 7, /^must be a string, not a number$/)],
  },
  {
    description: "rejects a tag key in the reserved aws: namespace",
    environments: one({ tags: { "aws:owner": "platform" } }),
    problems: [edge('tags["aws:owner"]', "aws:owner", /reserved/)],
  },
  {
    description: "rejects an environment without loadBalancerArn",
    environments: one({ loadBalancerArn: undefined }),
    problems: [edge("loadBalancerArn", undefined, /^is required$/)],
  },
  {
    description: "rejects a misspelt field and suggests the real one",
    environments: one({ subjectAlternativeName: ["api.shop.example.net"] }),
    problems: [edge("subjectAlternativeName", ["api.shop.example.net"], /^is not a known field \(did you mean subjectAlternativeNames\?\)$/)],
  },
  {
    description: "rejects an environment that is null",
    environments: () => [null],
    problems: [{ environment: "environments[0]", path: "", value: null, message: /^must be an object, not null$/ }],
  },
  {
    description: "rejects an environment that is undefined, as a circular import of environments/ would leave it",
    environments: () => [undefined],
    problems: [{ environment: "environments[0]", path: "", value: undefined, message: /^must be an object, not undefined$/ }],
  },
  {
    description: "rejects an environment that is a string, keeping the valid one beside it",
    environments: () => [baseEnvironment(), "edge-west"],
    problems: [{ environment: "environments[1]", path: "", value: "edge-west", message: /^must be an object, not a string$/ }],
  },
];

/** How formatProblems shows a value: JSON (undefined, Infinity and NaN as themselves), cut to 100 characters. */
function shown(value: unknown): string {
  const json = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  if (typeof value === "string" && value.length > 100) return `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
  return json.length > 100 ? `${json.slice(0, 97)}...` : json;
}

/** `path "value"` (or `path` for a missing value, or the value alone for the environment itself). */
function lineHead(problem: ExpectedProblem): string {
  if (problem.path === "") return shown(problem.value);
  return problem.value === undefined ? problem.path : `${problem.path} ${shown(problem.value)}`;
}

/** Every file under `dir` with its bytes, keyed by relative path. */
function snapshot(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = fs.readFileSync(full);
    }
  };
  walk(dir);
  return files;
}

/** A temp dir holding `cdktf.out/manifest.json` = SENTINEL; removed after `body`. */
function withPopulatedOutdir(body: (outdir: string, parent: string) => void): void {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-"));
  try {
    const outdir = path.join(parent, "cdktf.out");
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, "manifest.json"), SENTINEL);
    body(outdir, parent);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

function synthError(environments: unknown[], outdir: string): unknown {
  try {
    synthesizeEnvironments(environments as EnvironmentConfig[], { outdir });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("the base environments", () => {
  test("are valid and synthesize, so every failure below comes from its own mutation", () => {
    expect(environmentProblems([baseEnvironment(), secondEnvironment()])).toEqual([]);
    withPopulatedOutdir((outdir) => {
      synthesizeEnvironments([baseEnvironment(), secondEnvironment()] as unknown as EnvironmentConfig[], { outdir });
      expect(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).not.toBe(SENTINEL);
    });
  });

  test("twelve certificate names pass when maxCertificateNames is 12", () => {
    expect(environmentProblems([withFields({ subjectAlternativeNames: ELEVEN_SANS, maxCertificateNames: 12 })])).toEqual([]);
    // The same twelve names under the default quota of 10 fail.
    expect(environmentProblems([withFields({ subjectAlternativeNames: ELEVEN_SANS })])).toEqual([
      expect.objectContaining({ path: "subjectAlternativeNames", message: expect.stringMatching(/12 names .*\(10\)/) }),
    ]);
  });
});

describe("a malformed environment configuration", () => {
  test("has at least 45 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(cases.map((c) => c.description)).size).toBe(cases.length);
  });

  test.each(cases)("$description", ({ environments, problems }) => {
    const found = environmentProblems(environments());
    for (const expected of problems) {
      expect(found).toContainEqual({
        environment: expected.environment,
        path: expected.path,
        value: expected.value,
        message: expect.stringMatching(expected.message),
      });
    }
    // Nothing beyond the listed problems: one mistake is one problem, not a cascade.
    expect(found).toHaveLength(problems.length);

    withPopulatedOutdir((outdir, parent) => {
      const before = snapshot(outdir);
      const error = synthError(environments(), outdir);

      expect(error).toBeInstanceOf(EnvironmentConfigError);
      const { message, problems: thrown } = error as EnvironmentConfigError;
      expect(thrown).toEqual(found);
      const lines = message.split("\n");
      for (const expected of problems) {
        // The problem's own line: `  - path "value": message`.
        const prefix = `  - ${lineHead(expected)}: `;
        const matching = lines.filter((line) => line.startsWith(prefix) && expected.message.test(line.slice(prefix.length)));
        expect(matching).toHaveLength(1);
        // Spelled out for the common case: the message holds `path` followed by the value's JSON, verbatim.
        const json = JSON.stringify(expected.value);
        if (json !== undefined && json.length <= 100 && (typeof expected.value !== "number" || Number.isFinite(expected.value))) {
          expect(message).toContain(expected.path === "" ? json : `${expected.path} ${json}`);
        }
      }

      expect(snapshot(outdir)).toEqual(before);
      expect(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).toBe(SENTINEL);
      expect(fs.readdirSync(parent)).toEqual(["cdktf.out"]);
    });
  });
});

/** Two environments with several independent mistakes each: four in the first, three in the second. */
function severalProblems(): unknown[] {
  return [
    withFields({ domainName: "API.example.net", region: "mars-1", tlsPolicy: "ELBSecurityPolicy-2016-08", keyAlgorithm: "RSA_1024" }),
    { ...secondEnvironment(), accountId: "12345", hostedZones: { "example.net": "/hostedzone/Z123" }, validationTimeout: "0m" },
  ];
}

describe("the configuration error", () => {
  test("reports every problem of every environment in one error", () => {
    withPopulatedOutdir((outdir, parent) => {
      const before = snapshot(outdir);
      const error = synthError(severalProblems(), outdir) as EnvironmentConfigError;
      expect(error).toBeInstanceOf(EnvironmentConfigError);
      expect(error.problems.map((p) => [p.environment, p.path])).toEqual([
        ["edge", "region"],
        ["edge", "domainName"],
        ["edge", "tlsPolicy"],
        ["edge", "keyAlgorithm"],
        ["edge-west", "accountId"],
        ["edge-west", 'hostedZones["example.net"]'],
        ["edge-west", "validationTimeout"],
      ]);
      expect(error.message).toMatch(/^Invalid environment configuration \(7 problems\):\n/);
      expect(error.message.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(7);
      expect(snapshot(outdir)).toEqual(before);
      expect(fs.readdirSync(parent)).toEqual(["cdktf.out"]);
    });
  });

  test("reads as a heading, one line per environment and one per problem, without a stack trace", () => {
    let error: EnvironmentConfigError | undefined;
    withPopulatedOutdir((outdir) => {
      error = synthError(severalProblems(), outdir) as EnvironmentConfigError;
    });
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    if (error === undefined) return;
    expect(error.message).toBe(
      [
        "Invalid environment configuration (7 problems):",
        "environment edge:",
        '  - region "mars-1": is not an AWS region name (like us-east-1)',
        '  - domainName "API.example.net": must be lowercase',
        '  - tlsPolicy "ELBSecurityPolicy-2016-08": allows TLSv1; the minimum is TLSv1.2',
        '  - keyAlgorithm "RSA_1024": must be one of EC_prime256v1, EC_secp384r1, RSA_2048',
        "environment edge-west:",
        '  - accountId "12345": must be 12 digits',
        '  - hostedZones["example.net"] "/hostedzone/Z123": hosted zone ID must be the bare ID, without the /hostedzone/ prefix',
        '  - validationTimeout "0m": must be a positive Terraform duration like "30m" or "1h30m"',
      ].join("\n"),
    );
    expect(error.message).not.toMatch(/at Object\.|\n\s+at /);
  });

  test("makes a main.ts-like program exit 1 with the problems on stderr and no stack trace", () => {
    withPopulatedOutdir((outdir, parent) => {
      const before = snapshot(outdir);
      const script = path.join(parent, "synth-bad.ts");
      fs.writeFileSync(
        script,
        [
          // As main.ts starts: the installed packages load as plain CommonJS, then lib (see lib/app/plain-dependencies.ts).
          `import { loadDependenciesAsPlainCommonJs } from ${JSON.stringify(path.join(REPO_ROOT, "lib", "app", "plain-dependencies"))};`,
          "loadDependenciesAsPlainCommonJs();",
          `const { reportSynthFailure, synthesizeEnvironments } = require(${JSON.stringify(path.join(REPO_ROOT, "lib"))}) as typeof import(${JSON.stringify(path.join(REPO_ROOT, "lib"))});`,
          `const badEnvs = ${JSON.stringify(severalProblems())};`,
          `const outdir = ${JSON.stringify(outdir)};`,
          "try {",
          "  synthesizeEnvironments(badEnvs as never, { outdir });",
          "} catch (e) {",
          "  process.exitCode = reportSynthFailure(e);",
          "}",
          "",
        ].join("\n"),
      );
      // Run the way cdktf.json runs main.ts: node with tsx's CommonJS hook.
      const result = spawnSync(process.execPath, ["--require", "tsx/cjs", script], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
        timeout: 120_000,
      });
      expect(result.error).toBeUndefined();
      expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: "" });
      expect(result.stderr).toContain("Invalid environment configuration (7 problems):");
      expect(result.stderr).toContain('  - domainName "API.example.net": must be lowercase\n');
      expect(result.stderr).toContain('  - accountId "12345": must be 12 digits\n');
      expect(result.stderr).toContain("Nothing was written: the output directory is unchanged.");
      expect(result.stderr).not.toContain("    at ");
      expect(snapshot(outdir)).toEqual(before);
      expect(fs.readdirSync(parent).sort()).toEqual(["cdktf.out", "synth-bad.ts"]);
    });
  });
});
