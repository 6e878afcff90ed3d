import { Body, Controller, ForbiddenException, HttpCode, Post, Req } from '@nestjs/common';
import { ConfirmerService, RequireTwoFactor } from 'nestjs-two-factor';

// #region step-up
/** Host routes that demand a fresh second factor (step-up), declaratively and by hand. */
@Controller('payments')
export class PaymentsController {
  constructor(private readonly confirmer: ConfirmerService) {}

  /** Needs `X-Two-Factor-Confirmation: <confirmed confirmation id>`, and spends it: one confirmation, one transfer. */
  @Post('transfer')
  @HttpCode(200)
  @RequireTwoFactor()
  transfer(@Req() request: { twoFactorConfirmation?: { id: string } }) {
    return { done: true, proof: request.twoFactorConfirmation?.id };
  }

  /** The same by hand: the confirmation id in the body, spent with `ConfirmerService.use`. */
  @Post('close-account')
  @HttpCode(200)
  async close(@Req() request: { user?: { id: string } }, @Body() body: { confirmation_id?: unknown }) {
    if (!request.user || typeof body.confirmation_id !== 'string') throw new ForbiddenException();
    const { used } = await this.confirmer.use({ id: body.confirmation_id, userId: request.user.id, requireFactor: true });
    if (!used) throw new ForbiddenException();
    return { closed: true };
  }
}
// #endregion step-up
