// jest transformer: strips TypeScript types with esbuild (type-checking is `tsc --noEmit`, run first by `npm test`).
// esbuild is what tsx runs the app with, so tests and the app transform .ts the same way; inline source maps keep
// .ts line numbers in failures.
"use strict";
const crypto = require("crypto");
const { transformSync } = require("esbuild");
const { version } = require("esbuild/package.json");

const OPTIONS = { loader: "ts", format: "cjs", target: "es2022", sourcemap: "inline", sourcesContent: false };

module.exports = {
  process(source, filename) {
    const { code } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(version).update(JSON.stringify(OPTIONS)).update(filename).update("\0").update(source).digest("hex");
  },
};
