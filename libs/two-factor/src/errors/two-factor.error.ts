import { HttpException } from '@nestjs/common';
import type { ErrorBody } from './error-envelope.js';
import { ERROR_STATUS, reasonPhrase } from './error-status.js';
import type { TwoFactorMessage } from '../i18n/messages.js';
import { englishMessage } from '../i18n/render-message.js';
import type { TwoFactorDomainErrorCode } from './error-code.js';

/**
 * Base class of every error the module raises on purpose. Each has a stable,
 * machine-readable `code`; its HTTP status comes from the one map (`errors/error-status.ts`).
 * It is an `HttpException` on purpose: thrown from a host's own route (a host calling
 * `SignInService`, `ConfirmerService`, the admin services), Nest's default handler — or any
 * host filter that renders HttpExceptions — answers the documented status and body
 * (`{statusCode, error, code, message, details}`) without any filter of ours registered.
 * `message` is English; `TwoFactorExceptionFilter`, where registered, translates `translatable`
 * into the request's language and sets `Retry-After`: it changes only the rendering.
 */
export class TwoFactorError extends HttpException {
  /** The message as a catalogue key and its params; absent when it was given as plain text (shown as it is). */
  readonly translatable?: TwoFactorMessage;

  constructor(
    /** Stable machine-readable code, e.g. `confirmation_failed`. */
    readonly code: TwoFactorDomainErrorCode,
    message: string | TwoFactorMessage,
    /** Extra, non-secret facts for the client (e.g. `attempts_left`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(typeof message === 'string' ? message : englishMessage(message.key, message.params), ERROR_STATUS[code]);
    this.name = new.target.name;
    if (typeof message !== 'string') this.translatable = message;
  }

  /** The English error body, as Nest's own exception handling renders it: the same envelope the module's filter answers. */
  override getResponse(): ErrorBody {
    const status = this.getStatus();
    return { statusCode: status, error: reasonPhrase(status), code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}
