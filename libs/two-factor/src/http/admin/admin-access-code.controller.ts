import { Body, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { RequestUser } from '../input/request-user.js';
import { twoFactorOperationId } from '../openapi.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { AccessCodeAdminService } from '../../admin/access-code-admin.service.js';
import { NotFoundError } from '../../errors/request.errors.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { IssueAccessCodeDto } from './admin-request.dto.js';
import { AdminAccessCodeDto } from './admin-response.dto.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';

/** The user id column's width: a longer path id names nobody. */
const MAX_USER_ID_LENGTH = 255;

/** Temporary access codes (issue 22): the lost-device path instead of deleting a user's factors. */
@AdminController('user/:userId/access-code')
@ApiParam({ name: 'userId', description: "The host app's user id.", example: '1' })
export class AdminAccessCodeController {
  constructor(
    private readonly accessCodes: AccessCodeAdminService,
    private readonly requestUser: RequestUser,
  ) {}

  @Post()
  @ApiOperation({
    operationId: twoFactorOperationId('adminAccessCodeIssue'),
    summary: 'Issue a temporary access code for a user',
    description:
      'A single-use code (default lifetime 1 hour, at most 24 hours) that the user types at the second step of sign-in ' +
      '(`POST <sign-in path>/access-code`) to enrol a new factor: it gives no session by itself and passes no step-up. ' +
      'Confirming the new factor revokes every old factor and remembered device. Shown once; a new code replaces the last. ' +
      'Audited as `two_factor.admin.access_code.issued`, its use as `two_factor.access_code.used`.',
  })
  @ApiCreatedResponse({ type: AdminAccessCodeDto })
  @ApiAdminErrors(400)
  async issue(@Req() request: TwoFactorRequest, @Param('userId') userId: string, @Body() body: IssueAccessCodeDto): Promise<AdminAccessCodeDto> {
    if (userId.length > MAX_USER_ID_LENGTH) throw new NotFoundError('Object');
    const issued = await this.accessCodes.issue(userId, body.lifetime_seconds, actorOf(this.requestUser, request));
    return { code: issued.code, expires_at: issued.expiresAt.toISOString() };
  }
}
