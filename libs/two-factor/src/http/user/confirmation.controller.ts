import { Body, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ConfirmerEngine } from '../../confirmations/confirmer.engine.js';
import { ConfirmationExpiredError } from '../../errors/confirmation.errors.js';
import { NotFoundError } from '../../errors/request.errors.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { ApiTwoFactorErrors } from '../errors/api-errors.decorator.js';
import { twoFactorOperationId } from '../openapi.js';
import { ConfirmConfirmationDto, RequestConfirmationDto } from './dto/request-bodies.dto.js';
import { ConfirmationDto } from './dto/responses.dto.js';
import { RequestUser } from '../input/request-user.js';
import { PublicViewMapper } from '../../public-api/public-view.mapper.js';
import { TwoFactorUserController } from './user-controller.decorator.js';

// Optional auth: anonymous callers get bearer confirmations, signed-in ones their own.
@TwoFactorUserController({ path: 'confirmation', tag: 'two-factor: confirmations', access: 'optional', writes: true })
export class ConfirmationController {
  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly requestUser: RequestUser,
    private readonly mapper: PublicViewMapper,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  @Post('request')
  @ApiOperation({
    operationId: twoFactorOperationId('requestConfirmation'),
    summary: 'Request a confirmation',
    description:
      'For one of your own factors (user_config_id), or method-level (method_config_id). A signed-in caller owns the confirmation; an anonymous one gets a bearer confirmation whose id is the secret. `challenge` carries the public data the client needs to answer (WebAuthn request options, a masked destination), or null. With `action` and `details` it approves that one operation only (a route bound to it); sent codes name the details, a WebAuthn challenge is bound to them.',
  })
  @ApiCreatedResponse({ type: ConfirmationDto })
  @ApiTwoFactorErrors(400, 403, 404, 429, 502, 413, 415)
  async request(@Req() request: TwoFactorRequest, @Body() body: RequestConfirmationDto): Promise<ConfirmationDto> {
    // Named, not spread: an object spread here was a measurable part of each request (as in confirm).
    const { userId, clientIp, language } = this.requestUser.caller(request);
    const { confirmation, challenge } = await this.confirmer.requestConfirmation({
      userId,
      clientIp,
      language,
      methodConfigId: body.method_config_id,
      userConfigId: body.user_config_id,
      data: body.data,
      action: body.action,
      details: body.details,
    });
    const response: ConfirmationDto = this.mapper.confirmation(confirmation, false, challenge);
    // The module's own route only (host code never gets it). Development only (refused in production at startup): the seed's DEBUG_CODE_RESPONSE.
    if (this.options.debugCodeResponse && challenge.debugCode !== undefined) response.debug_code = challenge.debugCode;
    return response;
  }

  @Get(':id/check')
  @ApiOperation({
    operationId: twoFactorOperationId('checkConfirmation'),
    summary: 'Check a confirmation',
    description:
      'Its status, whether it is usable as a proof now, its expiry, the attempts left, and the operation it approves (`action`, `details`: show them to the user).',
  })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  @ApiOkResponse({ type: ConfirmationDto })
  @ApiTwoFactorErrors(404, 410)
  async check(@Req() request: TwoFactorRequest, @Param('id') id: string): Promise<ConfirmationDto> {
    const { available, confirmation } = await this.confirmer.check({ userId: this.requestUser.userId(request), id });
    if (!confirmation) throw new NotFoundError('Confirmation');
    if (confirmation.expires_at.getTime() <= Date.now()) throw new ConfirmationExpiredError();
    return this.mapper.confirmation(confirmation, available);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('confirmConfirmation'),
    summary: 'Confirm with a code',
    description: 'Or, for WebAuthn, with the assertion response. Five wrong answers lock the confirmation; then even the right one is refused.',
  })
  @ApiOkResponse({ type: ConfirmationDto })
  @ApiTwoFactorErrors(400, 403, 404, 409, 410, 429, 413, 415)
  async confirm(@Req() request: TwoFactorRequest, @Body() body: ConfirmConfirmationDto): Promise<ConfirmationDto> {
    // Named, not spread: the profile put 5% of a confirm's CPU on Fastify on the one line `{ ...caller, id, data }`.
    const { userId, clientIp, language } = this.requestUser.caller(request);
    const confirmation = await this.confirmer.confirm({ userId, clientIp, language, id: body.id, data: body.data });
    return this.mapper.confirmation(confirmation, true);
  }
}
