#!/usr/bin/env node
// Measures synthesis of every environment: wall time and peak memory (max RSS) of the app process, over several
// runs, plus one end-to-end `cdktf synth` through the CLI. Prints figures; asserts nothing. Run: npm run bench
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const runs = Number(process.env.BENCH_RUNS || 5);
const root = path.resolve(__dirname, "..");
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeApp() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  // The same command cdktf.json runs, with a hook that reports the process's own peak RSS at exit.
  const report = "process.on('exit', () => process.stderr.write('MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'))";
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-e", `${report}; require('./main.ts')`],
    { cwd: root, env: { ...env, CDKTF_OUTDIR: path.join(outdir, "cdktf.out") }, encoding: "utf8" },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(result.stderr)[1]);
  return { seconds, mb: kb / 1024 };
}

function timeCli() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
  const start = process.hrtime.bigint();
  const result = spawnSync("npx", ["cdktf", "synth", "--output", path.join(outdir, "cdktf.out")], { cwd: root, env, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`cdktf synth failed:\n${result.stdout}\n${result.stderr}`);
  return seconds;
}

const samples = Array.from({ length: runs }, timeApp);
const stacks = fs.readdirSync(path.join(root, "environments")).filter((f) => f !== "index.ts").length;
console.log(`synth of all ${stacks} environments, ${runs} runs, node ${process.version}, ${os.cpus().length} CPUs`);
console.log(`  app (ts-node --transpile-only main.ts): median ${median(samples.map((s) => s.seconds)).toFixed(2)} s, ` +
  `max ${Math.max(...samples.map((s) => s.seconds)).toFixed(2)} s; peak RSS median ${median(samples.map((s) => s.mb)).toFixed(0)} MB, ` +
  `max ${Math.max(...samples.map((s) => s.mb)).toFixed(0)} MB`);
if (!process.env.BENCH_SKIP_CLI) console.log(`  end to end (npx cdktf synth): ${timeCli().toFixed(2)} s`);
