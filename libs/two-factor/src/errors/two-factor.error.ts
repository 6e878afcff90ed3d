import type { TwoFactorMessage } from '../i18n/messages.js';
import { englishMessage } from '../i18n/render-message.js';
import type { TwoFactorDomainErrorCode } from './error-code.js';

/**
 * Base class of every error the module raises on purpose. Each has a stable,
 * machine-readable `code`; the HTTP status is decided at the edge
 * (`http/error-status.ts`), never here, so services stay transport-agnostic.
 * `message` is English; the edge translates `translatable` into the request's language.
 */
export class TwoFactorError extends Error {
  /** The message as a catalogue key and its params; absent when it was given as plain text (shown as it is). */
  readonly translatable?: TwoFactorMessage;

  constructor(
    /** Stable machine-readable code, e.g. `confirmation_failed`. */
    readonly code: TwoFactorDomainErrorCode,
    message: string | TwoFactorMessage,
    /** Extra, non-secret facts for the client (e.g. `attempts_left`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(typeof message === 'string' ? message : englishMessage(message.key, message.params));
    this.name = new.target.name;
    if (typeof message !== 'string') this.translatable = message;
  }
}
