import { ValidationPipe } from '@nestjs/common';
import { toInvalidFields } from '../confirmer/validate-dto.js';
import { ValidationFailedError } from '../errors/request.errors.js';

/** Validates request bodies strictly (no unknown fields, no type coercion) into `validation_failed` errors. */
export function createTwoFactorValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailedError(toInvalidFields(errors)),
  });
}
