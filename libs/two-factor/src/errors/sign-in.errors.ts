import { TwoFactorError } from './two-factor.error.js';

/**
 * The sign-in token is unknown, expired or already used. One answer for all
 * three, so a token tells an attacker nothing about the user behind it.
 */
export class SignInInvalidError extends TwoFactorError {
  constructor() {
    super('sign_in_invalid', { key: 'error.sign_in_invalid.message' });
  }
}

/** A method the user can enrol in to meet the app's requirement. */
export interface EnrollableMethod {
  method_config_id: number;
  method: string;
  title: string;
}

/** The app requires a second factor of this user, the grace period is over, and the user has none. */
export class TwoFactorEnrollmentRequiredError extends TwoFactorError {
  constructor(readonly methods: EnrollableMethod[]) {
    super('two_factor_enrollment_required', { key: 'error.two_factor_enrollment_required.message' }, { methods });
  }
}
