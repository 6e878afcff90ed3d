/** Browser suites (`*.browser.spec.ts`): headless Chromium through playwright-core; `npm run test:browser`, not part of `npm test`. */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.browser\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
  maxWorkers: 1,
};
