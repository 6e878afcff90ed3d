import { Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ConfirmerEngine } from '../../confirmations/confirmer.engine.js';
import { MethodConfigItemDto } from './dto/responses.dto.js';
import { twoFactorOperationId } from '../openapi.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { RequestUser } from '../input/request-user.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { TwoFactorUserController } from './user-controller.decorator.js';

// No sign-in needed.
@TwoFactorUserController({ path: 'method-config', tag: 'two-factor: method configs', access: 'anonymous', writes: false })
export class MethodConfigController {
  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly mapper: PublicViewMapper,
    private readonly requestUser: RequestUser,
  ) {}

  @Get('list/active')
  @ApiOperation({
    operationId: twoFactorOperationId('listActiveMethodConfigs'),
    summary: 'Active method configs',
    description: 'The methods users can enrol in, each with the JSON schema of its user config. No sign-in needed.',
  })
  @ApiOkResponse({ type: [MethodConfigItemDto] })
  async listActive(@Req() request: TwoFactorRequest): Promise<MethodConfigItemDto[]> {
    const { language } = this.requestUser.caller(request);
    return (await this.confirmer.getMethodConfigs()).map((config) => this.mapper.methodConfigItem(config, language));
  }
}
