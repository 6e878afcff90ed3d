import { TwoFactorError } from './two-factor.error.js';

/** One invalid field of a request body, with its own message. */
export interface InvalidField {
  field: string;
  message: string;
}

/** The request (or a config) did not pass validation. */
export class ValidationFailedError extends TwoFactorError {
  constructor(
    readonly fields: InvalidField[],
    message = 'Validation failed.',
  ) {
    super('validation_failed', message, { fields });
  }
}

/** The object does not exist, or belongs to someone else (answered identically on purpose). */
export class NotFoundError extends TwoFactorError {
  constructor(what = 'Object') {
    super('not_found', `${what} not found.`);
  }
}

/** The route needs a signed-in user and there is none. */
export class UnauthenticatedError extends TwoFactorError {
  constructor() {
    super('unauthenticated', 'Authentication required.');
  }
}

/** Neither a method config nor a user config was named. */
export class EmptyConfigError extends TwoFactorError {
  constructor() {
    super('empty_config', 'Give method_config_id or user_config_id.');
  }
}

/** Too many requests or sends; retry after `retryAfterSeconds`. */
export class RateLimitedError extends TwoFactorError {
  constructor(
    readonly retryAfterSeconds: number,
    reason = 'Too many requests.',
  ) {
    super('rate_limited', reason, { retry_after: retryAfterSeconds });
  }
}
