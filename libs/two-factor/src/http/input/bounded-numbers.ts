import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { TWO_FACTOR_NUMBER_LIMITS } from './input-limits.js';

/**
 * The validators of the numbers a client sends that reach a column, each with
 * the bound of `TWO_FACTOR_NUMBER_LIMITS`: a DTO field declared with one of
 * them can never carry a value the database would refuse (a 500) — 400
 * `validation_failed` instead. Combine with `@Type(() => Number)` on a query.
 */

/** The id of a row of the module's tables (a method config, a user config): an integer from 1 to 2147483647. */
export function IsRowId(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(1), Max(TWO_FACTOR_NUMBER_LIMITS.maxId));
}

/** A page number of a search, from 1 to `maxPage`. */
export function IsPageNumber(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(1), Max(TWO_FACTOR_NUMBER_LIMITS.maxPage));
}

/** An age in whole seconds, from 0 to `maxAgeSeconds` (100 years). */
export function IsAgeSeconds(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(TWO_FACTOR_NUMBER_LIMITS.maxAgeSeconds));
}
