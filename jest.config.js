/** Jest runs the TypeScript sources as ES modules through ts-jest (see README, "Tests"). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/libs', '<rootDir>/test', '<rootDir>/src'],
  testRegex: '\\.spec\\.ts$',
  // Browser suites need Chromium: they run under `npm run test:browser` (jest.browser.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.spec\\.ts$'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
