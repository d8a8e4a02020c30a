import * as fs from "fs";
import * as path from "path";
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EnvironmentConfig } from "../../lib";
import { cdktf } from "../support/cdktf";
import { expectedStack } from "../support/environment-oracle";
import { describeWithEmulator, Emulator, startEmulator } from "../support/emulator";
import { emulatorEnvironment } from "../support/emulator-app";
import { copyProject, ProjectCopy } from "../support/project";

// `npm run synth` runs the app without the cdktf CLI. This proves the CLI still works on what it writes
// (`--skip-synth`), keeps working through cdktf.json, and that a re-synth keeps each stack's Terraform working state.
describeWithEmulator("cdktf diff and deploy on the output of npm run synth (real cdktf CLI, Terraform, moto)", () => {
  let emulator: Emulator;
  let project: ProjectCopy;
  let environment: EnvironmentConfig;
  const stackDir = () => path.join(project.dir, "cdktf.out", "stacks", "tls-cli");
  const run = (args: string[]) => cdktf(args, { cwd: project.dir, env: emulator.env });

  beforeAll(async () => {
    emulator = await startEmulator({ hostedZones: { "example.com": "Z0CLI00000000000000A" } }, { acmValidationWaitSeconds: 1 });
    project = copyProject();
    environment = emulatorEnvironment(emulator, {
      name: "cli",
      domainName: "cli.example.com",
      hostedZones: emulator.seeded.hostedZones,
      targetGroupArn: emulator.seeded.targetGroupArn,
    });
    project.write("environments/cli.ts", `import { EnvironmentConfig } from "../../lib";\n\nexport const cli: EnvironmentConfig = ${JSON.stringify(environment, null, 2)};\n`);
    project.write("environments/index.ts", 'import { EnvironmentConfig } from "../../lib";\n\nexport const environments: EnvironmentConfig[] = [(require("./cli") as typeof import("./cli")).cli];\n');
  });
  afterAll(async () => {
    project?.cleanup();
    await emulator?.stop();
  });

  test("cdktf diff --skip-synth plans the stack npm run synth wrote", async () => {
    expect(project.runApp()).toMatchObject({ status: 0, stderr: "" });
    const diff = await run(["diff", "tls-cli", "--skip-synth", "--skip-provider-lock"]);
    const toAdd = Object.values(expectedStack(environment).resourceCounts).reduce((sum, n) => sum + n, 0);
    expect(diff.output).toContain(`Plan: ${toAdd} to add, 0 to change, 0 to destroy`);
  });

  test("cdktf deploy --skip-synth applies it", async () => {
    await run(["deploy", "tls-cli", "--skip-synth", "--auto-approve", "--skip-provider-lock"]);
    const { Listeners = [] } = await emulator.client(ElasticLoadBalancingV2Client).send(new DescribeListenersCommand({ LoadBalancerArn: emulator.seeded.loadBalancerArn }));
    expect(Listeners.map((l) => `${l.Protocol}:${l.Port}`).sort()).toEqual(["HTTP:80", "HTTPS:443"]);
  });

  test("a re-synth keeps the stack's .terraform and lock file, and cdktf diff through cdktf.json finds nothing to change", async () => {
    const provider = fs.readlinkSync(findProviderLink(path.join(stackDir(), ".terraform")));
    const lock = fs.readFileSync(path.join(stackDir(), ".terraform.lock.hcl"), "utf8");
    expect(project.runApp().status).toBe(0);
    expect(fs.readlinkSync(findProviderLink(path.join(stackDir(), ".terraform")))).toBe(provider);
    expect(fs.readFileSync(path.join(stackDir(), ".terraform.lock.hcl"), "utf8")).toBe(lock);
    // Without --skip-synth: the CLI runs cdktf.json's app itself.
    const diff = await run(["diff", "tls-cli", "--skip-provider-lock"]);
    expect(diff.output).toMatch(/No changes/);
  });
});

/** The installed provider's platform directory link below .terraform/providers (terraform links it from the mirror). */
function findProviderLink(dotTerraform: string): string {
  const base = path.join(dotTerraform, "providers", "registry.terraform.io", "hashicorp", "aws");
  const [version] = fs.readdirSync(base);
  const [platform] = fs.readdirSync(path.join(base, version));
  return path.join(base, version, platform);
}
