import { TWO_FACTOR_MESSAGES, type TwoFactorMessageKey, type TwoFactorMessageParams } from './messages.js';

/** Fills `{name}` placeholders from `params`; a placeholder without a value stays as it is. */
export function renderMessage(template: string, params: TwoFactorMessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** The English default of `key`, filled in. */
export function englishMessage(key: TwoFactorMessageKey, params?: TwoFactorMessageParams): string {
  return renderMessage(TWO_FACTOR_MESSAGES[key], params);
}
