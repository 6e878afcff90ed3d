/**
 * Jest runs the TypeScript sources as ES modules through ts-jest (see CONTRIBUTING.md, "Tests").
 * `nestjs-two-factor` resolves to the package's sources here, so suites need no build and a
 * mutation run sees the code it mutates; `test/consumer/` checks the built tarball instead.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/libs', '<rootDir>/test', '<rootDir>/src'],
  testRegex: '\\.spec\\.ts$',
  // Browser suites need Chromium: they run under `npm run test:browser` (jest.browser.config.js), not `npm test`.
  // PostgreSQL-only suites (`*.postgres.spec.ts`) run only when TEST_DATABASE_URL names a server, MySQL/MariaDB-only
  // ones (`*.mysql.spec.ts`) only when TEST_MYSQL_URL does: none are skipped.
  testPathIgnorePatterns: [
    '/node_modules/',
    '\\.browser\\.spec\\.ts$',
    '/dist/',
    ...(process.env.TEST_DATABASE_URL ? [] : ['\\.postgres\\.spec\\.ts$']),
    ...(process.env.TEST_MYSQL_URL ? [] : ['\\.mysql\\.spec\\.ts$']),
  ],
  moduleNameMapper: {
    '^nestjs-two-factor$': '<rootDir>/libs/two-factor/src/index.ts',
    '^nestjs-two-factor/(methods|testing|dev)$': '<rootDir>/libs/two-factor/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
