import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { TwoFactorExceptionFilter } from '../errors/two-factor-exception.filter.js';
import { JsonBodyGuard } from '../input/json-body.guard.js';
import { createTwoFactorValidationPipe } from '../input/validation.pipe.js';
import { TWO_FACTOR_BEARER_SCHEME } from '../openapi.js';
import { TwoFactorPublicRoute } from '../public-route.js';

/** What one of the module's user-facing controllers is: its path, tag, who may call it, whether it takes bodies. */
export interface UserControllerOptions {
  path: string;
  /** The OpenAPI tag (one of `TWO_FACTOR_OPENAPI_TAGS`). */
  tag: string;
  /**
   * `signed-in`: every route needs the current user (401 without one); `optional`: anonymous callers
   * and signed-in users as themselves; `anonymous`: nobody's session is read. The last two carry
   * the public-route mark a host's deny-by-default guard honours.
   */
  access: 'signed-in' | 'optional' | 'anonymous';
  /** Takes JSON bodies: 415 for a body that is not JSON, and the module's validation pipe. */
  writes: boolean;
}

/**
 * A user-facing controller of the module, as the admin ones have `AdminController`: the
 * module's error envelope, the access mark and its OpenAPI security, the JSON guard and
 * validation for controllers that take bodies, and the errors every route of it can answer.
 */
export function TwoFactorUserController(options: UserControllerOptions): ClassDecorator {
  const { path, tag, access, writes } = options;
  const decorators: ClassDecorator[] = [ApiTags(tag)];
  // Bearer first, then the empty requirement that makes it optional: the order OpenAPI lists them in.
  if (access !== 'anonymous') decorators.push(ApiBearerAuth(TWO_FACTOR_BEARER_SCHEME));
  if (access !== 'signed-in') decorators.push(ApiSecurity({}));
  if (access !== 'signed-in') decorators.push(TwoFactorPublicRoute(access));
  decorators.push(UseFilters(TwoFactorExceptionFilter));
  if (writes) decorators.push(UseGuards(JsonBodyGuard), UsePipes(createTwoFactorValidationPipe()));
  // Every route can meet a database outage; routes with a user, an unauthenticated caller.
  decorators.push(ApiTwoFactorErrors(...(access === 'signed-in' ? [401] : []), ...(writes || access !== 'signed-in' ? [503] : [])), Controller(path));
  return applyDecorators(...decorators);
}
