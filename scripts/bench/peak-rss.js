// Preloaded by scripts/bench.js (NODE_OPTIONS=--require): each node process writes its own peak RSS (KiB) and CPU
// time (user + system, microseconds) to $BENCH_RSS_DIR/<pid> at exit, so the bench can report the largest process
// of a command (npx starts several) and the CPU time of all of them, which the machine's load disturbs less than
// wall time.
"use strict";
const fs = require("fs");
const path = require("path");
process.on("exit", () => {
  try {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    fs.writeFileSync(path.join(process.env.BENCH_RSS_DIR, String(process.pid)), JSON.stringify({ kib: maxRSS, cpu: userCPUTime + systemCPUTime }));
  } catch {
    // The measurement must never change the measured command's outcome.
  }
});
