import type { ExecutionContext, HttpException, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { toHttpException } from './error-body.js';
import { errorLogOf } from './throttled-log.js';

/**
 * What a module guard on a host route throws when it fails: the error as an
 * HttpException (logged through the app's throttled log), with `Retry-After`
 * already set on 429 and 503, since the host's exception filter may not know our errors.
 */
export function guardFailure(error: unknown, context: ExecutionContext, adapterHost: HttpAdapterHost, logger: Logger): HttpException {
  const adapter = adapterHost.httpAdapter;
  const exception = toHttpException(error, logger, errorLogOf(adapter));
  const retryAfter = (exception.getResponse() as { details?: { retry_after?: unknown } }).details?.retry_after;
  if (typeof retryAfter === 'number') adapter?.setHeader(context.switchToHttp().getResponse(), 'Retry-After', String(retryAfter));
  return exception;
}
