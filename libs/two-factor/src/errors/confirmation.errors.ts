import type { TwoFactorMessage } from '../i18n/messages.js';
import { TwoFactorError } from './two-factor.error.js';

/** The code was wrong. `attemptsLeft` wrong codes remain before the confirmation locks. */
export class ConfirmationFailedError extends TwoFactorError {
  constructor(readonly attemptsLeft: number) {
    super('confirmation_failed', { key: 'error.confirmation_failed.message' }, { attempts_left: attemptsLeft });
  }
}

/** No attempts left: even the right code is refused now. */
export class ConfirmationLockedError extends TwoFactorError {
  constructor() {
    super('confirmation_locked', { key: 'error.confirmation_locked.message' }, { attempts_left: 0 });
  }
}

/** The confirmation expired, or a newer one for the same factor replaced it. */
export class ConfirmationExpiredError extends TwoFactorError {
  constructor(reason: string | TwoFactorMessage = { key: 'error.confirmation_expired.message' }) {
    super('confirmation_expired', reason);
  }
}

/** The confirmation is already confirmed; it cannot be confirmed twice. */
export class AlreadyConfirmedError extends TwoFactorError {
  constructor() {
    super('already_confirmed', { key: 'error.already_confirmed.message' });
  }
}

/** The confirmation was not issued for that user config. */
export class WrongConfigError extends TwoFactorError {
  constructor() {
    super('wrong_config', { key: 'error.wrong_config.message' });
  }
}
