// Mutation testing: does each test fail when the code it guards is broken? (CONTRIBUTING.md, "Checking that a test can fail (mutation)").
// Runs Jest as `npm test` does (ESM through ts-jest, --experimental-vm-modules). Mutate a few
// files at a time and name the suites that should catch them, e.g.
//   STRYKER_TESTS='(test/library/security|libs/two-factor/test/mutants)\.e2e\.spec\.ts$' npx stryker run --mutate libs/two-factor/src/rules/failure-policy.ts
import jestConfig from './jest.config.js';

/** The suites that guard the default files; the whole suite per mutant would take an hour on two cores. */
const DEFAULT_TESTS = '(test/library/(security|rest-api)\\.e2e|libs/two-factor/test/(mutants\\.e2e|decided-in-sql))\\.spec\\.ts$';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    config: { ...jestConfig, testRegex: process.env.STRYKER_TESTS ?? DEFAULT_TESTS },
    enableFindRelatedTests: false,
  },
  // Per-test coverage needs Jest's CommonJS hooks; with ESM every mutant runs the chosen suites.
  coverageAnalysis: 'off',
  mutate: ['libs/two-factor/src/rules/confirmation.rules.ts', 'libs/two-factor/src/rules/failure-policy.ts'],
  concurrency: 1,
  timeoutMS: 120000,
  reporters: ['clear-text', 'progress'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
