import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { locatedGuard } from './located-guard.js';
import { TwoFactorStepUpGuard } from './two-factor-step-up.guard.js';

/** Works in any module of the host, not only where TwoFactorModule's providers are visible. */
const STEP_UP_GUARD = locatedGuard(TwoFactorStepUpGuard);

/**
 * Demands a fresh second-factor confirmation for this route (header
 * `X-Two-Factor-Confirmation: <confirmation id>`); answers 403
 * `two_factor_required` with the user's available factors otherwise. The used
 * confirmation is on `request.twoFactorConfirmation`.
 * @example
 * @Post('transfer') @RequireTwoFactor() transfer() { … }
 */
export function RequireTwoFactor(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(STEP_UP_GUARD),
    ApiHeader({
      name: 'X-Two-Factor-Confirmation',
      required: true,
      description: 'Id of a confirmed confirmation of one of your factors; used up by this request.',
    }),
    ApiTwoFactorErrors(401, 403, 503),
  );
}
