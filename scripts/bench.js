#!/usr/bin/env node
// npm run bench: the five speed goals of the project, each measured in this one run (the machine is shared and
// noisy, so ratios compare figures taken side by side, never against numbers from another day). Prints figures and
// PASS/FAIL per goal; it is a benchmark, not a test: it exits 0 whatever the figures, and 1 only when a measured
// command itself fails.
//
// Env: BENCH_RUNS (default 5) runs of each quick command, BENCH_BASELINE_RUNS (default 1) of the slow template idiom,
// BENCH_LOOP_RUNS (default 3) of the fast test loop, BENCH_SKIP_LOOP=1 skips goal 4 (the test loops),
// BENCH_SKIP_SUITE=1 skips goal 5 (the full suite, about 7 minutes on 2 CPUs).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const runs = Number(process.env.BENCH_RUNS || 5);
const baselineRuns = Number(process.env.BENCH_BASELINE_RUNS || 1);
const loopRuns = Number(process.env.BENCH_LOOP_RUNS || 3);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tls-bench-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
delete baseEnv.CDKTF_OUTDIR;
delete baseEnv.NODE_OPTIONS;

const MiB = 1024;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const s = (seconds) => `${seconds.toFixed(2)} s`;
const mib = (kib) => `${(kib / MiB).toFixed(0)} MiB`;
const verdict = (ok) => (ok ? "PASS" : "FAIL");
const results = [];
const load = () => `load average ${os.loadavg()[0].toFixed(1)}`;
function goal(name, ok, figure, target) {
  results.push({ name, ok });
  console.log(`   ${verdict(ok)}  ${name}: ${figure} (goal ${target})`);
}

/**
 * Runs a command once; returns wall seconds and, with `rss`, the peak RSS (KiB) of the largest node process it
 * started (each process reports its own through scripts/bench/peak-rss.js).
 */
function measure(command, args, { cwd = root, env = {}, rss = false, shell = false } = {}) {
  const rssDir = fs.mkdtempSync(path.join(scratch, "rss-"));
  const outdir = path.join(fs.mkdtempSync(path.join(scratch, "out-")), "cdktf.out");
  const fullEnv = { ...baseEnv, CDKTF_OUTDIR: outdir, ...env };
  if (rss) Object.assign(fullEnv, { NODE_OPTIONS: `--require ${path.join(__dirname, "bench", "peak-rss.js")}`, BENCH_RSS_DIR: rssDir });
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: fullEnv, encoding: "utf8", shell, maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
  const processes = fs.readdirSync(rssDir).map((pid) => JSON.parse(fs.readFileSync(path.join(rssDir, pid), "utf8")));
  return {
    seconds,
    kib: processes.length > 0 ? Math.max(...processes.map((p) => p.kib)) : undefined,
    cpu: processes.reduce((sum, p) => sum + p.cpu, 0) / 1e6,
    outdir,
  };
}

/**
 * CPU seconds (user + system) of every descendant this process has waited for, from /proc/self/stat (cutime and
 * cstime, in clock ticks): a finished command's whole process tree, terraform and Python included.
 */
function childrenCpuSeconds() {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return (Number(fields[13]) + Number(fields[14])) / ticks;
}

/** Medians of wall time, peak RSS and CPU time over the runs. */
function medians(taken) {
  return { seconds: median(taken.map((t) => t.seconds)), kib: median(taken.map((t) => t.kib ?? 0)), cpu: median(taken.map((t) => t.cpu)), all: taken };
}

function sample(count, command, args, options) {
  return medians(Array.from({ length: count }, () => measure(command, args, options)));
}

