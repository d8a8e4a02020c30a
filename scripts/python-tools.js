#!/usr/bin/env node
// Provisions the pinned Python tools the project runs into virtualenvs in the repository root, once per
// requirements hash:
//   .venv-scan  <- requirements-scan.txt   (checkov, for npm run scan and the checkov tests)
//   .venv-tools <- requirements-tools.txt  (moto, the AWS API emulator, with boto3; zizmor, the workflow linter)
//   .venv-verify <- requirements-verify.txt (sslyze, the TLS scanner npm run verify drives)
// A venv whose stamp (.venv-*/requirements.sha256: the requirements file + the Python version) matches is left alone,
// so only the first run (or a changed requirements file) pays for pip.
//
//   node scripts/python-tools.js [scan|tools|verify]...   (default: all)
//   node scripts/python-tools.js --check           also require terraform on PATH (npm test)
//
// Exit 1 with one line on stderr when python3 (or, with --check, terraform) is missing or pip fails.
"use strict";
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const VENVS = {
  scan: { dir: ".venv-scan", requirements: "requirements-scan.txt" },
  tools: { dir: ".venv-tools", requirements: "requirements-tools.txt" },
  verify: { dir: ".venv-verify", requirements: "requirements-verify.txt" },
};

function fail(message) {
  process.stderr.write(`python-tools: ${message}\n`);
  process.exit(1);
}

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.error) {
    if (result.error.code === "ENOENT") fail(`${command} was not found on PATH (needed to ${what})`);
    fail(`${what} failed: ${result.error.message}`);
  }
  if (result.status !== 0) fail(`${what} failed (exit ${result.status}):\n${(result.stdout + result.stderr).trim().split("\n").slice(-15).join("\n")}`);
  return result.stdout.trim();
}

function provision(name) {
  const { dir, requirements } = VENVS[name];
  const venv = path.join(root, dir);
  const python = process.env.PYTHON || "python3";
  const pythonVersion = run(python, ["-c", "import sys; print(sys.version)"], `provision ${dir}`);
  const stamp = crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(root, requirements)))
    .update(pythonVersion)
    .digest("hex");
  const stampFile = path.join(venv, "requirements.sha256");
  const current = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, "utf8").trim() : undefined;
  if (current === stamp && fs.existsSync(path.join(venv, "bin", "python"))) return;
  process.stderr.write(`python-tools: provisioning ${dir} from ${requirements} (once per requirements hash)...\n`);
  const started = Date.now();
  fs.rmSync(venv, { recursive: true, force: true });
  run(python, ["-m", "venv", venv], `create ${dir}`);
  run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", path.join(root, requirements)], `pip install -r ${requirements}`);
  fs.writeFileSync(stampFile, `${stamp}\n`);
  process.stderr.write(`python-tools: ${dir} ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

const args = process.argv.slice(2);
if (args.includes("--help")) {
  process.stdout.write(fs.readFileSync(__filename, "utf8").split("\n").slice(1, 13).map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n");
  process.exit(0);
}
const names = args.filter((a) => !a.startsWith("--"));
for (const name of names) if (!(name in VENVS)) fail(`unknown tool set "${name}" (known: ${Object.keys(VENVS).join(", ")})`);
if (args.includes("--check")) run("terraform", ["version"], "run the real-Terraform tests (install Terraform >= 1.10)");
for (const name of names.length > 0 ? names : Object.keys(VENVS)) provision(name);
