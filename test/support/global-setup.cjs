// jest globalSetup: one temp directory per jest run for the output directories of cdktf's Testing.app() and
// Testing.fullSynth() (test/setup.ts puts them there); test/support/global-teardown.cjs removes it. cdktf itself never
// removes them: ~160 per fast run piled up in the temp directory, and with ~43k of them a fast run took 0.15 s longer.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async () => {
  process.env.TLS_EDGE_TEST_OUTDIRS = fs.mkdtempSync(path.join(os.tmpdir(), "tls-edge-jest-outdirs-"));
};
