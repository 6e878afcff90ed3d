import { Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AuditTrail } from '../../events/audit-trail.js';
import { TwoFactorEvent } from '../../events/two-factor.events.js';
import { RequestUser } from '../input/request-user.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { MethodConfigService } from '../../admin/method-config.service.js';
import type { PublicAdminMethodConfig } from '../../public-api/public-views.js';
import { AdminController, actorOf } from './admin-controller.decorator.js';
import { CreateMethodConfigDto, DeleteMethodConfigQueryDto, UpdateMethodConfigDto } from './admin-request.dto.js';
import { AdminMethodConfigDto } from './admin-response.dto.js';
import { AdminResponseMapper } from './admin-response.mapper.js';
import { ApiAdminErrors } from './api-admin-errors.decorator.js';
import { parseId } from '../input/path-id.js';
import { twoFactorOperationId } from '../openapi.js';

@AdminController('method-config')
export class AdminMethodConfigController {
  constructor(
    private readonly methodConfigs: MethodConfigService,
    private readonly requestUser: RequestUser,
    private readonly mapper: AdminResponseMapper,
    private readonly audit: AuditTrail,
  ) {}

  @Get('list')
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigList'),
    summary: 'All method configs',
    description: 'Active or not, registered or not, with their global configs.',
  })
  @ApiOkResponse({ type: [AdminMethodConfigDto] })
  async list(@Req() request: TwoFactorRequest): Promise<AdminMethodConfigDto[]> {
    const actor = actorOf(this.requestUser, request);
    const [configs, counts] = await Promise.all([this.methodConfigs.list(actor.language), this.methodConfigs.userConfigCounts()]);
    this.audit.emit(TwoFactorEvent.AdminMethodConfigsListed, { userId: null, adminId: actor.adminId, clientIp: actor.clientIp, count: configs.length });
    return configs.map((config) => this.mapper.methodConfig(config, counts.get(config.id) ?? 0));
  }

  @Post('create')
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigCreate'),
    summary: 'Create a method config',
    description: "The global config is validated against the method's DTO; defaults fill what is left out.",
  })
  @ApiCreatedResponse({ type: AdminMethodConfigDto })
  @ApiAdminErrors(400)
  async create(@Req() request: TwoFactorRequest, @Body() body: CreateMethodConfigDto): Promise<AdminMethodConfigDto> {
    const created = await this.methodConfigs.create(
      { method: body.method, title: body.title, config: body.config, isActive: body.is_active, isDefault: body.is_default },
      actorOf(this.requestUser, request),
    );
    return this.mapper.methodConfig(created, 0);
  }

  @Put(':id/update')
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigUpdate'),
    summary: 'Change a method config',
    description: 'Only the fields given change; `config` replaces the global config whole, validated.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  @ApiOkResponse({ type: AdminMethodConfigDto })
  @ApiAdminErrors(400, 404)
  update(@Req() request: TwoFactorRequest, @Param('id') id: string, @Body() body: UpdateMethodConfigDto): Promise<AdminMethodConfigDto> {
    return this.change(request, id, body);
  }

  @Patch(':id/update')
  @ApiOperation({ operationId: twoFactorOperationId('adminMethodConfigPatch'), summary: 'Change a method config (same as PUT)' })
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  @ApiOkResponse({ type: AdminMethodConfigDto })
  @ApiAdminErrors(400, 404)
  patch(@Req() request: TwoFactorRequest, @Param('id') id: string, @Body() body: UpdateMethodConfigDto): Promise<AdminMethodConfigDto> {
    return this.change(request, id, body);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigActivate'),
    summary: 'Offer a method config',
    description: 'Refused (400) when its method is not registered or its stored global config is invalid.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  @ApiOkResponse({ type: AdminMethodConfigDto })
  @ApiAdminErrors(400, 404)
  async activate(@Req() request: TwoFactorRequest, @Param('id') id: string): Promise<AdminMethodConfigDto> {
    return this.withCount(await this.methodConfigs.activate(parseId(id, 'Method config'), actorOf(this.requestUser, request)));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigDeactivate'),
    summary: 'Stop offering a method config',
    description: 'Its user configs stay, unavailable; its confirmations can no longer be confirmed, checked or used.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  @ApiOkResponse({ type: AdminMethodConfigDto })
  @ApiAdminErrors(404)
  async deactivate(@Req() request: TwoFactorRequest, @Param('id') id: string): Promise<AdminMethodConfigDto> {
    return this.withCount(await this.methodConfigs.deactivate(parseId(id, 'Method config'), actorOf(this.requestUser, request)));
  }

  @Delete(':id/destroy')
  @HttpCode(204)
  @ApiOperation({
    operationId: twoFactorOperationId('adminMethodConfigDestroy'),
    summary: 'Delete a method config',
    description: 'Refused with 409 method_config_in_use while it has user configs, unless cascade=true, which deletes them and their confirmations too.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiAdminErrors(400, 404, 409)
  async destroy(@Req() request: TwoFactorRequest, @Param('id') id: string, @Query() query: DeleteMethodConfigQueryDto): Promise<void> {
    await this.methodConfigs.remove(parseId(id, 'Method config'), { cascade: query.cascade === 'true' }, actorOf(this.requestUser, request));
  }

  private async change(request: TwoFactorRequest, id: string, body: UpdateMethodConfigDto): Promise<AdminMethodConfigDto> {
    const changed = await this.methodConfigs.update(
      parseId(id, 'Method config'),
      { title: body.title, config: body.config, isActive: body.is_active, isDefault: body.is_default },
      actorOf(this.requestUser, request),
    );
    return this.withCount(changed);
  }

  private async withCount(config: PublicAdminMethodConfig): Promise<AdminMethodConfigDto> {
    const counts = await this.methodConfigs.userConfigCounts();
    return this.mapper.methodConfig(config, counts.get(config.id) ?? 0);
  }
}
