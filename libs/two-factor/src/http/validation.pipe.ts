import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { toInvalidFields } from '../confirmer/validate-dto.js';
import { invalidField, ValidationFailedError } from '../errors/request.errors.js';
import { compiledCheckOf, isStrictValidation } from './compiled-dto-check.js';
import { assertWithinInputLimits } from './input-limits.js';

/**
 * Checks the input limits before class-transformer and class-validator see the
 * value (they recurse: a deep body would overflow the stack), then validates
 * strictly. Bodies and queries only: path params are plain strings.
 */
class TwoFactorValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type === 'body' || metadata.type === 'query') && value !== undefined) assertWithinInputLimits(value, metadata.type);
    // The whole body, as a DTO: an adapter that parsed none (none was sent) hands over undefined, validated as {}.
    if (metadata.type === 'body' && metadata.data === undefined && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationFailedError([invalidField('body', 'validation.body_not_object')]);
      }
    }
    return super.transform(value, metadata);
  }

  /** A body the DTO's compiled check accepts needs no class-validator; any other is judged (and explained) by it. */
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (isStrictValidation(options) && compiledCheckOf(object.constructor)?.(object)) return [];
    return super.validate(object, options);
  }
}

/** Validates request bodies strictly (no unknown fields, no type coercion) into `validation_failed` errors. */
export function createTwoFactorValidationPipe(): ValidationPipe {
  return new TwoFactorValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailedError(toInvalidFields(errors)),
  });
}
