import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The Python of the pinned tools virtualenv `npm test` provisions (scripts/python-tools.js): moto, policy-sentry, zizmor. */
export const TOOLS_PYTHON = path.join(REPO_ROOT, ".venv-tools", "bin", "python");

/** What a user's checkout needs to synthesize: the app, its configuration, the library and the environments. */
const PROJECT_FILES = ["main.ts", "extend.ts", "cdktf.json", "tsconfig.json", "package.json", "lib", "environments"];

export interface AppRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProjectCopy {
  readonly dir: string;
  /** Writes a file relative to the copy's root. */
  write(file: string, content: string): void;
  read(file: string): string;
  /** Runs the `app` command of the copy's cdktf.json in the copy, as `cdktf synth` and `npm run synth` do. */
  runApp(env?: NodeJS.ProcessEnv): AppRun;
  cleanup(): void;
}

/**
 * A temp copy of the project (node_modules linked, not copied), for tests that change what a user changes (an
 * environment file, environments/index.ts, extend.ts) and run the real app on it.
 */
export function copyProject(): ProjectCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-project-"));
  for (const entry of PROJECT_FILES) fs.cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return {
    dir,
    write: (file, content) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    },
    read: (file) => fs.readFileSync(path.join(dir, file), "utf8"),
    runApp: (env = {}) => {
      const { app } = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")) as { app: string };
      const inherited = { ...process.env };
      delete inherited.CDKTF_OUTDIR;
      const result = spawnSync("sh", ["-c", app], {
        cwd: dir,
        encoding: "utf8",
        // TSX_DISABLE_CACHE: tsx keys its on-disk compile cache (os.tmpdir()/tsx-<uid>) by file path, so a fresh copy never
        // hits it; each run only added ~50 entries that nothing reads again (kept ~8 days), and every tsx process that
        // compiles something new scans them all. The run compiles the same, keeping its cache in memory.
        env: { ...inherited, CHECKPOINT_DISABLE: "1", TSX_DISABLE_CACHE: "1", ...env },
        timeout: 120_000,
      });
      if (result.error) throw result.error;
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
