import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { environments } from "../../environments";
import { reportSynthWarnings, StackExtension, synthesizeEnvironments, TlsGuardError } from "../../lib";
import { extend as readmeExample, KIOSK_REASON, weakListener } from "../fixtures/extensions";
import { snapshotTree } from "../support/files";

describe("the extension point (extend.ts, passed to synthesizeEnvironments by main.ts)", () => {
  let root: string;
  let outdir: string;
  const stackJson = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tls-extend-"));
    outdir = path.join(root, "cdktf.out");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test("is called once per environment with its stack and configuration, and what it adds is synthesized there", () => {
    const calls: string[] = [];
    const addRule: StackExtension = (stack, config) => {
      calls.push(`${stack.node.id}:${config.name}`);
      new LbListener(stack, "Maintenance", {
        loadBalancerArn: config.loadBalancerArn,
        port: 8080,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
    };
    synthesizeEnvironments(environments, { outdir, extend: addRule });
    expect(calls).toEqual(environments.map((e) => `tls-${e.name}:${e.name}`));
    for (const { name, loadBalancerArn } of environments) {
      const listeners = Object.values(stackJson(`tls-${name}`).resource.aws_lb_listener) as any[];
      expect(listeners.find((l) => l.port === 8080)).toMatchObject({ load_balancer_arn: loadBalancerArn, protocol: "HTTP" });
    }
  });

  test("an extension that adds a weak listener fails synth with the guard error and writes nothing", () => {
    // GIVEN a previous good synth
    synthesizeEnvironments(environments, { outdir });
    const before = snapshotTree(outdir);
    // WHEN
    let error: unknown;
    try {
      synthesizeEnvironments(environments, { outdir, extend: weakListener });
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(TlsGuardError);
    expect((error as TlsGuardError).violations).toEqual([
      {
        path: `tls-${environments[0].name}/LegacyKiosk`,
        resourceType: "aws_lb_listener",
        rule: "listener-tls-policy",
        message: 'ssl_policy "ELBSecurityPolicy-TLS-1-1-2017-01" allows TLSv1.1; the minimum is TLSv1.2',
      },
    ]);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("an extension that throws leaves the output as it was", () => {
    synthesizeEnvironments(environments, { outdir });
    const before = snapshotTree(outdir);
    const broken: StackExtension = (stack) => {
      if (stack.node.id === `tls-${environments[environments.length - 1].name}`) throw new Error("extension bug");
    };
    expect(() => synthesizeEnvironments(environments, { outdir, extend: broken })).toThrow("extension bug");
    expect(snapshotTree(outdir)).toEqual(before);
  });

  test("the README example passes with its suppression, writes the reason into each stack and prints it as a warning", () => {
    synthesizeEnvironments(environments, { outdir, extend: readmeExample });
    for (const { name } of environments) {
      const kiosk = (stackJson(`tls-${name}`).resource.aws_lb_listener as Record<string, any>)[
        Object.keys(stackJson(`tls-${name}`).resource.aws_lb_listener).find((id) => id.startsWith("LegacyKiosk"))!
      ];
      expect(kiosk).toMatchObject({ port: 8443, ssl_policy: "ELBSecurityPolicy-TLS-1-1-2017-01" });
      expect(kiosk["//"].tls_guard_suppressions).toEqual({ "listener-tls-policy": KIOSK_REASON });
    }
    let stderr = "";
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      expect(reportSynthWarnings(outdir)).toBe(environments.length);
    } finally {
      spy.mockRestore();
    }
    for (const { name } of environments) {
      expect(stderr).toContain(`WARN [tls-${name}/LegacyKiosk]: TLS guard rule listener-tls-policy suppressed: ${KIOSK_REASON}`);
    }
  });
});
