// jest globalSetup: one temp directory per jest run for the output directories of cdktf's Testing.app() and
// Testing.fullSynth() (test/setup.ts puts them there); test/support/global-teardown.cjs removes it. cdktf itself never
// removes them: ~160 per fast run piled up in the temp directory, and with ~43k of them a fast run took 0.15 s longer.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

/**
 * The day the certificate-lifetime schedule is read for (lib/aws/certificate-lifetimes.ts), fixed for every test and
 * every process they start, so results do not change on 2027-03-15 or 2029-03-15. A day in the 200-day step; tests of
 * the schedule's steps pass their dates explicitly.
 */
const TEST_SCHEDULE_DATE = "2026-12-01";

module.exports = async () => {
  process.env.TLS_EDGE_TEST_OUTDIRS = fs.mkdtempSync(path.join(os.tmpdir(), "tls-edge-jest-outdirs-"));
  process.env.TLS_EDGE_AS_OF = TEST_SCHEDULE_DATE;
};
