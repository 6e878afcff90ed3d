export * from './two-factor.error.js';
export * from './request.errors.js';
export * from './confirmation.errors.js';
export * from './setup.errors.js';
export * from './step-up.errors.js';
export * from './delivery.errors.js';
export * from './input.errors.js';
