import { SecurityHeaderAttributes } from "../config/security-headers";
import { EdgeTarget, exchange, HttpOutcome, Timing } from "./connection";
import { CheckResult } from "./report";

/**
 * HTTP-side checks: port 80 only redirects, permanently, to the same host, path and query on HTTPS; HTTPS responses
 * carry the environment's Strict-Transport-Security header.
 */

/** HSTS the edge must send, or `false` for "no header". */
export type HstsExpectation = false | { readonly maxAgeSeconds: number; readonly includeSubDomains: boolean; readonly preload: boolean };

/** The request whose redirect is judged exactly: a path and a query, both of which must survive. */
export const REDIRECT_PROBE = { method: "GET", path: "/some/path?q=1" } as const;

/**
 * Further requests that must also get a redirect to HTTPS (any 3xx to an https:// URL): "nothing else is served over
 * HTTP". The root, a HEAD and a POST are the requests a misrouted listener rule or a forwarding default action answers.
 * The ACME path is the one path-based rule most often left on a port-80 listener on purpose: ACME's HTTP-01 challenge
 * is fetched over plain HTTP on port 80 (RFC 8555, section 8.3), so a load balancer that once served certbot or
 * cert-manager has a rule forwarding `/.well-known/acme-challenge/*` there, and an adopted listener keeps it. No client
 * can list a listener's rules: a rule for any other path is found only by `scripts/ci/plan` (docs/deploying.md).
 */
export const OTHER_HTTP_PROBES = [
  { method: "GET", path: "/" },
  { method: "HEAD", path: "/index.html" },
  { method: "POST", path: "/some/path?q=1" },
  { method: "GET", path: "/.well-known/acme-challenge/tls-edge-verify" },
] as const;

/** The HTTPS request whose response must carry HSTS. */
export const HSTS_PROBE = { method: "GET", path: "/" } as const;

export function evaluateRedirect(target: EdgeTarget, outcome: HttpOutcome): CheckResult {
  const base = `https://${target.host}`;
  const accepted =
    target.httpsPort === 443
      ? [`${base}:443${REDIRECT_PROBE.path}`, `${base}${REDIRECT_PROBE.path}`]
      : [`${base}:${target.httpsPort}${REDIRECT_PROBE.path}`];
  const expected = `301 with Location ${accepted.join(" or ")}`;
  const got =
    outcome.kind === "answered"
      ? `${outcome.status}${outcome.headers.location ? ` with Location ${outcome.headers.location}` : " without Location"}`
      : `no answer after ${outcome.attempts} attempt(s) (${outcome.reason})`;
  const ok = outcome.kind === "answered" && outcome.status === 301 && accepted.includes(String(outcome.headers.location));
  return { host: target.host, check: "redirect", ok, expected, got };
}

/** Every further HTTP request answered by a redirect to HTTPS; anything else is content served in clear text. */
export async function checkHttpOnlyRedirects(target: EdgeTarget, timing: Timing): Promise<CheckResult> {
  const answers = await Promise.all(
    OTHER_HTTP_PROBES.map(async (probe) => ({ probe, outcome: await exchange(target, { scheme: "http", ...probe }, timing) })),
  );
  const served = answers.flatMap(({ probe, outcome }) => {
    if (outcome.kind !== "answered") return [];
    const location = String(outcome.headers.location ?? "");
    const redirectsToHttps = outcome.status >= 300 && outcome.status < 400 && location.toLowerCase().startsWith("https://");
    if (redirectsToHttps) return [];
    const type = outcome.headers["content-type"] ? `, ${outcome.headers["content-type"]}` : "";
    return [`${probe.method} ${probe.path} answered ${outcome.status} (${outcome.bodyBytes} body bytes${type})`];
  });
  return {
    host: target.host,
    check: "http-only",
    ok: served.length === 0,
    expected: `a redirect to https:// for ${OTHER_HTTP_PROBES.map((p) => `${p.method} ${p.path}`).join(", ")}`,
    got: served.length === 0 ? "redirects only" : served.join("; "),
  };
}

/**
 * The headers of one HTTPS response (`GET /`): HSTS, and with an expectation the security headers, judged on the same
 * response the redirect outcome is judged beside (the load balancer's own 301, for its `Server` header).
 */
export async function checkHttpsHeaders(
  target: EdgeTarget,
  expectations: { readonly hsts: HstsExpectation; readonly securityHeaders?: SecurityHeaderAttributes },
  redirect: HttpOutcome | undefined,
  timing: Timing,
): Promise<CheckResult[]> {
  const outcome = await exchange(target, { scheme: "https", ...HSTS_PROBE }, timing);
  const securityHeaders = expectations.securityHeaders === undefined ? [] : [evaluateSecurityHeaders(target.host, outcome, redirect, expectations.securityHeaders)];
  return [evaluateHsts(target.host, outcome, expectations.hsts), ...securityHeaders];
}

