// The slow project's runner: jest's own (jest-runner), with its own number of workers. The slow suites spend most of
// their time waiting, not computing: on the AWS provider's Route53 change polling (a random 10-29 s before its first
// GetChange, per record, per apply), on ACM's validation wait, on Terraform and the emulator. So they run with more
// workers than there are CPUs; jest's one maxWorkers (the fast project's threads, one per CPU) would leave the CPUs idle
// through those waits. TLS_EDGE_SLOW_WORKERS sets the number (a positive integer); the default and its measurement are
// in jest.config.js.
"use strict";
const os = require("os");
const TestRunner = require("jest-runner").default;

/** The slow project's workers: TLS_EDGE_SLOW_WORKERS, else SLOW_WORKERS_PER_CPU per CPU. */
function slowWorkers() {
  const configured = process.env.TLS_EDGE_SLOW_WORKERS;
  if (configured !== undefined && configured !== "") {
    const workers = Number(configured);
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`TLS_EDGE_SLOW_WORKERS must be a positive integer, got ${JSON.stringify(configured)}`);
    return workers;
  }
  return Math.max(1, os.availableParallelism() * SLOW_WORKERS_PER_CPU);
}

/** Workers per CPU for the slow project (jest.config.js has the measurement behind it). */
const SLOW_WORKERS_PER_CPU = 3;

class SlowRunner extends TestRunner {
  constructor(globalConfig, context) {
    super({ ...globalConfig, maxWorkers: slowWorkers() }, context);
  }
}

module.exports = SlowRunner;
module.exports.slowWorkers = slowWorkers;
