import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequestUser } from '../input/request-user.js';
import { TwoFactorExceptionFilter } from '../errors/two-factor-exception.filter.js';
import { createTwoFactorValidationPipe } from '../input/validation.pipe.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { TWO_FACTOR_ADMIN_API_TAG } from '../../admin/admin.options.js';
import type { AdminActor } from '../../admin/method-config.service.js';
import { TwoFactorAdminGuard } from './admin.guard.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';

/** An admin controller under `admin/<path>`: guarded, validated, in the module's error envelope, under the admin tag. */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/${path}`),
    ApiTags(TWO_FACTOR_ADMIN_API_TAG.name),
    ApiBearerAuth(),
    UseFilters(TwoFactorExceptionFilter),
    UseGuards(TwoFactorAdminGuard),
    UsePipes(createTwoFactorValidationPipe()),
    ApiAdminErrors(401, 403),
  );
}

/** The acting admin (the guard has made sure there is one). */
export function actorOf(requestUser: RequestUser, request: TwoFactorRequest): AdminActor {
  const caller = requestUser.signedIn(request);
  return { adminId: caller.userId, clientIp: caller.clientIp, language: caller.language };
}
