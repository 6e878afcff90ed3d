import { resolveTwoFactorOptions, type TwoFactorOptions } from '../options/two-factor.options.js';
import { acceptLanguage } from '../i18n/accept-language.js';
import { MessageTranslator } from './message-translator.js';
import { i18nTranslator } from '../i18n/nestjs-i18n.adapter.js';
import type { TwoFactorTranslate } from '../i18n/translate.types.js';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const translator = (options: Partial<TwoFactorOptions>) => new MessageTranslator(resolveTwoFactorOptions({ secret: SECRET, ...options }));

/** A German table with one text, as a host's hook would hold it. */
const GERMAN: TwoFactorTranslate = (key, params, { language }) =>
  language === 'de' && key === 'error.not_found.confirmation'
    ? 'Bestätigung nicht gefunden.'
    : language === 'de' && key === 'error.rate_limited.message'
      ? `Warte ${params.s}s.`
      : undefined;

describe('acceptLanguage (the default language option)', () => {
  it.each([
    ['de', 'de'],
    ['de-CH, en;q=0.8', 'de-CH'],
    ['en;q=0.5, fr;q=0.9', 'fr'],
    ['*', undefined],
    ['', undefined],
  ])('reads %p as %p', (header, expected) => {
    expect(acceptLanguage({ headers: { 'accept-language': header } })).toBe(expected);
  });

  it('gives undefined without the header', () => {
    expect(acceptLanguage({ headers: {} })).toBeUndefined();
  });
});

describe('MessageTranslator', () => {
  it('answers English without a translate option', () => {
    expect(translator({}).text('error.not_found.confirmation', {}, 'de')).toBe('Confirmation not found.');
  });

  it('translates, and falls back to English for a key or a language the hook lacks', () => {
    const t = translator({ translate: GERMAN });
    expect(t.text('error.not_found.confirmation', {}, 'de')).toBe('Bestätigung nicht gefunden.');
    expect(t.text('error.not_found.user_config', {}, 'de')).toBe('User config not found.');
    expect(t.text('error.not_found.confirmation', {}, 'fr')).toBe('Confirmation not found.');
    expect(t.text('error.not_found.confirmation', {}, undefined)).toBe('Confirmation not found.');
  });

  it('tries the base language of a regional one', () => {
    expect(translator({ translate: GERMAN }).text('error.not_found.confirmation', {}, 'de-AT')).toBe('Bestätigung nicht gefunden.');
  });

  it('passes the params, and prefers the given fallback to the catalogue', () => {
    const t = translator({ translate: GERMAN });
    expect(t.text('error.rate_limited.message', { s: 5 }, 'de')).toBe('Warte 5s.');
    expect(t.text('error.bad_request.message', {}, 'de', undefined, 'Cannot GET /x')).toBe('Cannot GET /x');
  });

  it('answers English when the hook throws', () => {
    const t = translator({
      translate: () => {
        throw new Error('broken table');
      },
    });
    expect(t.text('error.unauthenticated.message', {}, 'de')).toBe('Authentication required.');
  });

  it('reads the language through the language option', () => {
    const t = translator({ language: (request) => request.query?.lang });
    expect(t.languageOf({ query: { lang: 'de' }, headers: { 'accept-language': 'fr' } })).toBe('de');
    expect(translator({}).languageOf({ headers: { 'accept-language': 'fr' } })).toBe('fr');
  });
});

describe('i18nTranslator (nestjs-i18n)', () => {
  // The shape of nestjs-i18n's I18nService.translate: the key itself when there is no text.
  const tables: Record<string, Record<string, string>> = { de: { 'two_factor.error.confirmation_failed.message': 'Falsch ({attempts}).' } };
  const i18n = {
    translate: (key: string, options?: { lang?: string; args?: Record<string, unknown> }) => {
      const text = tables[options?.lang ?? '']?.[key];
      return text === undefined ? key : text.replace('{attempts}', String(options?.args?.attempts));
    },
  };

  it('looks the key up in its namespace with the params as args', () => {
    expect(i18nTranslator(i18n)('error.confirmation_failed.message', { attempts: 4 }, { language: 'de' })).toBe('Falsch (4).');
  });

  it('turns a missing text (nestjs-i18n answers the key) into undefined', () => {
    expect(i18nTranslator(i18n)('error.unauthenticated.message', {}, { language: 'de' })).toBeUndefined();
    expect(i18nTranslator(i18n, { namespace: 'other' })('error.confirmation_failed.message', {}, { language: 'de' })).toBeUndefined();
  });
});