const environmentCount = (require("child_process").execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", 'console.log(require("./environments").environments.length)'], { cwd: root, encoding: "utf8" })).trim();
const [load1] = os.loadavg();
console.log(`npm run bench: node ${process.version}, ${os.cpus().length} CPUs, load average ${load1.toFixed(1)} at start; medians of ${runs} runs unless stated`);

// 1. The cdktf.json app step for all environments.
const { app } = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
console.log(`\n1. The cdktf.json app step, all ${environmentCount} environments (\`${app}\`); ${load()}`);
const floorDir = fs.mkdtempSync(path.join(scratch, "compiled-"));
fs.symlinkSync(path.join(root, "node_modules"), path.join(floorDir, "node_modules"), "dir");
const compile = spawnSync(bin("tsc"), ["--outDir", floorDir, "--rootDir", root, "--target", "ES2022", "--module", "commonjs", "--esModuleInterop", "--skipLibCheck", "--strict", "--declaration", "false", "main.ts", "extend.ts"], { cwd: root, encoding: "utf8" });
if (compile.status !== 0) {
  console.error(`tsc failed:\n${compile.stdout}${compile.stderr}`);
  process.exit(1);
}
const appRuns = [];
const floorRuns = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so both see the same machine load; both through a shell, as cdktf runs the app.
  appRuns.push(measure(app, [], { shell: true, rss: true }));
  floorRuns.push(measure(`node ${path.join(floorDir, "main.js")}`, [], { shell: true, rss: true }));
}
const appStep = medians(appRuns);
const floor = medians(floorRuns);
const template = sample(baselineRuns, "npx", ["ts-node", path.join("scripts", "bench", "template-idiom.ts")], { rss: true });
const sameOutput = (a, b) => spawnSync("diff", ["-r", a, b]).status === 0;
const row = (label, r, note = "") => console.log(`   ${label.padEnd(24)} ${s(r.seconds).padStart(8)}  ${mib(r.kib).padStart(9)}  ${s(r.cpu).padStart(8)} CPU   ${note}`);
console.log(`   ${"".padEnd(24)} ${"wall".padStart(8)}  ${"peak RSS".padStart(9)}  ${"CPU time".padStart(12)}`);
row("this app (tsx)", appStep);
row("template idiom", template, `barrel @cdktf/provider-aws + type-checked npx ts-node; median of ${baselineRuns}`);
row("compiled floor", floor, "tsc to a temp dir, node main.js");
console.log(`   same cdktf.out from all three: ${sameOutput(appRuns[0].outdir, floorRuns[0].outdir) && sameOutput(appRuns[0].outdir, template.all[0].outdir) ? "yes" : "NO"}`);
console.log(`   CPU-time ratios (less disturbed by load): ${(template.cpu / appStep.cpu).toFixed(1)}× less than the template idiom, ${(appStep.cpu / floor.cpu).toFixed(2)}× the compiled floor`);
goal("faster than the template idiom", template.seconds / appStep.seconds >= 20, `${(template.seconds / appStep.seconds).toFixed(1)}×`, "≥ 20×");
goal("less peak memory than the template idiom", template.kib / appStep.kib >= 12, `${(template.kib / appStep.kib).toFixed(1)}×`, "≥ 12×");
goal("time within the compiled floor", appStep.seconds / floor.seconds <= 1.5, `${(appStep.seconds / floor.seconds).toFixed(2)}×`, "≤ 1.5×");

// 2. npm run synth end to end.
console.log(`\n2. \`npm run synth\` end to end, ${environmentCount} environments; ${load()}`);
const npmSynth = sample(runs, "npm", ["run", "--silent", "synth"]);
// --output: the CLI passes its own output directory to the app as CDKTF_OUTDIR.
const cliRuns = Array.from({ length: Math.min(runs, 3) }, () => {
  const outdir = path.join(fs.mkdtempSync(path.join(scratch, "cli-")), "cdktf.out");
  return { ...measure(bin("cdktf"), ["synth", "--output", outdir]), outdir };
});
const cliSynth = medians(cliRuns);
console.log(`   npm run synth             ${s(npmSynth.seconds).padStart(8)}`);
console.log(`   npx cdktf synth           ${s(cliSynth.seconds).padStart(8)}   for comparison (the CLI's own start-up); median of ${Math.min(runs, 3)}`);
console.log(`   same cdktf.out from both: ${sameOutput(npmSynth.all[0].outdir, cliSynth.all[0].outdir) ? "yes" : "NO"}`);
goal("npm run synth", npmSynth.seconds <= 1.5, s(npmSynth.seconds), "≤ 1.5 s");

