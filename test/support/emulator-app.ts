/**
 * A throw-away copy of the emulator fixture app (test/fixtures/emulator-app) in a temp dir: its own cdktf.json, its
 * environments file, its cdktf.out and local state, so suites running in parallel never share a file and nothing is
 * written into the repository.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentConfig } from "../../lib";
import { Emulator, EMULATOR_ACCOUNT, REPO_ROOT } from "./emulator";

const FIXTURE_APP = path.join(REPO_ROOT, "test", "fixtures", "emulator-app", "app.ts");

export interface EmulatorApp {
  /** The app directory (cdktf.json); cdktf.out and local state files land here. */
  readonly dir: string;
  /** Variables the app needs, to merge into the emulator's env. */
  readonly env: NodeJS.ProcessEnv;
  /** Replaces the environments the next cdktf command synthesizes. */
  writeEnvironments(environments: readonly EnvironmentConfig[]): void;
  /** The synthesized stack directory of a stack id. */
  stackDir(stack: string): string;
  cleanup(): void;
}

/**
 * An environment that lives in the emulator: its region and account, the load balancer it seeded, and keyAlgorithm
 * RSA_2048, because moto ignores KeyAlgorithm and always issues RSA_2048 (any other algorithm would show as a
 * perpetual replacement). `fields` supply the rest and may override any of these.
 */
export function emulatorEnvironment(
  emulator: Emulator,
  fields: Pick<EnvironmentConfig, "name" | "domainName" | "hostedZones"> & Partial<EnvironmentConfig>,
): EnvironmentConfig {
  return {
    region: emulator.region,
    accountId: EMULATOR_ACCOUNT,
    loadBalancerArn: emulator.seeded.loadBalancerArn,
    keyAlgorithm: "RSA_2048",
    ...fields,
  };
}

export function createEmulatorApp(environments: readonly EnvironmentConfig[]): EmulatorApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-emulator-app-"));
  const environmentsFile = path.join(dir, "environments.json");
  // Absolute paths: the temp dir has no node_modules to resolve `tsx/cjs` from.
  const app = `node --require ${JSON.stringify(require.resolve("tsx/cjs"))} ${JSON.stringify(FIXTURE_APP)}`;
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(path.dirname(FIXTURE_APP), "cdktf.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, app }, null, 2));
  const writeEnvironments = (list: readonly EnvironmentConfig[]) =>
    fs.writeFileSync(environmentsFile, JSON.stringify(list, null, 2));
  writeEnvironments(environments);
  return {
    dir,
    env: { TLS_EDGE_ENVIRONMENTS_FILE: environmentsFile },
    writeEnvironments,
    stackDir: (stack) => path.join(dir, "cdktf.out", "stacks", stack),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
