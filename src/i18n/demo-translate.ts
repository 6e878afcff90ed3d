import { renderMessage, type TwoFactorTranslate } from 'nestjs-two-factor';
import { DE_MESSAGES } from './de.messages.js';

/** The demo's languages beside English, by base language (`de-AT` arrives here as `de` when `de-AT` has no table). */
const CATALOGUES: Readonly<Record<string, Partial<Record<string, string>>>> = { de: DE_MESSAGES };

/**
 * What the demo's operations are, as a sent code names them (`operation.<action>`, its details as
 * params): "Your verification code 123456 approves: transfer of 120.00 EUR to ACME Ltd. …".
 */
const OPERATIONS: Readonly<Record<string, Partial<Record<string, string>>>> = {
  en: { 'operation.transfer': 'transfer of {amount} {currency} to {payee}' },
  de: { 'operation.transfer': 'Überweisung von {amount} {currency} an {payee}' },
};

/**
 * The demo's `translate` option: the text from the request language's table, its
 * `{param}`s filled in; undefined (English) for another language or a key the table lacks.
 */
export const demoTranslate: TwoFactorTranslate = (key, params, { language }) => {
  const table = language?.toLowerCase();
  const text = table ? (key.startsWith('operation.') ? OPERATIONS[table]?.[key] : CATALOGUES[table]?.[key]) : undefined;
  return text === undefined ? undefined : renderMessage(text, params);
};
