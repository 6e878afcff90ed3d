import { applyDecorators } from '@nestjs/common';
import { ApiTwoFactorErrors, apiErrorResponses, type ErrorTable } from '../errors/api-errors.decorator.js';

/** What 401, 403 and 404 mean on the sign-in routes (the module's other routes mean other things by them). */
const SIGN_IN_ERRORS: ErrorTable = {
  400: {
    error: 'Bad Request',
    description:
      "validation_failed (details.fields), confirmation_failed (details.attempts_left), wrong_config, or access_code_invalid: the access code is unknown, expired, used or another user's",
    examples: [
      {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: { fields: [{ field: 'sign_in_token', message: 'sign_in_token must be a string' }] },
      },
      { code: 'confirmation_failed', message: 'Confirmation failed.', details: { attempts_left: 4 } },
      { code: 'access_code_invalid', message: 'This access code is unknown, expired or already used.' },
    ],
  },
  401: {
    error: 'Unauthorized',
    description: 'unauthenticated: wrong username or password; sign_in_invalid: the sign_in_token is unknown, expired or already used',
    examples: [
      { code: 'unauthenticated', message: 'Authentication required.' },
      { code: 'sign_in_invalid', message: 'This sign-in is unknown, expired or already completed: sign in again.' },
    ],
  },
  403: {
    error: 'Forbidden',
    description:
      "factor_locked: the user's only factors are locked after too many wrong codes; the password alone does not sign in. " +
      'enrollment_not_open: no recovery whose wait is over and no access code opened enrolment in this sign-in (details.not_before when a recovery waits)',
    examples: [
      { code: 'factor_locked', message: 'This factor is locked after too many wrong codes: an admin can unlock it, or recover your account.' },
      {
        code: 'enrollment_not_open',
        message: 'This sign-in cannot enrol a factor: a recovery must have waited its time, or an access code must have opened it.',
        details: { not_before: '2026-12-01T12:00:00.000Z' },
      },
    ],
  },
  409: {
    error: 'Conflict',
    description: 'already_confirmed; recovery_in_progress: a recovery of this user is running (details.not_before)',
    examples: [
      { code: 'already_confirmed', message: 'Confirmation already confirmed.' },
      {
        code: 'recovery_in_progress',
        message: 'A recovery of this account is already running: wait for it, or cancel it with the code that was sent.',
        details: { not_before: '2026-12-01T12:00:00.000Z' },
      },
    ],
  },
  404: {
    error: 'Not Found',
    description: 'not_found: not one of the factors the first step listed, or no confirmation requested yet; an unknown cancel code; recovery is off',
    examples: [{ code: 'not_found', message: 'User config not found.' }],
  },
};

/** The sign-in routes' error responses: their own 401/403/404, the module's table for the rest. */
export function ApiSignInErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  const own = statuses.filter((status) => status in SIGN_IN_ERRORS);
  const shared = statuses.filter((status) => !(status in SIGN_IN_ERRORS));
  return applyDecorators(apiErrorResponses(SIGN_IN_ERRORS, own), ApiTwoFactorErrors(...shared));
}
