import { renderMessage, type TwoFactorTranslate } from 'nestjs-two-factor';
import { DE_MESSAGES } from './de.messages.js';

/** The demo's languages beside English, by base language (`de-AT` arrives here as `de` when `de-AT` has no table). */
const CATALOGUES: Readonly<Record<string, Partial<Record<string, string>>>> = { de: DE_MESSAGES };

/**
 * The demo's `translate` option: the text from the request language's table, its
 * `{param}`s filled in; undefined (English) for another language or a key the table lacks.
 */
export const demoTranslate: TwoFactorTranslate = (key, params, { language }) => {
  const text = language ? CATALOGUES[language.toLowerCase()]?.[key] : undefined;
  return text === undefined ? undefined : renderMessage(text, params);
};
