import { HttpException, HttpStatus, type Logger } from '@nestjs/common';
import type { TwoFactorErrorCode } from '../errors/error-code.js';
import { DatabaseUnavailableError } from '../errors/input.errors.js';
import { TwoFactorError } from '../errors/two-factor.error.js';
import { isDatabaseUnavailable } from './database-outage.js';
import { ERROR_STATUS, STATUS_CODE } from './error-status.js';
import { errorLogOf, type ThrottledLog } from './throttled-log.js';

/** The wire format of every error (contract §3): Nest's envelope plus a stable `code`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: TwoFactorErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] ?? 'ERROR';
  return name
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}

/**
 * The body and status for any thrown value. A database that does not answer is a
 * 503 `database_unavailable`; other unexpected errors become a plain 500 whose body
 * says nothing of the cause. The log line names only the error's class and
 * message, never a request body, at most once per interval for each kind.
 */
export function errorBody(exception: unknown, logger: Logger, log: ThrottledLog = errorLogOf(undefined)): ErrorBody {
  if (exception instanceof TwoFactorError) {
    const status = ERROR_STATUS[exception.code];
    return {
      statusCode: status,
      error: reasonPhrase(status),
      code: exception.code,
      message: exception.message,
      ...(exception.details ? { details: exception.details } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    // Already in our format (made by toHttpException): keep it as it is.
    if (typeof raw === 'object' && raw !== null && typeof (raw as ErrorBody).code === 'string') return raw as ErrorBody;
    const message = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, error: reasonPhrase(status), code: STATUS_CODE[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message };
  }
  // Body-parser errors (malformed JSON, wrong charset) carry their own 4xx status.
  const status = (exception as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      error: reasonPhrase(status),
      code: status === 400 ? 'malformed_body' : (STATUS_CODE[status] ?? 'bad_request'),
      message: 'The request body could not be read.',
    };
  }
  const cause = `${(exception as Error)?.name ?? 'error'}: ${(exception as Error)?.message ?? String(exception)}`;
  // An outage decided nothing: 503 with Retry-After, and one log line per interval however many requests fail.
  if (isDatabaseUnavailable(exception)) {
    log.error(logger, 'database_unavailable', `Database unavailable (${cause})`);
    return errorBody(new DatabaseUnavailableError(), logger);
  }
  log.error(logger, cause, `Unexpected ${cause}`);
  return { statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Internal server error.' };
}

/** The same error as an HttpException, for code at the edge that cannot use the filter (guards on host routes). */
export function toHttpException(exception: unknown, logger: Logger, log?: ThrottledLog): HttpException {
  const body = errorBody(exception, logger, log);
  return new HttpException(body, body.statusCode);
}
