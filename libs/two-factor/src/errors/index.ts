export { TWO_FACTOR_ERROR_CODES, type TwoFactorDomainErrorCode, type TwoFactorEdgeErrorCode, type TwoFactorErrorCode } from './error-code.js';
export * from './two-factor.error.js';
export * from './request.errors.js';
export * from './confirmation.errors.js';
export * from './setup.errors.js';
export * from './step-up.errors.js';
export * from './delivery.errors.js';
export * from './admin.errors.js';
export * from './sign-in.errors.js';
