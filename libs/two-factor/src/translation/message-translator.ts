import { Injectable, Logger } from '@nestjs/common';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import type { TwoFactorRequest } from '../two-factor-request.js';
import { isTwoFactorMessageKey, type TwoFactorMessage, type TwoFactorMessageParams } from '../i18n/messages.js';
import { englishMessage } from '../i18n/render-message.js';
import type { TranslatableKey } from '../i18n/translate.types.js';

/** Renders one text in one language: the host's translation, else `fallback`, else the catalogue's English. */
export type Localize = (key: TranslatableKey, params?: TwoFactorMessageParams, fallback?: string) => string;

/** `de-CH` → `['de-CH', 'de']`: a regional language falls back to its base language before English. */
function candidates(language: string): string[] {
  const base = language.split('-')[0];
  return base && base !== language ? [language, base] : [language];
}

/**
 * The one place that calls the host's `translate` and `language` options. The
 * texts are translated at the edge (error bodies, responses, sent codes); `code`s never change.
 */
@Injectable()
export class MessageTranslator {
  private readonly logger = new Logger('TwoFactor');

  constructor(@InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions) {}

  /** The request's language by the `language` option (default: `Accept-Language`); undefined when it gives none. */
  languageOf(request: TwoFactorRequest | undefined): string | undefined {
    if (!request) return undefined;
    try {
      const language = this.options.language(request);
      return typeof language === 'string' && language !== '' ? language : undefined;
    } catch {
      return undefined;
    }
  }

  /** `key` in `language`, or `fallback` (default: its English) when there is no language or no translation. */
  text(key: TranslatableKey, params: TwoFactorMessageParams = {}, language?: string, request?: TwoFactorRequest, fallback?: string): string {
    for (const candidate of language ? candidates(language) : []) {
      const translated = this.translate(key, params, candidate, request);
      if (translated !== undefined) return translated;
    }
    return fallback ?? (isTwoFactorMessageKey(key) ? englishMessage(key, params) : key);
  }

  /** A message (key and params) in `language`. */
  message(message: TwoFactorMessage, language?: string, request?: TwoFactorRequest, fallback?: string): string {
    return this.text(message.key, message.params, language, request, fallback);
  }

  /** Every text of one request, in its language. */
  forRequest(request: TwoFactorRequest | undefined): Localize {
    const language = this.languageOf(request);
    return (key, params, fallback) => this.text(key, params, language, request, fallback);
  }

  private translate(key: TranslatableKey, params: TwoFactorMessageParams, language: string, request?: TwoFactorRequest): string | undefined {
    try {
      const translated = this.options.translate(key, params, { language, request });
      return typeof translated === 'string' && translated !== '' ? translated : undefined;
    } catch (error) {
      // A broken translation must not turn an answer into a 500: English instead, and the log says which key.
      this.logger.warn(`translate threw for "${key}" (${(error as Error)?.name ?? typeof error}); answered in English.`);
      return undefined;
    }
  }
}
