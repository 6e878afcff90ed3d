import base from './jest.config.js';

/** The browser suites (`*.browser.spec.ts`): headless Chromium with virtual authenticators. `npm run test:browser`. */
export default {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.browser\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
  // One browser at a time: the machine is small and each suite boots its own demo.
  maxWorkers: 1,
};
