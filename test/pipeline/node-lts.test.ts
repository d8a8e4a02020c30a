/**
 * One Node LTS everywhere: the workflow's jobs, package.json engines (and its lock file), and the exact build .ci/run
 * tests on (scripts/node-lts.js), so a bump of one without the others fails here.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "../support/project";

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
const { NODE_LTS_VERSION } = require("../../scripts/node-lts.js") as { NODE_LTS_VERSION: string };
const major = NODE_LTS_VERSION.split(".")[0];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

describe("the supported Node LTS", () => {
  test("is an even (LTS) major of at least 24, pinned to an exact version", () => {
    expect(NODE_LTS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(major)).toBeGreaterThanOrEqual(24);
    expect(Number(major) % 2).toBe(0);
  });

  test("every job of the workflow sets up exactly that major", () => {
    const { jobs } = parseYaml(read(".github/workflows/tls-edge.yml")) as { jobs: Record<string, { steps: Step[] }> };
    const versions = Object.fromEntries(
      Object.entries(jobs).map(([name, job]) => [name, job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@")).map((s) => String(s.with?.["node-version"]))]),
    );
    expect(Object.keys(versions).length).toBeGreaterThan(0);
    for (const [name, found] of Object.entries(versions)) expect({ job: name, versions: found }).toEqual({ job: name, versions: [major] });
  });

  test("package.json and its lock file require it", () => {
    const pkg = JSON.parse(read("package.json")) as { engines: { node: string } };
    const lock = JSON.parse(read("package-lock.json")) as { packages: { "": { engines: { node: string } } } };
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(lock.packages[""].engines.node).toBe(pkg.engines.node);
  });

  test(".ci/run runs synth, the bootstrap synth, the fast suites and check:cdktn on the pinned build", () => {
    expect(read(".ci/run")).toMatch(/^bash \.ci\/node-lts$/m);
    const script = read(".ci/node-lts");
    const pinned = script.indexOf('PATH="$(node scripts/node-lts.js):$PATH"');
    expect(pinned).toBeGreaterThan(-1);
    const onPinnedNode = script.slice(pinned);
    for (const command of ["npm run synth", "npm run bootstrap:synth", "npm run test:fast", "npm run check:cdktn"]) {
      expect(onPinnedNode).toMatch(new RegExp(`^(NODE_OPTIONS=\\S+ )?${command}$`, "m"));
    }
  });

  test("scripts/node-lts.js --version prints the pin without installing anything", () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "node-lts.js"), "--version"], { encoding: "utf8", timeout: 10_000 });
    expect(run).toMatchObject({ status: 0, stdout: `${NODE_LTS_VERSION}\n`, stderr: "" });
  });
});
