import { Controller, Get, Req, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConfirmerEngine } from '../../confirmations/confirmer.engine.js';
import { TwoFactorPublicRoute } from '../public-route.js';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { MethodConfigItemDto } from './dto/responses.dto.js';
import { twoFactorOperationId } from '../openapi.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { RequestUser } from '../input/request-user.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { TwoFactorExceptionFilter } from '../errors/two-factor-exception.filter.js';

@ApiTags('two-factor: method configs')
// No sign-in needed.
@ApiSecurity({})
@TwoFactorPublicRoute('anonymous')
@UseFilters(TwoFactorExceptionFilter)
@ApiTwoFactorErrors(503)
@Controller('method-config')
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
