import { applyDecorators, Injectable, Logger, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { ErrorResponseDto } from '../user/dto/responses.dto.js';
import { KeepSuccessResponse } from '../errors/keep-success-response.decorator.js';
import { guardFailure } from '../errors/guard-failure.js';
import { locatedGuard } from './located-guard.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import { EnrollmentService } from '../../enrollment/enrollment.service.js';

/** Set on responses of guarded routes while a required user is in the grace period: when it ends (ISO 8601). */
export const TWO_FACTOR_ENROLLMENT_DEADLINE_HEADER = 'X-Two-Factor-Enrollment-Deadline';

/**
 * Lets a signed-in user through unless the `enrollment` policy requires a
 * factor of them, the grace period is over and they have none: then 403
 * `two_factor_enrollment_required` with `details.methods`. Put it on the host's
 * routes, not on the module's, which the user needs in order to enrol.
 */
@Injectable()
export class TwoFactorEnrollmentGuard implements CanActivate {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly enrollment: EnrollmentService,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    try {
      const id = this.options.getUserId(request);
      if (id === undefined || id === null || id === '') throw new UnauthenticatedError();
      const status = await this.enrollment.assertEnrolled(String(id), request);
      if (status.required && !status.enrolled)
        setHeader(context.switchToHttp().getResponse(), TWO_FACTOR_ENROLLMENT_DEADLINE_HEADER, status.deadline!.toISOString());
      return true;
    } catch (error) {
      throw guardFailure(error, context, this.adapterHost, this.logger);
    }
  }
}

/** Express has `setHeader`, Fastify's reply `header`. */
function setHeader(response: Record<string, any>, name: string, value: string): void {
  if (typeof response.setHeader === 'function') response.setHeader(name, value);
  else if (typeof response.header === 'function') response.header(name, value);
}

/** Works in any module of the host, not only where TwoFactorModule's providers are visible. */
const ENROLLMENT_GUARD = locatedGuard(TwoFactorEnrollmentGuard);

/**
 * Requires the user to have enrolled a factor, when the app's `enrollment`
 * policy says so and the grace period is over.
 * @example
 * @Get('admin/report') @RequireTwoFactorEnrollment() report() { … }
 */
export function RequireTwoFactorEnrollment(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(ENROLLMENT_GUARD),
    KeepSuccessResponse(),
    ApiUnauthorizedResponse({ description: 'unauthenticated', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: 'two_factor_enrollment_required: details.methods lists the methods to enrol in', type: ErrorResponseDto }),
  );
}
