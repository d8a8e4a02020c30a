import {
  AdoptedListener,
  adoptedListenersIn,
  judgeAdoptedListeners,
  ListenerInventory,
  namesOverlap,
  stackCertificatesIn,
  UnresolvedAdoptionError,
} from "../../lib/guard/adopted-listeners";

const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188";
const HTTP_ARN = `${LISTENER}/1111111111111111`;
const HTTPS_ARN = `${LISTENER}/2222222222222222`;
const RULE = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener-rule/app/edge/50dc6c495c0c9188/1111111111111111/aaaaaaaaaaaaaaaa";
const OLD_CERT = "arn:aws:acm:us-east-1:111111111111:certificate/0ld";
const OURS = "arn:aws:acm:us-east-1:111111111111:certificate/0urs";
const HTTP: AdoptedListener = { address: "aws_lb_listener.http", arn: HTTP_ARN, protocol: "HTTP", importing: true };
const HTTPS: AdoptedListener = { address: "aws_lb_listener.https", arn: HTTPS_ARN, protocol: "HTTPS", importing: false };
const STACK = { names: ["*.app.example.com", "app.example.com"], arns: new Set([OURS]) };
const FORWARD = [{ type: "forward" }];
const REDIRECT_301 = [{ type: "redirect", redirect: { protocol: "HTTPS", status_code: "HTTP_301" } }];

function inventory(listener: AdoptedListener, parts: Partial<ListenerInventory> = {}): ListenerInventory {
  return { listener, exists: true, rules: [], sniCertificates: [], ...parts };
}

function rule(actions: ListenerInventory["rules"][number]["actions"], priority = "10") {
  return { arn: RULE, priority, conditions: ["path-pattern /api/*"], actions };
}

const judge = (inventories: ListenerInventory[], options: { mode?: "plan" | "drift"; suppressions?: Array<{ address: string; rule: string }> } = {}) =>
  judgeAdoptedListeners(inventories, { mode: options.mode ?? "plan", suppressions: options.suppressions ?? [], stack: STACK });

describe("adoptedListenersIn", () => {
  // GIVEN the import blocks cdktf writes for existingListeners, and the plan that imports them
  const cdkTfJson = {
    import: [
      { id: HTTPS_ARN, to: "aws_lb_listener.https" },
      { id: HTTP_ARN, to: "aws_lb_listener.http" },
      { id: "Z123", to: "aws_route53_zone.other" },
    ],
    resource: { aws_lb_listener: { http: { protocol: "HTTP" }, https: { protocol: "HTTPS" } } },
  };
  const plan = {
    planned_values: { root_module: { resources: [{ address: "aws_lb_listener.https", type: "aws_lb_listener", values: { protocol: "HTTPS" } }] } },
    resource_changes: [{ address: "aws_lb_listener.http", change: { importing: { id: HTTP_ARN } } }],
  };

  test("finds every listener an import block adopts, with its protocol after apply and whether this plan imports it", () => {
    expect(adoptedListenersIn(plan, cdkTfJson)).toEqual([
      { address: "aws_lb_listener.http", arn: HTTP_ARN, protocol: "HTTP", importing: true },
      { address: "aws_lb_listener.https", arn: HTTPS_ARN, protocol: "HTTPS", importing: false },
    ]);
  });

  test("takes the ARN from the plan when the import id is an expression, and fails closed when the plan has none", () => {
    const expression = { import: [{ id: "${var.listener}", to: "aws_lb_listener.http" }] };
    expect(adoptedListenersIn(plan, expression).map((l) => l.arn)).toEqual([HTTP_ARN]);
    expect(() => adoptedListenersIn({}, expression)).toThrow(UnresolvedAdoptionError);
    expect(() => adoptedListenersIn({}, expression)).toThrow('cannot tell which listener the import block into aws_lb_listener.http adopts: its id "${var.listener}" is not a listener ARN');
  });

  test("finds nothing in a stack without import blocks", () => {
    expect(adoptedListenersIn(plan, { resource: cdkTfJson.resource })).toEqual([]);
  });
});

describe("stackCertificatesIn", () => {
  test("collects the names of the stack's certificates and every certificate ARN its resources name", () => {
    const plan = {
      prior_state: {
        values: {
          root_module: {
            resources: [
              { address: "aws_acm_certificate.c", type: "aws_acm_certificate", values: { arn: OURS, domain_name: "App.example.com", subject_alternative_names: ["*.app.example.com"] } },
              { address: "aws_lb_listener_certificate.s", type: "aws_lb_listener_certificate", values: { certificate_arn: "arn:sni" } },
              { address: "data.aws_acm_certificate.d", mode: "data", type: "aws_acm_certificate", values: { arn: "arn:data", domain_name: "data.example.com" } },
            ],
          },
        },
      },
      planned_values: { root_module: { resources: [{ address: "aws_acm_certificate.api", type: "aws_acm_certificate", values: { domain_name: "api.example.com" } }] } },
    };
    const found = stackCertificatesIn(plan);
    expect(found.names).toEqual(["*.app.example.com", "api.example.com", "app.example.com"]);
    expect([...found.arns].sort()).toEqual(["arn:sni", OURS].sort());
  });
});

