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

/** GOGC for the Go tools the tests start (terraform, the provider): see below. */
const GO_GC_PERCENT = "1000";

module.exports = async () => {
  process.env.TLS_EDGE_TEST_OUTDIRS = fs.mkdtempSync(path.join(os.tmpdir(), "tls-edge-jest-outdirs-"));
  process.env.TLS_EDGE_AS_OF = TEST_SCHEDULE_DATE;
  // The Go garbage collector of every terraform and provider process the tests start. Each Terraform command loads the
  // AWS provider's schema (~400 MB of heap in the provider, decoded again in Terraform) and Go's default (GOGC=100)
  // collects several times while it does. Measured with Terraform 1.11.4 and hashicorp/aws 5.100.0 on 2 CPUs, validate +
  // plan + show of tls-dev, 3 runs each: 8.7-9.0 CPU-s with 100, 6.4-7.6 with 1000, and the same ~450 MB peak RSS. A
  // GOGC set by the caller wins.
  process.env.GOGC ??= GO_GC_PERCENT;
};
