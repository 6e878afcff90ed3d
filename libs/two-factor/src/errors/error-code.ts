/** Codes of the module's domain errors (`TwoFactorError` and its subclasses). */
export const TWO_FACTOR_DOMAIN_ERROR_CODES = [
  'validation_failed',
  'empty_config',
  'confirmation_failed',
  'wrong_config',
  'unauthenticated',
  'two_factor_required',
  'factor_locked',
  'not_found',
  'already_confirmed',
  'confirmation_expired',
  'confirmation_locked',
  'rate_limited',
  'delivery_failed',
  'admin_required',
  'method_config_in_use',
  'sign_in_invalid',
  'two_factor_enrollment_required',
  'unsupported_media_type',
  'database_unavailable',
  'recovery_in_progress',
  'enrollment_not_open',
  'access_code_invalid',
] as const;

/** Codes the HTTP edge gives errors that are not the module's own (Nest's exceptions, body parsing, the unexpected). */
export const TWO_FACTOR_EDGE_ERROR_CODES = ['bad_request', 'malformed_body', 'forbidden', 'method_not_allowed', 'payload_too_large', 'internal_error'] as const;

/** Codes a domain error (a `TwoFactorError`) may have. */
export type TwoFactorDomainErrorCode = (typeof TWO_FACTOR_DOMAIN_ERROR_CODES)[number];
export type TwoFactorEdgeErrorCode = (typeof TWO_FACTOR_EDGE_ERROR_CODES)[number];

/**
 * Every `code` an error body of the module can carry, on its own routes and (through
 * `TwoFactorExceptionFilter`) on the host's: a client can switch on it exhaustively.
 */
export type TwoFactorErrorCode = TwoFactorDomainErrorCode | TwoFactorEdgeErrorCode;

/** Every code, for documentation (the `code` enum of the error envelope in OpenAPI). */
export const TWO_FACTOR_ERROR_CODES: readonly TwoFactorErrorCode[] = [...TWO_FACTOR_DOMAIN_ERROR_CODES, ...TWO_FACTOR_EDGE_ERROR_CODES];
