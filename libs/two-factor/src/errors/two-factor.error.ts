import type { TwoFactorDomainErrorCode } from './error-code.js';

/**
 * Base class of every error the module raises on purpose. Each has a stable,
 * machine-readable `code`; the HTTP status is decided at the edge
 * (`http/error-status.ts`), never here, so services stay transport-agnostic.
 */
export class TwoFactorError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `confirmation_failed`. */
    readonly code: TwoFactorDomainErrorCode,
    message: string,
    /** Extra, non-secret facts for the client (e.g. `attempts_left`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
