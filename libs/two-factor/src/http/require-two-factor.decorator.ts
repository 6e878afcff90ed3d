import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiHeader } from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/responses.dto.js';
import { TwoFactorStepUpGuard } from './two-factor-step-up.guard.js';

export { TWO_FACTOR_HEADER, TwoFactorStepUpGuard } from './two-factor-step-up.guard.js';

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
    UseGuards(TwoFactorStepUpGuard),
    ApiHeader({ name: 'X-Two-Factor-Confirmation', required: true, description: 'Id of a confirmed confirmation of one of your factors; used up by this request.' }),
    ApiForbiddenResponse({ description: 'two_factor_required: details.available lists the factors you can confirm', type: ErrorResponseDto }),
  );
}