/** The `Server` header an Application Load Balancer writes on the responses it makes itself: `awselb/2.0`. */
const ALB_SERVER_HEADER = /^awselb\b/i;

/**
 * `security-headers`: every configured header value is on the HTTPS response, exactly (the load balancer replaces a
 * target's own value with it: ELB "HTTP header modification"); with `serverEnabled` false neither that response nor
 * the redirect (a response the load balancer makes itself) carries the load balancer's `Server: awselb/…`. A header
 * the environment leaves unset is not judged: the target may send its own.
 */
export function evaluateSecurityHeaders(host: string, https: HttpOutcome, redirect: HttpOutcome | undefined, expectation: SecurityHeaderAttributes): CheckResult {
  const wanted: Array<[string, string]> = [
    ["x-content-type-options", expectation.xContentTypeOptions],
    ["x-frame-options", expectation.xFrameOptions],
    ["content-security-policy", expectation.contentSecurityPolicy],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined);
  const expectedParts = [...wanted.map(([name, value]) => `${name}: ${value}`), ...(expectation.serverEnabled === false ? ["no awselb Server header"] : [])];
  const expected = expectedParts.length > 0 ? expectedParts.join("; ") : "nothing configured";
  const result = (ok: boolean, got: string): CheckResult => ({ host, check: "security-headers", ok, expected, got });
  if (https.kind !== "answered") return result(false, `no HTTPS response after ${https.attempts} attempt(s) (${https.reason})`);
  const value = (headers: Record<string, unknown>, name: string) => {
    const raw = headers[name];
    return raw === undefined ? undefined : Array.isArray(raw) ? raw.join(", ") : String(raw);
  };
  const problems = wanted.filter(([name, configured]) => value(https.headers, name) !== configured).map(([name]) => `${name}: ${value(https.headers, name) ?? "(none)"}`);
  if (expectation.serverEnabled === false) {
    for (const [label, outcome] of [["HTTPS", https], ["redirect", redirect]] as const) {
      const server = outcome?.kind === "answered" ? value(outcome.headers, "server") : undefined;
      if (server !== undefined && ALB_SERVER_HEADER.test(server)) problems.push(`server: ${server} (${label})`);
    }
  }
  return result(problems.length === 0, problems.length === 0 ? "as configured" : problems.join("; "));
}

export function evaluateHsts(host: string, outcome: HttpOutcome, expectation: HstsExpectation): CheckResult {
  const expected = expectation === false ? "no Strict-Transport-Security header (hsts: false)" : `Strict-Transport-Security: ${formatHsts(expectation)}`;
  const result = (ok: boolean, got: string): CheckResult => ({ host, check: "hsts", ok, expected, got });
  if (outcome.kind !== "answered") return result(false, `no HTTPS response after ${outcome.attempts} attempt(s) (${outcome.reason})`);
  const header = outcome.headers["strict-transport-security"];
  if (header === undefined) return result(expectation === false, `no Strict-Transport-Security header (HTTPS ${outcome.status})`);
  const value = Array.isArray(header) ? header.join(", ") : header;
  if (expectation === false) return result(false, `Strict-Transport-Security: ${value}`);
  const parsed = parseHsts(value);
  const ok =
    parsed !== undefined &&
    parsed.maxAgeSeconds === expectation.maxAgeSeconds &&
    parsed.includeSubDomains === expectation.includeSubDomains &&
    parsed.preload === expectation.preload;
  return result(ok, `Strict-Transport-Security: ${value}`);
}

/** The header value the expectation means, in the usual spelling. */
export function formatHsts(expectation: Exclude<HstsExpectation, false>): string {
  return [`max-age=${expectation.maxAgeSeconds}`, ...(expectation.includeSubDomains ? ["includeSubDomains"] : []), ...(expectation.preload ? ["preload"] : [])].join("; ");
}

/**
 * RFC 6797 section 6.1: directives separated by ";", names case-insensitive, max-age required (value may be quoted),
 * unknown directives ignored; undefined when max-age is missing, repeated or not a number.
 */
export function parseHsts(value: string): { maxAgeSeconds: number; includeSubDomains: boolean; preload: boolean } | undefined {
  const directives = value.split(";").map((part) => part.trim()).filter(Boolean);
  const maxAges = directives.filter((d) => /^max-age\s*=/i.test(d)).map((d) => d.replace(/^max-age\s*=\s*/i, "").replace(/^"(.*)"$/, "$1"));
  if (maxAges.length !== 1 || !/^\d+$/.test(maxAges[0])) return undefined;
  const has = (name: string) => directives.some((d) => d.toLowerCase() === name.toLowerCase());
  return { maxAgeSeconds: Number(maxAges[0]), includeSubDomains: has("includeSubDomains"), preload: has("preload") };
}
