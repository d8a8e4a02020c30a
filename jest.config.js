/**
 * Two projects:
 * - fast: unit, snapshot, bad-input and guard tests (no external tool); `npm run test:fast` runs only these.
 * - slow: suites that drive a real tool, named by it: `*.plan.test.ts` (real Terraform), `*.emulator.test.ts` (the moto
 *   AWS API emulator + real cdktf/Terraform), `*.scan.test.ts` (checkov), `*.lint.test.ts` (workflow linters), `*.tls.test.ts` (real TLS servers).
 * Type-checking is `tsc --noEmit` (run first by `npm test`), so jest only strips types, with esbuild
 * (test/support/esbuild-transform.js).
 * @type {import('jest').Config}
 */
const SLOW = "\\.(plan|emulator|scan|lint|tls)\\.test\\.ts$";
const common = {
  transform: {
    "^.+\\.ts$": "<rootDir>/test/support/esbuild-transform.js",
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testEnvironment: "node",
};
module.exports = {
  projects: [
    { ...common, displayName: "fast", roots: ["<rootDir>/test"], testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", SLOW] },
    { ...common, displayName: "slow", roots: ["<rootDir>/test"], testRegex: SLOW },
  ],
  // Real-tool suites wait on Terraform, the emulator and Route53 polling more than they compute.
  testTimeout: 600000,
  // One worker per CPU (jest's default keeps one CPU for itself, which on 2 CPUs means running in band): the suites
  // spend much of their time waiting on child processes. Measured on 2 CPUs: fast project 3.74-3.97 s -> 3.31-3.45 s.
  maxWorkers: "100%",
};
