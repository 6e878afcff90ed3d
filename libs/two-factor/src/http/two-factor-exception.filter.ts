import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorBody } from './error-body.js';
import { errorLogOf } from './throttled-log.js';

/**
 * Turns every error thrown by the module's routes into Nest's envelope plus a
 * stable `code` (contract §3), with `Retry-After` on 429 and 503. See `errorBody`
 * for how unexpected errors and database outages are answered and logged.
 */
@Catch()
export class TwoFactorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TwoFactor');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse();
    const body = errorBody(exception, this.logger, errorLogOf(adapter));
    const retryAfter = body.details?.retry_after;
    // 429 and 503 say when to come back (also when a guard wrapped the error in an HttpException).
    if (typeof retryAfter === 'number') adapter.setHeader(response, 'Retry-After', String(retryAfter));
    adapter.reply(response, body, body.statusCode);
  }
}
