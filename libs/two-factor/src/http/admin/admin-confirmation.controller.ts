import { Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RequestUser } from '../input/request-user.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { ConfirmationAdminService } from '../../admin/confirmation-admin.service.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { SearchConfirmationsQueryDto } from './admin-request.dto.js';
import { AdminConfirmationPageDto } from './admin-response.dto.js';
import { AdminResponseMapper } from './admin-response.mapper.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';
import { twoFactorOperationId } from '../openapi.js';

@AdminController('confirmation')
export class AdminConfirmationController {
  constructor(
    private readonly confirmations: ConfirmationAdminService,
    private readonly requestUser: RequestUser,
    private readonly mapper: AdminResponseMapper,
  ) {}

  @Get('search')
  @ApiOperation({
    operationId: twoFactorOperationId('adminConfirmationSearch'),
    summary: 'Search confirmations',
    description: 'By user, method config, user config, status, expiry and age; newest first, paginated. Never their private state.',
  })
  @ApiOkResponse({ type: AdminConfirmationPageDto })
  @ApiAdminErrors(400)
  async search(@Req() request: TwoFactorRequest, @Query() query: SearchConfirmationsQueryDto): Promise<AdminConfirmationPageDto> {
    const page = await this.confirmations.search(
      {
        userId: query.user_id,
        methodConfigId: query.method_config_id,
        userConfigId: query.user_config_id,
        status: query.status,
        expired: query.expired === undefined ? undefined : query.expired === 'true',
        minAgeSeconds: query.min_age_seconds,
        maxAgeSeconds: query.max_age_seconds,
      },
      query.page,
      query.page_size,
      actorOf(this.requestUser, request),
    );
    return this.mapper.confirmationPage(page);
  }
}
