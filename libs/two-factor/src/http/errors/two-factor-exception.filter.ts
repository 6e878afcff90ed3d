import { ArgumentsHost, Catch, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MessageTranslator } from '../../translation/message-translator.js';
import { errorBody } from './error-body.js';
import { errorLogOf } from './throttled-log.js';

/**
 * Turns every error thrown by the module's routes into Nest's envelope plus a
 * stable `code` (docs/reference/error-codes.md), with `Retry-After` on 429 and 503. See `errorBody`
 * for how unexpected errors and database outages are answered and logged.
 * Messages are in the request's language when the module's translator is at hand
 * (get the filter with `app.get(TwoFactorExceptionFilter)`, or pass the translator).
 */
@Catch()
export class TwoFactorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() private readonly translator?: MessageTranslator,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const http = host.switchToHttp();
    const response = http.getResponse();
    const localize = this.translator?.forRequest(http.getRequest());
    const body = errorBody(exception, this.logger, errorLogOf(adapter), localize);
    const retryAfter = body.details?.retry_after;
    // 429 and 503 say when to come back (also when a guard wrapped the error in an HttpException).
    if (typeof retryAfter === 'number') adapter.setHeader(response, 'Retry-After', String(retryAfter));
    adapter.reply(response, body, body.statusCode);
  }
}
