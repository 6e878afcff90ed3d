import { TwoFactorError } from './two-factor.error.js';

/** The code was wrong. `attemptsLeft` wrong codes remain before the confirmation locks. */
export class ConfirmationFailedError extends TwoFactorError {
  constructor(readonly attemptsLeft: number) {
    super('confirmation_failed', 'Confirmation failed.', { attempts_left: attemptsLeft });
  }
}

/** No attempts left: even the right code is refused now. */
export class ConfirmationLockedError extends TwoFactorError {
  constructor() {
    super('confirmation_locked', 'Too many wrong attempts: request a new confirmation.', { attempts_left: 0 });
  }
}

/** The confirmation expired, or a newer one for the same factor replaced it. */
export class ConfirmationExpiredError extends TwoFactorError {
  constructor(reason = 'Confirmation expired: request a new one.') {
    super('confirmation_expired', reason);
  }
}

/** The confirmation is already confirmed; it cannot be confirmed twice. */
export class AlreadyConfirmedError extends TwoFactorError {
  constructor() {
    super('already_confirmed', 'Confirmation already confirmed.');
  }
}

/** The confirmation was not issued for that user config. */
export class WrongConfigError extends TwoFactorError {
  constructor() {
    super('wrong_config', 'This confirmation was not issued for that user config.');
  }
}
