import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import type { TwoFactorMessageKey } from '../../i18n/messages.js';

/** A number as the SMS method works with it. */
export interface PhoneNumberFacts {
  /** E.164, e.g. `+447400123456`. */
  e164: string;
  /** ISO 3166-1 alpha-2 country, or undefined for non-geographic numbers (+800 …). */
  country: string | undefined;
  callingCode: string;
  nationalNumber: string;
}

export interface PhoneRules {
  /** Country assumed for numbers written without `+` and a calling code. */
  defaultCountry?: string;
  /** ISO codes a number must belong to; empty allows every country. */
  allowedCountries?: readonly string[];
}

// ASCII digits and the usual separators only: libphonenumber would otherwise read other scripts' digits and ignore trailing text.
const WRITTEN_NUMBER = /^\+?[0-9 ().-]{3,40}$/;

// Numbers that cannot receive a text, or that bill the sender: the usual targets of SMS pumping.
const NO_SMS: ReadonlySet<NumberType> = new Set<NumberType>(['PREMIUM_RATE', 'SHARED_COST', 'TOLL_FREE', 'UAN', 'VOICEMAIL', 'PAGER']);

/**
 * Parses a phone number as the user wrote it, into E.164 and its parts.
 * @throws ValidationFailedError on `field` when it is not a valid number, cannot take a text, or is from a country not allowed.
 */
export function parsePhone(raw: unknown, rules: PhoneRules, field: string): PhoneNumberFacts {
  const refuse = (key: TwoFactorMessageKey): never => {
    throw new ValidationFailedError([invalidField(field, key)]);
  };
  if (typeof raw !== 'string' || !WRITTEN_NUMBER.test(raw.trim())) return refuse('validation.phone_format');
  const parsed = parsePhoneNumberFromString(raw.trim(), rules.defaultCountry as CountryCode | undefined);
  if (!parsed || !parsed.isValid() || parsed.ext) return refuse('validation.phone_invalid');
  const type = parsed.getType();
  if (type !== undefined && NO_SMS.has(type)) return refuse('validation.no_sms');
  const allowed = rules.allowedCountries ?? [];
  if (allowed.length > 0 && !(parsed.country && allowed.includes(parsed.country))) return refuse('validation.phone_country');
  return { e164: parsed.number, country: parsed.country, callingCode: parsed.countryCallingCode, nationalNumber: parsed.nationalNumber };
}

/**
 * The number range a pumping attack would walk through: the calling code and
 * the first `digits` digits of the national number, e.g. `+447400`.
 */
export function phonePrefix(facts: PhoneNumberFacts, digits: number): string {
  return `+${facts.callingCode}${facts.nationalNumber.slice(0, digits)}`;
}

/** What clients see of a number: the first four and last two digits, e.g. `+4474******56`. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits.length <= 6) return `+${'*'.repeat(digits.length)}`;
  return `+${digits.slice(0, 4)}${'*'.repeat(digits.length - 6)}${digits.slice(-2)}`;
}
