import type { TwoFactorRequest } from '../two-factor-request.js';
import type { TwoFactorMessageKey, TwoFactorMessageParams } from './messages.js';

/**
 * A key the module asks to translate: the catalogue's, the verbose name of a host's own method, or the
 * description of an operation a sent code approves (`operation.<action>`, its details as params).
 */
export type TranslatableKey = TwoFactorMessageKey | `method.${string}.verbose_name` | `operation.${string}`;

/** What a translation is asked for: the language (from the `language` option) and the request, when there is one. */
export interface TranslateContext {
  language: string | undefined;
  /** Absent when the module renders outside a request (a code sent from the host's own call to `ConfirmerService`). */
  request?: TwoFactorRequest;
}

/**
 * The `translate` option: the text of `key` in `context.language`, its `{param}`s
 * filled in, or undefined to answer the catalogue's English.
 */
export type TwoFactorTranslate = (key: TranslatableKey, params: TwoFactorMessageParams, context: TranslateContext) => string | undefined;
