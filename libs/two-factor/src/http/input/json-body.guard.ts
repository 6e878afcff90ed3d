import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import typeis from 'type-is';
import { UnsupportedMediaTypeError } from '../../errors/input.errors.js';

/** The one media type a write route reads: the JSON parsers of Express and Fastify parse only this one by default. */
const JSON_TYPES = ['application/json'];

/** Methods whose body a route reads. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether the request carries a body at all (HTTP/1.1: a non-zero length or a chunked transfer). */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Refuses a write whose body is not JSON with 415 before anything runs:
 * Express's JSON parser skips other types and leaves an empty body, which
 * would validate as "change nothing" and still succeed. Reads headers only,
 * so it works on any HTTP adapter. A request with no body passes (validation
 * then names the missing fields).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const headers = request.headers ?? {};
    if (!WRITE_METHODS.has(request.method) || !hasBody(headers)) return true;
    const type = headers['content-type'];
    if (typeof type !== 'string' || type === '' || !typeis.is(type, JSON_TYPES))
      throw new UnsupportedMediaTypeError(typeof type === 'string' ? type.slice(0, 64) : '');
    return true;
  }
}
