/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.cjs' },
  setupFiles: ['<rootDir>/test/support/without-builtin-template-validation.ts'],
  // Generous for integration files that share 2 cores with lint, type-check
  // and synth and with a second jest worker; a hang
  // still fails within 3 minutes.
  testTimeout: 180000,
};
