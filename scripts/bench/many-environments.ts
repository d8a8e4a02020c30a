/**
 * Benchmark app: main.ts's path for N copies of the prod environment (N from BENCH_ENVIRONMENTS, default 100),
 * into $CDKTF_OUTDIR. Run by scripts/bench.js with `node --require tsx/cjs`, like cdktf.json runs main.ts.
 */
import { loadDependenciesAsPlainCommonJs } from "../../lib/app/plain-dependencies";

loadDependenciesAsPlainCommonJs();
const { reportSynthFailure, synthesizeEnvironments } = require("../../lib") as typeof import("../../lib");
const { prod } = require("../../environments/prod") as typeof import("../../environments/prod");
const { extend } = require("../../extend") as typeof import("../../extend");

const count = Number(process.env.BENCH_ENVIRONMENTS ?? 100);
const environments = Array.from({ length: count }, (_, i) => ({
  ...prod,
  name: `prod${i}`,
  stateBackend: { s3: { ...prod.stateBackend!.s3, key: `tls-edge/prod${i}/terraform.tfstate` } },
}));
try {
  synthesizeEnvironments(environments, { extend });
} catch (error) {
  process.exitCode = reportSynthFailure(error);
}
