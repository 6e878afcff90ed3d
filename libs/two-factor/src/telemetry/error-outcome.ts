import { TwoFactorError } from '../errors/two-factor.error.js';

/**
 * A bounded word for how an operation ended: `ok`, the domain error's stable code, or
 * `error` for anything else (an error's message never becomes an attribute: it may hold input).
 */
export function outcomeOf(error?: unknown): string {
  if (error === undefined) return 'ok';
  return error instanceof TwoFactorError ? error.code : 'error';
}

/** A refusal for a factor cooling down after failures (`assertNoCooldown`), told apart from caps by its message key. */
export function isCooldown(error: unknown): boolean {
  return error instanceof TwoFactorError && error.translatable?.key === 'error.rate_limited.cooldown';
}
