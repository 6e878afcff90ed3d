import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RateLimitedError } from '../errors/request.errors.js';
import { errorBody } from './error-body.js';

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
    const body = errorBody(exception, this.logger);
    if (exception instanceof RateLimitedError) adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    adapter.reply(response, body, body.statusCode);
  }
}
