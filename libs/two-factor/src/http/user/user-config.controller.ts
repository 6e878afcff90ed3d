import { applyDecorators, Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { UserConfigService } from '../../factors/user-config.service.js';
import { invalidField, ValidationFailedError } from '../../errors/request.errors.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { twoFactorOperationId } from '../openapi.js';
import { ConfirmUserConfigDto, CreateUserConfigDto, UpdateUserConfigDto } from './dto/request-bodies.dto.js';
import { UserConfigChangeDto, UserConfigItemDto } from './dto/responses.dto.js';
import { parseId } from '../input/path-id.js';
import { RequestUser } from '../input/request-user.js';
import { TWO_FACTOR_HEADER } from '../step-up/two-factor-step-up.guard.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { TwoFactorUserController } from './user-controller.decorator.js';

/** Documents the step-up header of the routes that change or add a factor. */
function ApiStepUp(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'X-Two-Factor-Confirmation',
      required: false,
      description: 'Confirmed confirmation of one of your available factors; needed (and used up) once you have a confirmed factor.',
    }),
    ApiTwoFactorErrors(403),
  );
}

function proofOf(request: TwoFactorRequest): { proofId?: string } {
  const header = request.headers?.[TWO_FACTOR_HEADER];
  return { proofId: typeof header === 'string' ? header : undefined };
}

/** The fields an update may change. */
const UPDATE_FIELDS = ['config', 'title', 'nickname', 'is_active', 'is_default'] as const;

/**
 * The factor's name from a body: `nickname` is the REST API's name of the user's own title (one column);
 * `title` stays for compatibility. Both given with different values: 400, nothing changes.
 */
function nameOf(body: { title?: string; nickname?: string }): string | undefined {
  if (body.nickname !== undefined && body.title !== undefined && body.nickname !== body.title) {
    throw new ValidationFailedError([invalidField('nickname', 'validation.nickname_conflicts_title')]);
  }
  return body.nickname ?? body.title;
}

@TwoFactorUserController({ path: 'user-config/own', tag: 'two-factor: own user configs', access: 'signed-in', writes: true })
export class UserConfigController {
  constructor(
    private readonly userConfigs: UserConfigService,
    private readonly requestUser: RequestUser,
    private readonly mapper: PublicViewMapper,
  ) {}

  @Get('list')
  @ApiOperation({ operationId: twoFactorOperationId('listOwnUserConfigs'), summary: "The signed-in user's factors" })
  @ApiOkResponse({ type: [UserConfigItemDto] })
  async list(@Req() request: TwoFactorRequest): Promise<UserConfigItemDto[]> {
    const { userId, language } = this.requestUser.signedIn(request);
    const items = await this.userConfigs.list(userId);
    return items.map((item) => this.mapper.factorItem(item, language));
  }

  @Post('create')
  @ApiOperation({
    operationId: twoFactorOperationId('createOwnUserConfig'),
    summary: 'Enrol in a method',
    description: 'Returns the new factor, the confirmation to prove it with (or null), and one-time enrolment data (shown only here).',
  })
  @ApiCreatedResponse({ type: UserConfigChangeDto })
  @ApiTwoFactorErrors(400, 404, 429, 502, 413, 415)
  @ApiStepUp()
  async create(@Req() request: TwoFactorRequest, @Body() body: CreateUserConfigDto): Promise<UserConfigChangeDto> {
    const caller = this.requestUser.signedIn(request);
    const result = await this.userConfigs.create(
      caller.userId,
      { methodConfigId: body.method_config_id, config: body.config, title: nameOf(body), isActive: body.is_active, isDefault: body.is_default },
      caller,
      proofOf(request),
    );
    return this.mapper.userConfigChange(result, caller.language);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('confirmOwnUserConfig'),
    summary: 'Prove a factor',
    description:
      'Confirms the user config with the code of the confirmation issued for it. A factor enrolled before two-factor was on for the user ' +
      '(so without a proof) needs a proof from another available factor.',
  })
  @ApiStepUp()
  @ApiOkResponse({ type: UserConfigItemDto })
  @ApiTwoFactorErrors(400, 404, 409, 410, 429, 413, 415)
  async confirm(@Req() request: TwoFactorRequest, @Body() body: ConfirmUserConfigDto): Promise<UserConfigItemDto> {
    const caller = this.requestUser.signedIn(request);
    const item = await this.userConfigs.confirm(
      caller.userId,
      { id: body.id, confirmationId: body.confirmation_id, data: body.data },
      caller,
      proofOf(request),
    );
    return this.mapper.factorItem(item, caller.language);
  }

  @Put(':id/update')
  @ApiOperation({
    operationId: twoFactorOperationId('updateOwnUserConfig'),
    summary: 'Change a factor',
    description: 'Only the fields given change. A config change the method wants proven issues a new confirmation and voids older ones.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiOkResponse({ type: UserConfigChangeDto })
  @ApiTwoFactorErrors(400, 404, 429, 502, 413, 415)
  @ApiStepUp()
  update(@Req() request: TwoFactorRequest, @Param('id') id: string, @Body() body: UpdateUserConfigDto): Promise<UserConfigChangeDto> {
    return this.change(request, id, body);
  }

  @Patch(':id/update')
  @ApiOperation({ operationId: twoFactorOperationId('patchOwnUserConfig'), summary: 'Change a factor (same as PUT)' })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiOkResponse({ type: UserConfigChangeDto })
  @ApiTwoFactorErrors(400, 404, 429, 502, 413, 415)
  @ApiStepUp()
  patch(@Req() request: TwoFactorRequest, @Param('id') id: string, @Body() body: UpdateUserConfigDto): Promise<UserConfigChangeDto> {
    return this.change(request, id, body);
  }

  @Delete(':id/destroy')
  @HttpCode(204)
  @ApiOperation({
    operationId: twoFactorOperationId('destroyOwnUserConfig'),
    summary: 'Remove a factor',
    description: 'Its confirmations are removed with it.',
  })
  @ApiParam({ name: 'id', type: 'integer', example: 7 })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiTwoFactorErrors(404)
  @ApiStepUp()
  async destroy(@Req() request: TwoFactorRequest, @Param('id') id: string): Promise<void> {
    const caller = this.requestUser.signedIn(request);
    await this.userConfigs.remove(caller.userId, parseId(id, 'User config'), caller, proofOf(request));
  }

  private async change(request: TwoFactorRequest, id: string, body: UpdateUserConfigDto): Promise<UserConfigChangeDto> {
    const caller = this.requestUser.signedIn(request);
    // An update that names nothing would succeed and report a change that never happened.
    if (UPDATE_FIELDS.every((field) => body[field] === undefined)) {
      throw new ValidationFailedError([invalidField('body', 'validation.body_empty_update', { fields: UPDATE_FIELDS.join(', ') })]);
    }
    const result = await this.userConfigs.update(
      caller.userId,
      parseId(id, 'User config'),
      { config: body.config, title: nameOf(body), isActive: body.is_active, isDefault: body.is_default },
      caller,
      proofOf(request),
    );
    return this.mapper.userConfigChange(result, caller.language);
  }
}
