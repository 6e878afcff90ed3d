import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TwoFactorError } from '../errors/two-factor.error.js';
import { RateLimitedError } from '../errors/request.errors.js';
import { ERROR_STATUS, STATUS_CODE } from './error-status.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
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
 * Turns every error thrown by the module's routes into Nest's envelope plus a
 * stable `code` (contract §3). Unexpected errors become a plain 500 whose body
 * says nothing of the cause; the log line names only the error's class and
 * message, never request bodies.
 */
@Catch()
export class TwoFactorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TwoFactor');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    if (exception instanceof RateLimitedError) adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    adapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof TwoFactorError) {
      const status = ERROR_STATUS[exception.code] ?? HttpStatus.BAD_REQUEST;
      return { statusCode: status, error: reasonPhrase(status), code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: reasonPhrase(status), code: STATUS_CODE[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message };
    }
    // Body-parser errors (malformed JSON, wrong charset) carry their own 4xx status.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: reasonPhrase(status), code: status === 400 ? 'malformed_body' : (STATUS_CODE[status] ?? 'bad_request'), message: 'The request body could not be read.' };
    }
    this.logger.error(`Unexpected ${(exception as Error)?.name ?? 'error'}: ${(exception as Error)?.message ?? String(exception)}`);
    return { statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Internal server error.' };
  }
}
