import type { NotFoundObject, TwoFactorMessage, TwoFactorMessageKey, TwoFactorMessageParams } from '../i18n/messages.js';
import { englishMessage } from '../i18n/render-message.js';
import { TwoFactorError } from './two-factor.error.js';

/** One invalid field of a request body, with its own message. */
export interface InvalidField {
  field: string;
  message: string;
  /** The message's catalogue key and params, for translation at the edge; never part of a response. */
  key?: TwoFactorMessageKey;
  params?: TwoFactorMessageParams;
}

/** The request (or a config) did not pass validation. */
export class ValidationFailedError extends TwoFactorError {
  /** Each field as `{field, message}` (English), as the body shows it. */
  readonly fields: InvalidField[];
  /** The catalogue key of each field's message (same order as `fields`; undefined for a plain text), for the edge to translate. */
  readonly fieldMessages: ReadonlyArray<TwoFactorMessage | undefined>;

  constructor(fields: InvalidField[], message: string | TwoFactorMessage = { key: 'error.validation_failed.message' }) {
    const plain = fields.map(({ field, message: text }) => ({ field, message: text }));
    super('validation_failed', message, { fields: plain });
    this.fields = plain;
    this.fieldMessages = fields.map(({ key, params }) => (key ? { key, params } : undefined));
  }
}

/** The objects a not-found error names, as they are spelled in its English message. */
const NOT_FOUND_OBJECTS: Record<string, NotFoundObject> = {
  Object: 'object',
  Confirmation: 'confirmation',
  'User config': 'user_config',
  'Method config': 'method_config',
  Device: 'device',
  Recovery: 'recovery',
};

/** The object does not exist, or belongs to someone else (answered identically on purpose). */
export class NotFoundError extends TwoFactorError {
  constructor(what = 'Object') {
    const known = NOT_FOUND_OBJECTS[what];
    super('not_found', known ? { key: `error.not_found.${known}` } : { key: 'error.not_found.message', params: { what } });
  }
}

/** The route needs a signed-in user and there is none. */
export class UnauthenticatedError extends TwoFactorError {
  constructor() {
    super('unauthenticated', { key: 'error.unauthenticated.message' });
  }
}

/** Neither a method config nor a user config was named. */
export class EmptyConfigError extends TwoFactorError {
  constructor() {
    super('empty_config', { key: 'error.empty_config.message' });
  }
}

/** Too many requests or sends; retry after `retryAfterSeconds`. */
export class RateLimitedError extends TwoFactorError {
  constructor(
    readonly retryAfterSeconds: number,
    reason: string | TwoFactorMessage = { key: 'error.rate_limited.message' },
  ) {
    super('rate_limited', reason, { retry_after: retryAfterSeconds });
  }
}

/** An invalid field whose message comes from the catalogue (`{field}` filled in), so the edge can translate it. */
export function invalidField(field: string, key: TwoFactorMessageKey, params: TwoFactorMessageParams = {}): InvalidField {
  const all = { ...params, field };
  return { field, message: englishMessage(key, all), key, params: all };
}
