import { HttpException, type Logger } from '@nestjs/common';
import type { TwoFactorErrorCode } from '../errors/error-code.js';
import { DatabaseUnavailableError } from '../errors/input.errors.js';
import { ValidationFailedError } from '../errors/request.errors.js';
import { TwoFactorError } from '../errors/two-factor.error.js';
import type { Localize } from '../i18n/message-translator.js';
import { isDatabaseUnavailable } from './database-outage.js';
import { ERROR_STATUS, reasonPhrase, STATUS_CODE } from './error-status.js';
import { errorLogOf, type ThrottledLog } from './throttled-log.js';

/** The wire format of every error (docs/reference/error-codes.md): Nest's envelope plus a stable `code`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: TwoFactorErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** English as thrown: what an answer says when nobody translates. */
const AS_THROWN: Localize = (_key, _params, fallback) => fallback ?? '';

/** The domain error's message and (for validation) field messages in the request's language. */
function localized(exception: TwoFactorError, localize: Localize): Pick<ErrorBody, 'message' | 'details'> {
  const { translatable } = exception;
  const message = translatable ? localize(translatable.key, translatable.params, exception.message) : exception.message;
  if (!(exception instanceof ValidationFailedError)) return { message, ...(exception.details ? { details: exception.details } : {}) };
  const fields = exception.fields.map(({ field, message: text }, index) => {
    const key = exception.fieldMessages[index];
    return { field, message: key ? localize(key.key, key.params, text) : text };
  });
  return { message, details: { ...exception.details, fields } };
}

/**
 * The body and status for any thrown value. `localize` translates the message
 * (the `code` never changes); without it the English as thrown is answered. A database that does not answer is a
 * 503 `database_unavailable`; other unexpected errors become a plain 500 whose body
 * says nothing of the cause. The log line names only the error's class and
 * message, never a request body, at most once per interval for each kind.
 */
export function errorBody(exception: unknown, logger: Logger, log: ThrottledLog = errorLogOf(undefined), localize: Localize = AS_THROWN): ErrorBody {
  if (exception instanceof TwoFactorError) {
    const status = ERROR_STATUS[exception.code];
    return {
      statusCode: status,
      error: reasonPhrase(status),
      code: exception.code,
      ...localized(exception, localize),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    // Made by toHttpException from a domain error: answer that error, in this request's language.
    if (exception.cause instanceof TwoFactorError) return errorBody(exception.cause, logger, log, localize);
    // Already in our format otherwise: keep it as it is.
    if (typeof raw === 'object' && raw !== null && typeof (raw as ErrorBody).code === 'string') return raw as ErrorBody;
    const message = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
    const code = STATUS_CODE[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
    // Nest's own text stays English unless the host translates the code's message.
    return { statusCode: status, error: reasonPhrase(status), code, message: localize(`error.${code}.message`, {}, message) };
  }
  // Body-parser errors (malformed JSON, wrong charset) carry their own 4xx status.
  const status = (exception as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      error: reasonPhrase(status),
      code: status === 400 ? 'malformed_body' : (STATUS_CODE[status] ?? 'bad_request'),
      message: localize(
        status === 400 ? 'error.malformed_body.message' : `error.${STATUS_CODE[status] ?? 'bad_request'}.message`,
        {},
        'The request body could not be read.',
      ),
    };
  }
  const cause = `${(exception as Error)?.name ?? 'error'}: ${(exception as Error)?.message ?? String(exception)}`;
  // An outage decided nothing: 503 with Retry-After, and one log line per interval however many requests fail.
  if (isDatabaseUnavailable(exception)) {
    log.error(logger, 'database_unavailable', `Database unavailable (${cause})`);
    return errorBody(new DatabaseUnavailableError(), logger, undefined, localize);
  }
  log.error(logger, cause, `Unexpected ${cause}`);
  return {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'internal_error',
    message: localize('error.internal_error.message', {}, 'Internal server error.'),
  };
}

/** The same error as an HttpException, for code at the edge that cannot use the filter (guards on host routes). */
export function toHttpException(exception: unknown, logger: Logger, log?: ThrottledLog): HttpException {
  const body = errorBody(exception, logger, log);
  // The cause lets TwoFactorExceptionFilter answer the error in the request's language.
  return new HttpException(body, body.statusCode, { cause: exception instanceof TwoFactorError ? exception : undefined });
}
