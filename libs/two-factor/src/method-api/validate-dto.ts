import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { compiledCheckOf } from './compiled-dto-check.js';
import { invalidField as catalogued, ValidationFailedError, type InvalidField } from '../errors/request.errors.js';
import { isTwoFactorMessageKey } from '../i18n/messages.js';
import { constraintParams } from '../i18n/validation-messages.js';

/** One constraint's message, with its catalogue key (`validation.<constraint>`) when the catalogue has one. */
function invalidField(error: ValidationError, field: string, constraint: string, message: string): InvalidField {
  const key = `validation.${constraint}`;
  if (!isTwoFactorMessageKey(key)) return { field, message };
  return { field, message, key, params: { ...constraintParams(error, constraint), field } };
}

/** Flattens class-validator's nested errors into `{field, message}` pairs with dotted paths. */
export function toInvalidFields(errors: ValidationError[], prefix = ''): InvalidField[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => invalidField(error, field, constraint, message));
    return [...own, ...toInvalidFields(error.children ?? [], field)];
  });
}

/**
 * Validates plain JSON into an instance of `dto`; unknown properties are refused.
 * @throws ValidationFailedError listing each bad field under `prefix`.
 */
export function validateDto<T extends object>(dto: Type<T> | undefined, value: unknown, prefix: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailedError([catalogued(prefix, 'validation.not_object')]);
  }
  if (!dto) return { ...(value as T) };
  const instance = plainToInstance(dto, value);
  // The compiled check accepts what class-validator accepts; anything else class-validator judges and explains.
  if (compiledCheckOf(dto)?.(instance)) return instance;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationFailedError(toInvalidFields(errors, prefix));
  return instance;
}
