import { TwoFactorError } from './two-factor.error.js';

/** A write route got a body that is not JSON (text, XML, a form …): nothing was read, nothing changed. */
export class UnsupportedMediaTypeError extends TwoFactorError {
  constructor(received: string) {
    super('unsupported_media_type', { key: 'error.unsupported_media_type.message', params: { received: received || 'no content type' } });
  }
}

/** The database did not answer (down, restarting, unreachable): nothing was decided; retry after `retryAfterSeconds`. */
export class DatabaseUnavailableError extends TwoFactorError {
  constructor(readonly retryAfterSeconds = 5) {
    super('database_unavailable', { key: 'error.database_unavailable.message' }, { retry_after: retryAfterSeconds });
  }
}
