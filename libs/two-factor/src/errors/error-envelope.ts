import type { TwoFactorErrorCode } from './error-code.js';

/** The wire format of every error (docs/reference/error-codes.md): Nest's envelope plus a stable `code`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: TwoFactorErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
