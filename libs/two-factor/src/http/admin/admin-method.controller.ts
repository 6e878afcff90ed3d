import { Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuditTrail } from '../../events/audit-trail.js';
import { TwoFactorEvent } from '../../events/two-factor.events.js';
import { RequestUser } from '../input/request-user.js';
import { MethodRegistry } from '../../method-api/method-registry.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { AdminMethodDto } from './admin-response.dto.js';
import { AdminResponseMapper } from './admin-response.mapper.js';
import { twoFactorOperationId } from '../openapi.js';

@AdminController('method')
export class AdminMethodController {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly requestUser: RequestUser,
    private readonly mapper: AdminResponseMapper,
    private readonly audit: AuditTrail,
  ) {}

  @Get('list')
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodList'),
    summary: 'Registered methods',
    description: 'Each with its verbose name, the JSON schemas of its global and user configs (what a form builder renders) and its global defaults.',
  })
  @ApiOkResponse({ type: [AdminMethodDto] })
  list(@Req() request: TwoFactorRequest): AdminMethodDto[] {
    const actor = actorOf(this.requestUser, request);
    this.audit.emit(TwoFactorEvent.AdminMethodsListed, { userId: null, adminId: actor.adminId, clientIp: actor.clientIp });
    return this.registry.all().map((descriptor) => this.mapper.method(descriptor, this.requestUser.caller(request).language));
  }
}
