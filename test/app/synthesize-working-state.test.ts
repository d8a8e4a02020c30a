import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentConfigError, synthesizeEnvironments } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

/** What `terraform init` leaves in a stack directory, in miniature: a provider binary and the lock file. */
function fakeInit(stackDir: string, marker: string): void {
  fs.mkdirSync(path.join(stackDir, ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(stackDir, ".terraform", "providers", "terraform-provider-aws"), marker);
  fs.writeFileSync(path.join(stackDir, ".terraform.lock.hcl"), `# lock ${marker}\n`);
}

describe("synthesizeEnvironments keeps Terraform's working state", () => {
  let root: string;
  let outdir: string;
  const stackDir = (id: string) => path.join(outdir, "stacks", id);
  const provider = (id: string) => path.join(stackDir(id), ".terraform", "providers", "terraform-provider-aws");
  const lockFile = (id: string) => path.join(stackDir(id), ".terraform.lock.hcl");

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tls-working-state-"));
    outdir = path.join(root, "cdktf.out");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test("carries each surviving stack's .terraform directory and lock file into the new output, without copying", () => {
    // GIVEN two stacks that terraform init has run in
    synthesizeEnvironments([baseEnvironment({ name: "a" }), baseEnvironment({ name: "b" })], { outdir });
    fakeInit(stackDir("tls-a"), "a");
    fakeInit(stackDir("tls-b"), "b");
    const inode = fs.statSync(provider("tls-a")).ino;
    // WHEN the next synth changes stack a and keeps stack b
    synthesizeEnvironments([baseEnvironment({ name: "a", validationTimeout: "1h" }), baseEnvironment({ name: "b" })], { outdir });
    // THEN both stacks are rewritten and keep their working state, moved rather than copied
    expect(fs.readFileSync(path.join(stackDir("tls-a"), "cdk.tf.json"), "utf8")).toContain('"create": "1h"');
    expect(fs.readFileSync(provider("tls-a"), "utf8")).toBe("a");
    expect(fs.readFileSync(lockFile("tls-a"), "utf8")).toBe("# lock a\n");
    expect(fs.readFileSync(provider("tls-b"), "utf8")).toBe("b");
    expect(fs.statSync(provider("tls-a")).ino).toBe(inode);
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("drops the working state of a stack that is no longer synthesized and gives a new stack none", () => {
    synthesizeEnvironments([baseEnvironment({ name: "old" }), baseEnvironment({ name: "kept" })], { outdir });
    fakeInit(stackDir("tls-old"), "old");
    fakeInit(stackDir("tls-kept"), "kept");
    synthesizeEnvironments([baseEnvironment({ name: "kept" }), baseEnvironment({ name: "new" })], { outdir });
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["tls-kept", "tls-new"]);
    expect(fs.readdirSync(stackDir("tls-new"))).toEqual(["cdk.tf.json"]);
    expect(fs.readFileSync(provider("tls-kept"), "utf8")).toBe("kept");
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("carries a lock file alone when terraform init left no .terraform directory", () => {
    synthesizeEnvironments([baseEnvironment({ name: "a" })], { outdir });
    fs.writeFileSync(lockFile("tls-a"), "# lock only\n");
    synthesizeEnvironments([baseEnvironment({ name: "a" })], { outdir });
    expect(fs.readdirSync(stackDir("tls-a")).sort()).toEqual([".terraform.lock.hcl", "cdk.tf.json"]);
    expect(fs.readFileSync(lockFile("tls-a"), "utf8")).toBe("# lock only\n");
  });

  test("leaves the working state where it was when the synth fails", () => {
    synthesizeEnvironments([baseEnvironment({ name: "a" })], { outdir });
    fakeInit(stackDir("tls-a"), "a");
    expect(() => synthesizeEnvironments([baseEnvironment({ name: "a", region: "mars-1" })], { outdir })).toThrow(EnvironmentConfigError);
    expect(fs.readFileSync(provider("tls-a"), "utf8")).toBe("a");
    expect(fs.readFileSync(lockFile("tls-a"), "utf8")).toBe("# lock a\n");
    expect(fs.readdirSync(root)).toEqual(["cdktf.out"]);
  });
});
