import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ValidationFailedError, type InvalidField } from '../errors/request.errors.js';

/** Flattens class-validator's nested errors into `{field, message}` pairs with dotted paths. */
export function toInvalidFields(errors: ValidationError[], prefix = ''): InvalidField[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toInvalidFields(error.children ?? [], field)];
  });
}

/**
 * Validates plain JSON into an instance of `dto`; unknown properties are refused.
 * @throws ValidationFailedError listing each bad field under `prefix`.
 */
export function validateDto<T extends object>(dto: Type<T> | undefined, value: unknown, prefix: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailedError([{ field: prefix, message: `${prefix} must be an object` }]);
  }
  if (!dto) return { ...(value as T) };
  const instance = plainToInstance(dto, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationFailedError(toInvalidFields(errors, prefix));
  return instance;
}
