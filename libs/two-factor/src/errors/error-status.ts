import { HttpStatus } from '@nestjs/common';
import type { TwoFactorDomainErrorCode, TwoFactorErrorCode } from './error-code.js';

/** The one place where a domain error code becomes an HTTP status; the type makes it name every code. */
export const ERROR_STATUS: Readonly<Record<TwoFactorDomainErrorCode, HttpStatus>> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  empty_config: HttpStatus.BAD_REQUEST,
  confirmation_failed: HttpStatus.BAD_REQUEST,
  wrong_config: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  two_factor_required: HttpStatus.FORBIDDEN,
  factor_locked: HttpStatus.FORBIDDEN,
  admin_required: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  already_confirmed: HttpStatus.CONFLICT,
  method_config_in_use: HttpStatus.CONFLICT,
  confirmation_expired: HttpStatus.GONE,
  confirmation_locked: HttpStatus.TOO_MANY_REQUESTS,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  delivery_failed: HttpStatus.BAD_GATEWAY,
  sign_in_invalid: HttpStatus.UNAUTHORIZED,
  two_factor_enrollment_required: HttpStatus.FORBIDDEN,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  database_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  recovery_in_progress: HttpStatus.CONFLICT,
  enrollment_not_open: HttpStatus.FORBIDDEN,
  access_code_invalid: HttpStatus.BAD_REQUEST,
};

/** Codes for Nest's own HTTP exceptions (a route that does not exist, a body too large …). */
export const STATUS_CODE: Readonly<Partial<Record<number, TwoFactorErrorCode>>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The reason phrase of a status, as Nest spells its own errors' `error` field (`Too Many Requests`). */
export function reasonPhrase(status: number): string {
  const name = HttpStatus[status] ?? 'ERROR';
  return name
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}
