import * as fs from "fs";
import * as path from "path";
import { environments } from "../../environments";
import { EnvironmentConfig, synthesizeEnvironments } from "../../lib";
import { expectedStack, stackChecks } from "../support/environment-oracle";
import { snapshotTree } from "../support/files";
import { copyProject, ProjectCopy, REPO_ROOT } from "../support/project";

describe("the app (cdktf.json's app command, which npm run synth runs too)", () => {
  let project: ProjectCopy;
  beforeEach(() => {
    project = copyProject();
  });
  afterEach(() => project.cleanup());

  test("npm run synth runs exactly the app command of cdktf.json, so both write the same output", () => {
    const { app } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "cdktf.json"), "utf8"));
    const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    expect(app).toBe("node --require tsx/cjs main.ts");
    expect(scripts.synth).toBe(`CHECKPOINT_DISABLE=1 ${app}`);
  });

  test("reports a broken environment file by file, line and 1-based column, writes nothing and prints no stack trace", () => {
    // GIVEN a previous good synth, then an environment file with a missing comma
    synthesizeEnvironments(environments, { outdir: path.join(project.dir, "cdktf.out") });
    const before = snapshotTree(path.join(project.dir, "cdktf.out"));
    const source = project.read("environments/dev.ts");
    project.write("environments/dev.ts", source.replace('region: "us-east-1",', 'region: "us-east-1"'));
    const lines = source.split("\n");
    const line = lines.findIndex((l) => l.includes("accountId:")) + 1;
    const column = lines[line - 1].indexOf("accountId") + 1;
    // WHEN
    const run = project.runApp();
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        "A TypeScript file does not compile:",
        `environments/dev.ts:${line}:${column}: Expected "}" but found "accountId"`,
        "",
        "Nothing was written: the output directory is unchanged.",
        "",
      ].join("\n"),
    );
    expect(snapshotTree(path.join(project.dir, "cdktf.out"))).toEqual(before);
  });

  test("reports a bug in extend.ts with its stack trace, pointing at the .ts line", () => {
    project.write(
      "extend.ts",
      ['import { StackExtension } from "./lib";', "", "export const extend: StackExtension = (stack) => {", "  (stack as any).missing.call();", "};", ""].join("\n"),
    );
    const run = project.runApp();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Synth failed: TypeError: Cannot read properties of undefined \(reading 'call'\)\n\s+at /);
    expect(run.stderr).toContain(`${path.join(project.dir, "extend.ts")}:4:`);
    expect(fs.existsSync(path.join(project.dir, "cdktf.out"))).toBe(false);
  });

  test("an environment added as its own file plus one line in environments/index.ts is synthesized as its configuration says", () => {
    // GIVEN the README's two steps: the environment's file...
    const zzTemp: EnvironmentConfig = {
      name: "zz-temp",
      region: "ap-southeast-2",
      accountId: "555555555555",
      domainName: "temp.example.net",
      subjectAlternativeNames: ["*.temp.example.net", "status.example.org"],
      hostedZones: { "example.net": "Z0NET000000000000000", "temp.example.net": "Z0TEMPNET00000000000", "example.org": "Z0ORG000000000000000" },
      loadBalancerArn: "arn:aws:elasticloadbalancing:ap-southeast-2:555555555555:loadbalancer/app/edge-temp/0123456789abcdef",
      targetGroupArn: "arn:aws:elasticloadbalancing:ap-southeast-2:555555555555:targetgroup/web-temp/fedcba9876543210",
      tlsPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      keyAlgorithm: "RSA_2048",
      validationTimeout: "1h",
      stateBackend: { s3: { bucket: "temp-state" } },
      tags: { owner: "qa" },
      // The production features too, in the variants the everything-on fixture does not use: nothing here needs a
      // test edit either.
      hsts: false,
      additionalCertificates: [{ domainName: "shop.example.net" }],
      mutualTls: { mode: "passthrough" },
      caa: {},
      expiryAlarm: { snsTopicArn: "arn:aws:sns:ap-southeast-2:555555555555:tls-alerts" },
      dnsRoleArn: "arn:aws:iam::666666666666:role/route53-records",
      existingListeners: { http: "arn:aws:elasticloadbalancing:ap-southeast-2:555555555555:listener/app/edge-temp/0123456789abcdef/aaaaaaaaaaaaaaaa" },
    };
    project.write(
      "environments/zz-temp.ts",
      `import { EnvironmentConfig } from "../../lib";\n\nexport const zzTemp: EnvironmentConfig = ${JSON.stringify(zzTemp, null, 2)};\n`,
    );
    // ...and its one line in the list
    const index = project.read("environments/index.ts");
    const withLine = index.replace(/\n\];/, '\n  (require("./zz-temp") as typeof import("./zz-temp")).zzTemp,\n];');
    expect(withLine.split("\n").length).toBe(index.split("\n").length + 1);
    project.write("environments/index.ts", withLine);
    // WHEN
    const run = project.runApp();
    // THEN its stack is written beside the others and meets every expectation derived from its configuration
    expect(run).toMatchObject({ status: 0, stderr: "" });
    const stacks = path.join(project.dir, "cdktf.out", "stacks");
    expect(fs.readdirSync(stacks).sort()).toEqual([...environments.map((e) => `tls-${e.name}`), "tls-zz-temp"].sort());
    const stack = JSON.parse(fs.readFileSync(path.join(stacks, "tls-zz-temp", "cdk.tf.json"), "utf8"));
    const want = expectedStack(zzTemp);
    expect(want.records).toEqual({
      temp_example_net: "Z0TEMPNET00000000000",
      status_example_org: "Z0ORG000000000000000",
      shop_example_net: "Z0NET000000000000000",
    });
    for (const check of Object.values(stackChecks)) check(stack, want);
  });
});
