// nestjs-two-factor/testing: helpers for unit tests of a custom method's backend.
export { createTestBackendContext, type TestBackendContextOptions } from './test-backend-context.js';
export { SoftAuthenticator, type CeremonyOverrides, type SoftAuthenticatorOptions } from './soft-authenticator.js';
