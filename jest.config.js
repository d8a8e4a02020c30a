/**
 * Two projects:
 * - fast: unit, snapshot, bad-input and guard tests (no external tool); `npm run test:fast` runs only these.
 * - slow: suites that drive a real tool, named by it: `*.plan.test.ts` (real Terraform), `*.emulator.test.ts` (the moto
 *   AWS API emulator + real cdktf/Terraform), `*.scan.test.ts` (checkov), `*.lint.test.ts` (workflow linters), `*.tls.test.ts` (real TLS servers),
 *   `*.property.test.ts` (fast-check property runs: thousands of generated configurations, some synthesized).
 * Type-checking is `tsc --noEmit` (run first by `npm test`), so jest only strips types, with esbuild
 * (test/support/esbuild-transform.js).
 *
 * The fast project runs with jest-light-runner: each worker (one per CPU) is a thread whose test files share Node's own
 * module cache, where jest's runner evaluates cdktf, constructs, the provider and zod again in every file's own module
 * registry (that was most of the project's time). Measured on 2 CPUs, median of 3 of `jest --selectProjects fast
 * --silent`: 6.86 s wall / 12.6 CPU-s with jest's runner, 3.94 s / 6.8 CPU-s with this one. What that asks of a test:
 * - module state outlives its file (process.env, Error.prepareStackTrace, prototypes, spies): restore what you change
 *   (spies: mockRestore or jest.restoreAllMocks); there are no module mocks (jest.mock) and no fake module registry;
 * - a worker thread cannot process.chdir (the runner only fakes process.cwd()); no fast test changes directory;
 * - no per-test timeout, and console output is not captured: a test that starts a process bounds it itself.
 * test/support/light-runner-setup.cjs lets the workers load TypeScript, with the same esbuild transform.
 * The slow project keeps jest's own runner: its suites start real tools, and module loading is not their cost.
 * @type {import('jest').Config}
 */
const SLOW = "\\.(plan|emulator|scan|lint|tls|property)\\.test\\.ts$";
const common = {
  roots: ["<rootDir>/test"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: "fast",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", SLOW],
      runner: "jest-light-runner",
      setupFiles: ["<rootDir>/test/support/light-runner-setup.cjs"],
    },
    {
      ...common,
      displayName: "slow",
      testRegex: SLOW,
      transform: { "^.+\\.ts$": "<rootDir>/test/support/esbuild-transform.js" },
      testEnvironment: "node",
      // jest's runner with more workers than CPUs: the suites mostly wait (test/support/slow-runner.cjs).
      runner: "<rootDir>/test/support/slow-runner.cjs",
    },
  ],
  // One temp directory per run for cdktf's test output directories (test/setup.ts), removed at the end.
  globalSetup: "<rootDir>/test/support/global-setup.cjs",
  globalTeardown: "<rootDir>/test/support/global-teardown.cjs",
  // Real-tool suites wait on Terraform, the emulator and Route53 polling more than they compute.
  testTimeout: 600000,
  // One worker per CPU (jest's default keeps one CPU for itself, which on 2 CPUs means running in band): the suites
  // spend much of their time waiting on child processes. Measured on 2 CPUs, fast project with jest-light-runner: in
  // band (its main thread) 4.70-5.08 s -> 3.62-3.71 s.
  maxWorkers: "100%",
};
