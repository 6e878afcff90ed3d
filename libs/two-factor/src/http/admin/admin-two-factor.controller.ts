import { HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { RequestUser } from '../input/request-user.js';
import { twoFactorOperationId } from '../openapi.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { UserConfigAdminService } from '../../admin/user-config-admin.service.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { AdminTwoFactorRemovedDto } from './admin-response.dto.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';

/** Two-factor of a user as a whole: the admin's explicit "remove two-factor" (issue 18). */
@AdminController('user/:userId/two-factor')
@ApiParam({ name: 'userId', description: "The host app's user id.", example: '1' })
export class AdminTwoFactorController {
  constructor(
    private readonly userConfigs: UserConfigAdminService,
    private readonly requestUser: RequestUser,
  ) {}

  @Post('remove')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('adminTwoFactorRemove'),
    summary: 'Remove two-factor for a user',
    description:
      'Deletes every factor of the user with its confirmations, revokes remembered devices and pending sign-ins, and turns two-factor off: ' +
      'the password alone signs the user in again. The only admin action that does; audited as `two_factor.admin.two_factor.removed`.',
  })
  @ApiOkResponse({ type: AdminTwoFactorRemovedDto })
  @ApiAdminErrors()
  async remove(@Req() request: TwoFactorRequest, @Param('userId') userId: string): Promise<AdminTwoFactorRemovedDto> {
    const removed = await this.userConfigs.removeTwoFactor(userId, actorOf(this.requestUser, request));
    return { user_id: userId, removed_factors: removed };
  }
}
