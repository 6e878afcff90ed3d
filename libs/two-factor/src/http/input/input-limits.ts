import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import type { TwoFactorMessageKey, TwoFactorMessageParams } from '../../i18n/messages.js';

/**
 * What the module accepts in a request body or query before validation runs:
 * class-transformer and class-validator recurse, so a deep value would exhaust
 * the stack (a 500), a lone UTF-16 surrogate breaks encoders further on, and
 * PostgreSQL refuses a NUL character in any text (a 500 before issue 18).
 */
export const TWO_FACTOR_INPUT_LIMITS = {
  /** Nesting of objects and arrays; the top-level body is depth 1. */
  maxDepth: 8,
  /** Objects, arrays and values in one body. */
  maxNodes: 1000,
  /** Characters in one string value. */
  maxStringLength: 4096,
  /** Characters in one object key. */
  maxKeyLength: 128,
} as const;

/**
 * The ranges of the numbers a client can send that reach a column, checked where
 * they enter (`parseId` for paths, `IsRowId`/`IsPageNumber`/`IsAgeSeconds` for
 * bodies and queries): past them PostgreSQL refuses the statement (a 500 before issue 18).
 */
export const TWO_FACTOR_NUMBER_LIMITS = {
  /** The largest row id: the id columns are 32-bit INTEGERs (PostgreSQL's `integer`, the smallest of the supported databases). */
  maxId: 2_147_483_647,
  /** The last page a search serves: with at most 200 per page, an offset far inside a BIGINT. */
  maxPage: 1_000_000,
  /** The oldest age a search filters by, in seconds (100 years): its epoch milliseconds stay exact and inside a BIGINT. */
  maxAgeSeconds: 3_153_600_000,
  /** Characters of a user id, as the `user_id` columns store it. */
  maxUserIdLength: 255,
} as const;

/** Whether `value` can be the id of a row of the module's tables: an integer from 1 to `maxId`. */
export function isRowId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= TWO_FACTOR_NUMBER_LIMITS.maxId;
}

/** In `u` mode a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;
const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);
/** No database text column takes it (PostgreSQL refuses it outright), and no real value needs it. */
const hasNul = (text: string): boolean => text.includes('\u0000');

/** Whether a text can reach a text column as it is: well-formed UTF-16 without NUL. */
export function isStorableText(text: string): boolean {
  return isWellFormed(text) && !hasNul(text);
}

/** Keys that would reach an object's prototype if anything merged the body into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function refuse(field: string, key: TwoFactorMessageKey, params: TwoFactorMessageParams = {}): never {
  throw new ValidationFailedError([invalidField(field, key, params)]);
}

/**
 * Walks a parsed JSON value without recursion and refuses it when it is too
 * deep or too large, holds a string that is not well-formed UTF-16 or holds a
 * NUL character (in a value or a key), or uses a prototype key. Runs on every adapter, since it works on the parsed value.
 * @throws ValidationFailedError naming the first offending field.
 */
export function assertWithinInputLimits(value: unknown, root = 'body', limits = TWO_FACTOR_INPUT_LIMITS): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 1 }];
  let nodes = 1;
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) refuse(path, 'validation.too_long', { max: limits.maxStringLength });
      if (!isWellFormed(current)) refuse(path, 'validation.malformed_unicode');
      if (hasNul(current)) refuse(path, 'validation.nul_character');
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > limits.maxDepth) refuse(path, 'validation.too_deep', { max: limits.maxDepth });
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      if (++nodes > limits.maxNodes) refuse(root, 'validation.too_many_values', { max: limits.maxNodes });
      const where = Array.isArray(current) ? `${path}.${key}` : `${path}.${isStorableText(key) ? key.slice(0, 32) : '?'}`;
      if (!Array.isArray(current)) {
        if (key.length > limits.maxKeyLength) refuse(path, 'validation.key_too_long', { max: limits.maxKeyLength });
        if (!isWellFormed(key)) refuse(path, 'validation.key_malformed_unicode');
        if (hasNul(key)) refuse(path, 'validation.key_nul_character');
        if (FORBIDDEN_KEYS.has(key)) refuse(path, 'validation.forbidden_key', { key });
      }
      stack.push({ value: (current as Record<string, unknown>)[key], path: where, depth: depth + 1 });
    }
  }
}