describe("namesOverlap", () => {
  test.each([
    ["app.example.com", "app.example.com", true],
    ["APP.example.com.", "app.example.com", true],
    ["*.example.com", "app.example.com", true],
    ["app.example.com", "*.example.com", true],
    ["*.example.com", "*.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "a.b.example.com", false],
    ["*.example.com", "*.app.example.com", false],
    ["*.app.example.com", "*.api.example.com", false],
    ["app.example.com", "api.example.com", false],
  ])("%s and %s: %s", (a, b, expected) => {
    expect(namesOverlap(a, b)).toBe(expected);
  });
});

describe("judgeAdoptedListeners", () => {
  test("refuses a forward rule on an adopted HTTP listener in a plan, naming the listener, the rule and the remedy", () => {
    const { refusals, lines } = judge([inventory(HTTP, { rules: [rule(FORWARD)] })]);
    expect(refusals).toEqual([
      {
        address: "aws_lb_listener.http",
        kind: "http-listener-rule",
        message:
          `adopted HTTP listener ${HTTP_ARN} keeps rule priority 10 (path-pattern /api/*), ${RULE}: action type is "forward", not a redirect to HTTPS, ` +
          `so it keeps serving content over plain HTTP. Delete the rule (aws elbv2 delete-rule --rule-arn ${RULE}) or make it a 301 redirect to HTTPS`,
      },
    ]);
    expect(lines).toEqual([
      `- HTTP listener \`aws_lb_listener.http\` (imported by this plan, \`${HTTP_ARN}\`): 1 rule(s) besides the default action`,
      `  - **REFUSED** rule priority 10 (\`path-pattern /api/*\`), \`${RULE}\`: action type is "forward", not a redirect to HTTPS, so it keeps serving content over plain HTTP; ` +
        `delete it (\`aws elbv2 delete-rule --rule-arn ${RULE}\`) or make it a 301 redirect to HTTPS`,
    ]);
  });

  test("judges rules as the synth-time guard does: only a single 301 redirect to HTTPS passes", () => {
    const messages = (actions: ListenerInventory["rules"][number]["actions"]) => judge([inventory(HTTP, { rules: [rule(actions)] })]).refusals.map((r) => r.message.split(": ")[1]);
    expect(messages(REDIRECT_301)).toEqual([]);
    expect(messages([{ type: "redirect", redirect: { protocol: "HTTPS", status_code: "HTTP_302" } }])).toEqual(['redirect status_code is "HTTP_302", not HTTP_301, so it keeps serving content over plain HTTP. Delete the rule (aws elbv2 delete-rule --rule-arn ' + RULE + ") or make it a 301 redirect to HTTPS"]);
    expect(messages([{ type: "redirect", redirect: { protocol: "#{protocol}", status_code: "HTTP_301" } }])[0]).toMatch(/^redirect protocol is "#\{protocol\}", not HTTPS/);
    expect(messages([{ type: "authenticate-oidc" }, ...REDIRECT_301])[0]).toMatch(/^action must be a single redirect to HTTPS, found 2 actions/);
    expect(messages([{ type: "fixed-response" }])[0]).toMatch(/^action type is "fixed-response", not a redirect to HTTPS/);
  });

  test("honours http-listener-rule suppressed on the adopted listener, and no other suppression", () => {
    const inventories = [inventory(HTTP, { rules: [rule(FORWARD)] })];
    expect(judge(inventories, { suppressions: [{ address: "aws_lb_listener.http", rule: "listener-tls-policy" }] }).refusals).toHaveLength(1);
    expect(judge(inventories, { suppressions: [{ address: "aws_lb_listener.other", rule: "http-listener-rule" }] }).refusals).toHaveLength(1);
    const suppressed = judge(inventories, { suppressions: [{ address: "aws_lb_listener.http", rule: "http-listener-rule" }] });
    expect(suppressed.refusals).toEqual([]);
    expect(suppressed.lines[1]).toBe(
      `  - rule priority 10 (\`path-pattern /api/*\`), \`${RULE}\`: action type is "forward", not a redirect to HTTPS; allowed, http-listener-rule is suppressed on this listener`,
    );
  });

  test("reports the same rule as a warning in a drift check, never refusing", () => {
    const { refusals, lines } = judge([inventory(HTTP, { rules: [rule(FORWARD)] })], { mode: "drift" });
    expect(refusals).toEqual([]);
    expect(lines[1]).toMatch(/^  - \*\*WARNING\*\* rule priority 10 .*: action type is "forward", not a redirect to HTTPS, so it serves content over plain HTTP; delete it/);
  });

  test("lists an adopted HTTPS listener's rules without refusing them", () => {
    const { refusals, lines } = judge([inventory(HTTPS, { rules: [rule(FORWARD), rule([{ type: "authenticate-oidc" }, { type: "forward" }], "20")] })]);
    expect(refusals).toEqual([]);
    expect(lines).toEqual([
      `- HTTPS listener \`aws_lb_listener.https\` (adopted by an earlier apply, \`${HTTPS_ARN}\`): 2 rule(s) besides the default action; no SNI certificate this stack does not manage`,
      `  - rule priority 10 (\`path-pattern /api/*\`), \`${RULE}\`: forward; it routes before the stack's default action`,
      `  - rule priority 20 (\`path-pattern /api/*\`), \`${RULE}\`: authenticate-oidc, then forward; it routes before the stack's default action`,
    ]);
  });

  test("warns about each SNI certificate the stack does not manage, with the stack's names it overlaps, and leaves the stack's own out", () => {
    const { refusals, lines } = judge([
      inventory(HTTPS, {
        sniCertificates: [
          { arn: OURS, names: ["app.example.com"], alsoDefault: false },
          { arn: OLD_CERT, names: ["*.example.com", "old.example.org"], alsoDefault: true },
          { arn: "arn:aws:acm:us-east-1:111111111111:certificate/other", names: ["other.example.net"], alsoDefault: false },
        ],
      }),
    ]);
    expect(refusals).toEqual([]);
    expect(lines[0]).toMatch(/: no rule besides the default action; 2 SNI certificate\(s\) this stack does not manage$/);
    expect(lines[1]).toBe(
      `  - **WARNING** SNI certificate \`${OLD_CERT}\` (ACM names \`*.example.com\`, \`old.example.org\`), not managed by this stack, overlaps this stack's \`app.example.com\`: ` +
        "for those names the ALB may serve it instead of the stack's certificate (it picks among the listed certificates that match the name by key algorithm, " +
        `then hash, key length and validity). Remove it: \`aws elbv2 remove-listener-certificates --listener-arn ${HTTPS_ARN} --certificates CertificateArn=${OLD_CERT}\`, ` +
        "after adding its other names to `additionalCertificates` if this listener must keep serving them. It is also the listener's current default certificate: " +
        "the apply replaces the default, this list entry stays.",
    );
    expect(lines[2]).toMatch(/^  - \*\*WARNING\*\* SNI certificate `[^`]+other` \(ACM names `other\.example\.net`\), not managed by this stack: it overlaps none of this stack's names, and keeps serving its own/);
    expect(lines).toHaveLength(3);
  });

  test("says so when a certificate's names are not known (not an ACM certificate)", () => {
    const iam = "arn:aws:iam::111111111111:server-certificate/legacy";
    const { lines } = judge([inventory(HTTPS, { sniCertificates: [{ arn: iam, namesUnknown: "an IAM server certificate, not ACM's", alsoDefault: false }] })]);
    expect(lines[1]).toBe(
      `  - **WARNING** SNI certificate \`${iam}\`, not managed by this stack: its names are not known (an IAM server certificate, not ACM's), so it may win the ALB's ` +
        `choice for any of this stack's names. Remove it: \`aws elbv2 remove-listener-certificates --listener-arn ${HTTPS_ARN} --certificates CertificateArn=${iam}\`.`,
    );
  });

  test("confirms an adopted listener that keeps nothing, and one that no longer exists", () => {
    const { refusals, lines } = judge([inventory(HTTP), inventory(HTTPS), inventory({ ...HTTP, address: "aws_lb_listener.gone" }, { exists: false })]);
    expect(refusals).toEqual([]);
    expect(lines).toEqual([
      `- HTTP listener \`aws_lb_listener.http\` (imported by this plan, \`${HTTP_ARN}\`): no rule besides the default action`,
      `- HTTPS listener \`aws_lb_listener.https\` (adopted by an earlier apply, \`${HTTPS_ARN}\`): no rule besides the default action; no SNI certificate this stack does not manage`,
      `- HTTP listener \`aws_lb_listener.gone\` (imported by this plan, \`${HTTP_ARN}\`): ELB answers ListenerNotFound, so there is nothing on it to keep`,
    ]);
  });
});
