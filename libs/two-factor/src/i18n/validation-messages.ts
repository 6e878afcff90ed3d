import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { TwoFactorMessageParams } from './messages.js';

/**
 * The values a constraint was declared with (`@Max(10)` → `{constraint1: 10}`),
 * read from class-validator's metadata, so a translation can name them as its
 * English message does. Empty when the constraint is not found (a nested array item …).
 */
export function constraintParams(error: ValidationError, constraint: string): TwoFactorMessageParams {
  const target = error.target?.constructor;
  if (!target) return {};
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((entry) => entry.propertyName === error.property && (entry.name === constraint || entry.type === constraint));
  const params: TwoFactorMessageParams = {};
  (metadata?.constraints ?? []).forEach((value: unknown, index: number) => {
    // Only plain values: a constraint may be a function or an options object that means nothing in a message.
    if (typeof value === 'string' || typeof value === 'number') params[`constraint${index + 1}`] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
      params[`constraint${index + 1}`] = value.join(', ');
    else if (value instanceof RegExp) params[`constraint${index + 1}`] = String(value);
  });
  return params;
}
