import { Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { DeviceService } from '../../devices/device.service.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { DevicesRevokedDto, RememberedDeviceDto } from './dto/device.dto.js';
import { RequestUser } from '../input/request-user.js';
import { twoFactorOperationId } from '../openapi.js';
import { TwoFactorUserController } from './user-controller.decorator.js';

@TwoFactorUserController({ path: 'device/own', tag: 'two-factor: own remembered devices', access: 'signed-in', writes: false })
export class DeviceController {
  constructor(
    private readonly devices: DeviceService,
    private readonly requestUser: RequestUser,
  ) {}

  @Get('list')
  @ApiOperation({
    operationId: twoFactorOperationId('deviceList'),
    summary: "The signed-in user's remembered devices",
    description: 'Devices on which sign-in skips the second step, until they expire.',
  })
  @ApiOkResponse({ type: [RememberedDeviceDto] })
  async list(@Req() request: TwoFactorRequest): Promise<RememberedDeviceDto[]> {
    const { userId } = this.requestUser.signedIn(request);
    // Public views already (built field by field in PublicViewMapper): never the token's hash.
    return this.devices.list(userId);
  }

  @Delete(':id/destroy')
  @HttpCode(204)
  @ApiOperation({
    operationId: twoFactorOperationId('deviceDestroy'),
    summary: 'Forget a remembered device',
    description: 'Its next sign-in asks for the second factor again.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  @ApiNoContentResponse({ description: 'Forgotten.' })
  @ApiTwoFactorErrors(404)
  async destroy(@Req() request: TwoFactorRequest, @Param('id') id: string): Promise<void> {
    const caller = this.requestUser.signedIn(request);
    await this.devices.revoke(caller.userId, id, caller);
  }

  @Post('revoke-all')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('deviceRevokeAll'),
    summary: 'Forget every remembered device',
    description: 'Every device asks for the second factor at its next sign-in.',
  })
  @ApiOkResponse({ type: DevicesRevokedDto })
  async revokeAll(@Req() request: TwoFactorRequest): Promise<DevicesRevokedDto> {
    const caller = this.requestUser.signedIn(request);
    return { revoked: await this.devices.revokeAll(caller.userId, caller) };
  }
}
