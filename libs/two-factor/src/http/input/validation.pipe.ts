import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { toInvalidFields } from '../../method-api/validate-dto.js';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import { compiledCheckOf, isStrictValidation, type DtoCheck } from '../../method-api/compiled-dto-check.js';
import { assertWithinInputLimits } from './input-limits.js';
import { plainCopy } from './plain-copy.js';

/**
 * Checks the input limits before class-transformer and class-validator see the
 * value (they recurse: a deep body would overflow the stack), then validates
 * strictly. Bodies and queries only: path params are plain strings.
 */
class TwoFactorValidationPipe extends ValidationPipe {
  /** Whether the transform options are the ones plainCopy reproduces (createTwoFactorValidationPipe's); set once, after ValidationPipe's constructor. */
  private readonly copiesPlainly = Object.keys(this.transformOptions ?? {}).length === 1 && this.transformOptions?.enableImplicitConversion === false;

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type === 'body' || metadata.type === 'query') && value !== undefined) assertWithinInputLimits(value, metadata.type);
    // The whole body, as a DTO: an adapter that parsed none (none was sent) hands over undefined, validated as {}.
    if (metadata.type === 'body' && metadata.data === undefined && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationFailedError([invalidField('body', 'validation.body_not_object')]);
      }
    }
    return this.acceptedByCompiledCheck(value, metadata) ?? super.transform(value, metadata);
  }

  /**
   * The fast path: a plain body or query that the DTO's compiled check accepts becomes the
   * instance ValidationPipe would return (the same cleaning; a body of plain JSON values copied as
   * class-transformer copies it, see plain-copy.ts, any other through class-transformer), without
   * class-validator; undefined sends the value through ValidationPipe, which judges it with
   * class-validator and builds the error answer.
   */
  private acceptedByCompiledCheck(value: unknown, { type, metatype }: ArgumentMetadata): object | undefined {
    if ((type !== 'body' && type !== 'query') || !this.isTransformEnabled || !isStrictValidation(this.validatorOptions)) return undefined;
    const check = this.compiledCheck(metatype);
    if (!check || value === null || typeof value !== 'object' || Array.isArray(value) || this.isBinary(value)) return undefined;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return undefined;
    this.closeArrayGaps(value);
    this.stripProtoKeys(value);
    const dto = metatype as new () => object;
    const entity: unknown = (this.copiesPlainly && plainCopy(dto, value as Record<string, unknown>)) || plainToInstance(dto, value, this.transformOptions);
    if (!entity || typeof entity !== 'object' || entity.constructor !== metatype) return undefined;
    return check(entity) ? entity : undefined;
  }

  /** The DTO's compiled check (see compiled-dto-check.ts); undefined leaves every value to class-validator. */
  protected compiledCheck(metatype: unknown): DtoCheck | undefined {
    return compiledCheckOf(metatype);
  }

  /** A value the compiled check accepts needs no class-validator; any other is judged (and explained) by it. */
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (isStrictValidation(options) && this.compiledCheck(object.constructor)?.(object)) return [];
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
