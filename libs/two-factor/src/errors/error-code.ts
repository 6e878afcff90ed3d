/**
 * Every `code` the module's error bodies can carry, on its own routes and (through
 * `TwoFactorExceptionFilter`) on the host's. A client can switch on it exhaustively.
 * The first group comes from the module's domain errors; the second from the HTTP edge
 * (Nest's own exceptions, body parsing, unexpected errors).
 */
export type TwoFactorErrorCode =
  | 'validation_failed'
  | 'empty_config'
  | 'confirmation_failed'
  | 'wrong_config'
  | 'unauthenticated'
  | 'two_factor_required'
  | 'factor_locked'
  | 'not_found'
  | 'already_confirmed'
  | 'confirmation_expired'
  | 'confirmation_locked'
  | 'rate_limited'
  | 'delivery_failed'
  | TwoFactorEdgeErrorCode;

/** Codes the HTTP edge gives errors that are not the module's own. */
export type TwoFactorEdgeErrorCode =
  | 'bad_request'
  | 'malformed_body'
  | 'forbidden'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error';

/** Codes a domain error (a `TwoFactorError`) may have. */
export type TwoFactorDomainErrorCode = Exclude<TwoFactorErrorCode, TwoFactorEdgeErrorCode>;
