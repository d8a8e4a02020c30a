// jest globalTeardown: removes the run's directory of cdktf test output directories (see global-setup.cjs).
"use strict";
const fs = require("fs");

module.exports = async () => {
  const dir = process.env.TLS_EDGE_TEST_OUTDIRS;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
