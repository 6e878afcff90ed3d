import { applyDecorators } from '@nestjs/common';
import { ApiTwoFactorErrors, apiErrorResponses, type ErrorTable } from '../errors/api-errors.decorator.js';

/** What 401, 403 and 404 mean on the sign-in routes (the module's other routes mean other things by them). */
const SIGN_IN_ERRORS: ErrorTable = {
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
    description: "factor_locked: the user's only factors are locked after too many wrong codes; the password alone does not sign in",
    examples: [{ code: 'factor_locked', message: 'This factor is locked after too many wrong codes: an admin can unlock it, or recover your account.' }],
  },
  404: {
    error: 'Not Found',
    description: 'not_found: not one of the factors the first step listed, or no confirmation requested yet',
    examples: [{ code: 'not_found', message: 'User config not found.' }],
  },
};

/** The sign-in routes' error responses: their own 401/403/404, the module's table for the rest. */
export function ApiSignInErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  const own = statuses.filter((status) => status in SIGN_IN_ERRORS);
  const shared = statuses.filter((status) => !(status in SIGN_IN_ERRORS));
  return applyDecorators(apiErrorResponses(SIGN_IN_ERRORS, own), ApiTwoFactorErrors(...shared));
}