// 3. 100 environments.
console.log(`\n3. 100 environments (copies of prod), main.ts's path (scripts/bench/many-environments.ts); ${load()}`);
const manyArgs = ["--require", "tsx/cjs", path.join("scripts", "bench", "many-environments.ts")];
const one = sample(runs, process.execPath, manyArgs, { env: { BENCH_ENVIRONMENTS: "1" }, rss: true });
const hundred = sample(runs, process.execPath, manyArgs, { env: { BENCH_ENVIRONMENTS: "100" }, rss: true });
const perEnvironment = (hundred.seconds - one.seconds) / 99;
const perEnvironmentKib = (hundred.kib - one.kib) / 99;
console.log(`   ${"".padEnd(24)} ${"wall".padStart(8)}  ${"peak RSS".padStart(9)}  ${"CPU time".padStart(12)}`);
row("1 environment", one);
row("100 environments", hundred);
console.log(`   cost per environment     ${(perEnvironment * 1000).toFixed(1).padStart(6)} ms  ${(perEnvironmentKib / MiB).toFixed(2).padStart(5)} MiB  ${((hundred.cpu - one.cpu) / 99 * 1000).toFixed(1).padStart(6)} ms CPU   ((100 − 1) / 99)`);
goal("100 environments, time", hundred.seconds <= 1.5, s(hundred.seconds), "≤ 1.5 s");
goal("100 environments, peak memory", hundred.kib <= 160 * MiB, mib(hundred.kib), "≤ 160 MiB");

// 4. The test loops.
if (process.env.BENCH_SKIP_LOOP) {
  console.log("\n4. Test loops: skipped (BENCH_SKIP_LOOP)");
} else {
  console.log(`\n4. Test loops (medians of ${loopRuns} runs, the plan gate one run; jest's cache warm from earlier runs); ${load()}`);
  const tsc = sample(loopRuns, bin("tsc"), ["--noEmit"], { rss: true });
  const jestFast = sample(loopRuns, bin("jest"), ["--selectProjects", "fast", "--silent"], { rss: true });
  const fastLoop = sample(loopRuns, "npm", ["run", "--silent", "test:fast", "--", "--silent"], { rss: true });
  const planGate = measure(bin("jest"), ["--selectProjects", "slow", "--silent", path.join("test", "stack", "environments.plan.test.ts")], { env: { CI: "true" } });
  // CPU time here is the sum over every node process (jest's workers run in parallel); terraform's is not counted.
  console.log(`   tsc --noEmit              ${s(tsc.seconds).padStart(8)}  ${s(tsc.cpu).padStart(8)} CPU`);
  console.log(`   jest, fast project        ${s(jestFast.seconds).padStart(8)}  ${s(jestFast.cpu).padStart(8)} CPU (all workers)`);
  console.log(`   npm run test:fast         ${s(fastLoop.seconds).padStart(8)}  ${s(fastLoop.cpu).padStart(8)} CPU   (incremental tsc --noEmit, then jest --selectProjects fast)`);
  console.log(`   plan gate                 ${s(planGate.seconds).padStart(8)}               (test/stack/environments.plan.test.ts: real terraform plan of all ${environmentCount} environments + the two-zone, everything-on and adopting fixtures)`);
  goal("jest's fast suites", jestFast.seconds <= 4, s(jestFast.seconds), "≤ 4 s");
  goal("the whole fast loop", fastLoop.seconds <= 8, s(fastLoop.seconds), "≤ 8 s");
  goal("the real plan gate", planGate.seconds <= 30, s(planGate.seconds), "≤ 30 s");
}

// 5. The full suite, as a new user runs it after `npm ci`: `CI=true npm test` (the Python tools' venvs already provisioned
// by an earlier run; their first install is not counted).
if (process.env.BENCH_SKIP_SUITE) {
  console.log("\n5. The full suite: skipped (BENCH_SKIP_SUITE)");
} else {
  console.log(`\n5. The full suite, \`CI=true npm test\` (type-check, fast and slow projects), one run; ${load()}`);
  const before = childrenCpuSeconds();
  const suite = measure("npm", ["test", "--", "--silent"], { env: { CI: "true", CDKTF_OUTDIR: undefined } });
  const cpu = childrenCpuSeconds() - before;
  console.log(`   npm test                 ${s(suite.seconds).padStart(8)}  ${s(cpu).padStart(8)} CPU (every process it started: node, terraform, the provider, moto, checkov)`);
  console.log(`   CPU time / wall: ${(cpu / suite.seconds).toFixed(2)} of ${os.cpus().length} CPUs busy; at full use of them the floor is ${s(cpu / os.cpus().length)}`);
  goal("the full suite", suite.seconds <= 300, s(suite.seconds), "≤ 300 s");
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} of ${results.length} goals met${failed.length ? `; missed: ${failed.map((r) => r.name).join(", ")}` : ""}. Load average ${os.loadavg()[0].toFixed(1)} at the end.`);
