import { TwoFactorError } from './two-factor.error.js';

/** A recovery is already running for this user: at most one at a time (409 `recovery_in_progress`). */
export class RecoveryInProgressError extends TwoFactorError {
  constructor(readonly notBefore: Date) {
    super('recovery_in_progress', { key: 'error.recovery_in_progress.message' }, { not_before: notBefore.toISOString() });
  }
}

/**
 * This pending sign-in may not enrol a factor (403 `enrollment_not_open`): no recovery whose wait
 * is over and no access code opened it. `details.not_before` says when a waiting recovery opens it.
 */
export class EnrollmentNotOpenError extends TwoFactorError {
  constructor(notBefore: Date | null = null) {
    super('enrollment_not_open', { key: 'error.enrollment_not_open.message' }, notBefore ? { not_before: notBefore.toISOString() } : undefined);
  }
}

/**
 * The access code is unknown, expired, already used or another user's (400 `access_code_invalid`):
 * one answer for all four, so a guess tells nothing.
 */
export class AccessCodeInvalidError extends TwoFactorError {
  constructor() {
    super('access_code_invalid', { key: 'error.access_code_invalid.message' });
  }
}
