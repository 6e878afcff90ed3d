import { Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { RequestUser } from '../input/request-user.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { UserConfigAdminService } from '../../admin/user-config-admin.service.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { AdminUserConfigDto } from './admin-response.dto.js';
import { AdminResponseMapper } from './admin-response.mapper.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';
import { parseId, parseUserId } from '../input/path-id.js';
import { twoFactorOperationId } from '../openapi.js';

@AdminController('user/:userId/user-config')
@ApiParam({ name: 'userId', description: "The host app's user id.", example: '1' })
export class AdminUserConfigController {
  constructor(
    private readonly userConfigs: UserConfigAdminService,
    private readonly requestUser: RequestUser,
    private readonly mapper: AdminResponseMapper,
  ) {}

  @Get('list')
  @ApiOperation({
    operationId: twoFactorOperationId('adminUserConfigList'),
    summary: "A user's factors",
    description: 'Every user config of the user, of any method config, with its status and failure count; the public view of its config only.',
  })
  @ApiOkResponse({ type: [AdminUserConfigDto] })
  async list(@Req() request: TwoFactorRequest, @Param('userId') userId: string): Promise<AdminUserConfigDto[]> {
    // Admin views already (PublicViewMapper.adminUserConfig): the public view of each config only.
    return this.userConfigs.list(parseUserId(userId), actorOf(this.requestUser, request));
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('adminUserConfigUnlock'),
    summary: 'Unlock a factor',
    description:
      'Forgets its run of wrong codes (ending a lockout or cooldown); a locked factor comes back as it was: confirmed when it had been proven, else in_process. Revokes the user’s remembered devices and pending sign-ins.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiOkResponse({ type: AdminUserConfigDto })
  @ApiAdminErrors(404)
  async unlock(@Req() request: TwoFactorRequest, @Param('userId') userId: string, @Param('id') id: string): Promise<AdminUserConfigDto> {
    return this.userConfigs.unlock(parseUserId(userId), parseId(id, 'User config'), actorOf(this.requestUser, request));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('adminUserConfigDeactivate'),
    summary: 'Switch a factor off',
    description:
      'The lost-device path: the factor stays listed but can no longer confirm; its pending codes, the user’s remembered devices and pending sign-ins are revoked. Two-factor stays on (see two-factor/remove).',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiOkResponse({ type: AdminUserConfigDto })
  @ApiAdminErrors(404)
  async deactivate(@Req() request: TwoFactorRequest, @Param('userId') userId: string, @Param('id') id: string): Promise<AdminUserConfigDto> {
    return this.userConfigs.deactivate(parseUserId(userId), parseId(id, 'User config'), actorOf(this.requestUser, request));
  }

  @Delete(':id/destroy')
  @HttpCode(204)
  @ApiOperation({
    operationId: twoFactorOperationId('adminUserConfigDestroy'),
    summary: 'Delete a factor',
    description:
      'With its confirmations and failure count; revokes the user’s remembered devices and pending sign-ins. Two-factor stays on (see two-factor/remove).',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiAdminErrors(404)
  async destroy(@Req() request: TwoFactorRequest, @Param('userId') userId: string, @Param('id') id: string): Promise<void> {
    await this.userConfigs.remove(parseUserId(userId), parseId(id, 'User config'), actorOf(this.requestUser, request));
  }
}
