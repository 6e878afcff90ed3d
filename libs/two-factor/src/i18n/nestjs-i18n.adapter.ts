import type { TwoFactorTranslate } from './translate.types.js';

/**
 * The part of nestjs-i18n's `I18nService` the adapter uses, typed by its shape so
 * the module does not depend on nestjs-i18n.
 */
export interface I18nServiceLike {
  translate(key: string, options?: { lang?: string; args?: Record<string, unknown> }): unknown;
}

/** Options of `i18nTranslator`. */
export interface I18nTranslatorOptions {
  /** The translation file (nestjs-i18n's namespace) that holds the module's keys. @default 'two_factor' */
  namespace?: string;
}

/**
 * The `translate` option for a host that uses nestjs-i18n: looks `key` up as
 * `<namespace>.<key>` (e.g. `two_factor.error.not_found.confirmation` in
 * `i18n/de/two_factor.json`) with the params as args. nestjs-i18n answers a missing
 * key with the key itself: that becomes undefined, i.e. the module's English.
 * @example TwoFactorModule.forRootAsync({ inject: [I18nService], useFactory: (i18n) => ({ ..., translate: i18nTranslator(i18n) }) })
 */
export function i18nTranslator(i18n: I18nServiceLike, options: I18nTranslatorOptions = {}): TwoFactorTranslate {
  const namespace = options.namespace ?? 'two_factor';
  return (key, params, { language }) => {
    const path = namespace ? `${namespace}.${key}` : key;
    const text = i18n.translate(path, { lang: language, args: params });
    return typeof text === 'string' && text !== '' && text !== path ? text : undefined;
  };
}
