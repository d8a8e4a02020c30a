// setupFiles of the fast project, run once per worker thread of jest-light-runner before any test file: lets the
// worker load TypeScript. Test files then share the worker's module cache (cdktf, the provider, our lib are loaded once
// per worker, not once per file), which is what makes the fast project fast; see jest.config.js.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { pathToFileURL } = require("url");
const transformer = require("./esbuild-transform");

// The same esbuild transform as the slow project (jest's transform), cached on disk by the same key: a warm run
// compiles nothing. Written synchronously: jest exits without waiting for a worker thread's pending writes.
const CACHE = path.join(__dirname, "..", "..", "node_modules", ".cache", "esbuild-transform");
Module._extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const cached = path.join(CACHE, `${transformer.getCacheKey(source, filename)}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    code = transformer.process(source, filename).code;
    fs.mkdirSync(CACHE, { recursive: true });
    const temp = `${cached}.${process.pid}.${crypto.randomUUID()}`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, cached);
  }
  module._compile(code, filename);
};
// jest-light-runner hands the workers `FORCE_COLOR: <stdout's colour level>`, which is the string "undefined" when
// stdout is not a terminal; the processes that tests start inherit the environment as jest's runner leaves it.
if (process.env.FORCE_COLOR === "undefined") delete process.env.FORCE_COLOR;

Module.register(pathToFileURL(path.join(__dirname, "typescript-as-commonjs.mjs")));

// Failures point at .ts lines (the transform's inline source maps), as under jest's own runner; the installed packages
// load as the app loads them (lib/app/plain-dependencies.ts), without reading the source map of every cdktf and provider file.
process.setSourceMapsEnabled(true);
require("../../lib/app/plain-dependencies").loadDependenciesAsPlainCommonJs();
