import { randomInt } from 'node:crypto';

/** A code of `digits` decimal digits from the CSPRNG, leading zeros kept. */
export function randomDigits(digits: number): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += randomInt(10).toString();
  return code;
}

/** Letters and digits a person reads without confusing them (no 0/O, 1/I/L, U). */
const READABLE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/**
 * A code a person can type from an email, an SMS or an admin's screen: `groups` groups of `size`
 * characters of a 30-letter alphabet, joined by dashes (4 × 4 is about 78 bits), from the CSPRNG.
 */
export function randomReadableCode(groups: number, size: number): string {
  const parts: string[] = [];
  for (let group = 0; group < groups; group++) {
    let part = '';
    for (let i = 0; i < size; i++) part += READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/**
 * The one spelling of a typed readable code that is hashed and compared: upper case, without dashes
 * and spaces; null for anything else (not a string, too long, other characters).
 */
export function normalizeReadableCode(value: unknown, maxLength = 64): string | null {
  if (typeof value !== 'string' || value.length > maxLength) return null;
  const compact = value.toUpperCase().replace(/[\s-]/g, '');
  return compact !== '' && /^[A-Z0-9]+$/.test(compact) ? compact : null;
}
