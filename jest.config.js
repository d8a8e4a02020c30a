/** @type {import('jest').Config} */
module.exports = {
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type-checking is `npm run typecheck` (run first by `npm test`); ts-jest only transpiles.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testEnvironment: "node",
  // The real-Terraform plan tests run terraform init/plan per environment.
  testTimeout: 300000,
};
