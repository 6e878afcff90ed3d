import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards, UsePipes, type Type } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { TwoFactorPublicRoute } from '../public-route.js';
import { JsonBodyGuard } from '../input/json-body.guard.js';
import { twoFactorOperationId } from '../openapi.js';
import { TwoFactorExceptionFilter } from '../errors/two-factor-exception.filter.js';
import { createTwoFactorValidationPipe } from '../input/validation.pipe.js';
import { MessageTranslator } from '../../translation/message-translator.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import { SignInService } from '../../sign-in/sign-in.service.js';
import { appendSetCookie, deviceSetCookie, deviceTokenOf, signInPathOf } from './device-cookie.js';
import { ApiSignInErrors } from './sign-in-api-errors.js';
import { SignInBodyMapper } from './sign-in-body.mapper.js';
import { TWO_FACTOR_SIGN_IN_HANDLER, type SignInHandler } from './sign-in-handler.js';
import { UserConfigChangeDto } from '../user/dto/responses.dto.js';
import {
  TwoFactorAccessCodeBodyDto,
  TwoFactorEnrollmentOpenDto,
  TwoFactorRecoveryCancelBodyDto,
  TwoFactorRecoveryCancelledDto,
  TwoFactorRecoveryStartBodyDto,
  TwoFactorRecoveryStartedDto,
  TwoFactorSignInEnrolBodyDto,
  TwoFactorSignInEnrolConfirmBodyDto,
  TwoFactorSignInChallengeDto,
  TwoFactorSignInConfirmBodyDto,
  TwoFactorSignInPasswordDto,
  TwoFactorSignInRequestBodyDto,
  TwoFactorSignInRequiredDto,
} from './sign-in-routes.dto.js';

/** The device cookie as the routes write it: every default filled in. Internal. */
export const SIGN_IN_COOKIE = Symbol('TwoFactorSignInCookie');
export interface ResolvedSignInCookie {
  name: string;
  secure: boolean;
  path?: string;
}

/** The session body the host's `issueSession` returns: any JSON object. */
const SESSION_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description: "The host's session fields; with a backup code also `remaining`: how many codes of the set are left.",
  properties: { remaining: { type: 'integer', minimum: 0, example: 2, description: 'Only when a backup code signed in: codes of the set left.' } },
  example: { access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', token_type: 'Bearer', remaining: 2 },
};

/**
 * The three sign-in routes the module ships (`signInRoutes`), with the host's
 * password check and session issuing (`SignInHandler`) at either end and
 * `SignInService` in between. Mounted at the host's path by `signInRoutesAt`.
 */
@ApiTags('two-factor: sign-in')
@ApiSecurity({})
@ApiExtraModels(TwoFactorSignInRequiredDto)
@TwoFactorPublicRoute('anonymous')
@UseFilters(TwoFactorExceptionFilter)
@UseGuards(JsonBodyGuard)
@UsePipes(createTwoFactorValidationPipe())
@ApiSignInErrors(503)
export class SignInRoutesController {
  constructor(
    private readonly signIn: SignInService,
    private readonly translator: MessageTranslator,
    @Inject(TWO_FACTOR_SIGN_IN_HANDLER) private readonly handler: SignInHandler,
    @Inject(SIGN_IN_COOKIE) private readonly cookie: ResolvedSignInCookie,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('signIn'),
    summary: 'Sign in: username and password',
    description:
      'Without an available second factor, or from a remembered device (its cookie, or the X-Two-Factor-Device header), this answers the session. ' +
      'Otherwise `two_factor_required` with a `sign_in_token` for `<path>/request` and `<path>/confirm`.',
  })
  @ApiBody({ type: TwoFactorSignInPasswordDto })
  @ApiOkResponse({ schema: { oneOf: [SESSION_SCHEMA, { $ref: getSchemaPath(TwoFactorSignInRequiredDto) }] } })
  @ApiSignInErrors(400, 401, 403, 413, 415)
  async password(@Body() body: TwoFactorSignInPasswordDto, @Req() request: TwoFactorRequest): Promise<Record<string, unknown> | TwoFactorSignInRequiredDto> {
    const id = await this.handler.verifyPassword(body.username, body.password, request);
    if (id === null || id === undefined || id === '') throw new UnauthenticatedError();
    const started = await this.signIn.start(String(id), { deviceToken: deviceTokenOf(request, this.cookie.name), clientIp: this.clientIp(request) });
    if (!started.twoFactorRequired) return this.handler.issueSession(started.userId, request);
    return SignInBodyMapper.required(started);
  }

  @Post('request')
  @ApiOperation({
    operationId: twoFactorOperationId('signInRequest'),
    summary: 'Sign in, second step 1: ask for a confirmation',
    description: 'Of one of the factors the first step listed; email and SMS codes are sent now, in the language of the request.',
  })
  @ApiCreatedResponse({ type: TwoFactorSignInChallengeDto })
  @ApiSignInErrors(400, 401, 403, 404, 429, 502, 413, 415)
  async request(@Body() body: TwoFactorSignInRequestBodyDto, @Req() request: TwoFactorRequest): Promise<TwoFactorSignInChallengeDto> {
    const issued = await this.signIn.requestConfirmation(body.sign_in_token, body.user_config_id, {
      clientIp: this.clientIp(request),
      language: this.translator.languageOf(request),
    });
    return SignInBodyMapper.challenge(issued);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('signInConfirm'),
    summary: 'Sign in, second step 2: the code, then the session',
    description:
      'Wrong codes count against the factor. With `remember_device` the answer sets the HttpOnly device cookie (SameSite=Strict, only to the sign-in path); ' +
      'later sign-ins from this device skip the second step.',
  })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiSignInErrors(400, 401, 403, 404, 409, 410, 429, 413, 415)
  async confirm(
    @Body() body: TwoFactorSignInConfirmBodyDto,
    @Req() request: TwoFactorRequest,
    @Res({ passthrough: true }) response: Record<string, any>,
  ): Promise<Record<string, unknown>> {
    const userAgent = request.headers?.['user-agent'];
    const done = await this.signIn.confirm(body.sign_in_token, {
      data: body.data,
      rememberDevice: body.remember_device === true,
      deviceLabel: typeof userAgent === 'string' ? userAgent.slice(0, 255) : undefined,
      clientIp: this.clientIp(request),
    });
    const session = await this.handler.issueSession(done.userId, request);
    if (done.device) {
      const path = this.cookie.path ?? signInPathOf(request);
      appendSetCookie(response, deviceSetCookie(this.cookie.name, done.device.token, new Date(done.device.device.expires_at), path, this.cookie.secure));
    }
    // A backup code signed in: how many of its set are left, beside the host's session fields.
    return done.remaining === undefined ? session : { ...session, remaining: done.remaining };
  }

  @Post('recovery/start')
  @HttpCode(202)
  @ApiOperation({
    operationId: twoFactorOperationId('signInRecoveryStart'),
    summary: 'Lost every factor: start a recovery (nothing opens now)',
    description:
      "Needs the recovery option. Every email and SMS factor of the user (and the host's RecoveryNotifier) gets a cancel code at once; " +
      'from `not_before` on (72 hours by default) a password sign-in may enrol a new factor, unless the owner cancels or signs in with a factor first. ' +
      'At most one per user; rate-limited per user and per client address.',
  })
  @ApiAcceptedResponse({ type: TwoFactorRecoveryStartedDto })
  @ApiSignInErrors(400, 401, 404, 409, 429, 413, 415)
  async recoveryStart(@Body() body: TwoFactorRecoveryStartBodyDto, @Req() request: TwoFactorRequest): Promise<TwoFactorRecoveryStartedDto> {
    const started = await this.signIn.startRecovery(body.sign_in_token, { clientIp: this.clientIp(request), language: this.translator.languageOf(request) });
    return { recovery_id: started.recoveryId, not_before: started.notBefore.toISOString() };
  }

  @Post('recovery/cancel')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('signInRecoveryCancel'),
    summary: 'Cancel a recovery with the code that was sent',
    description: "No session needed: the code went only to the account's own channels. Then change the password: whoever started it knows it.",
  })
  @ApiOkResponse({ type: TwoFactorRecoveryCancelledDto })
  @ApiSignInErrors(400, 404, 429, 413, 415)
  async recoveryCancel(@Body() body: TwoFactorRecoveryCancelBodyDto, @Req() request: TwoFactorRequest): Promise<TwoFactorRecoveryCancelledDto> {
    const cancelled = await this.signIn.cancelRecovery(body.cancel_code, { clientIp: this.clientIp(request) });
    return { cancelled: true, recovery_id: cancelled.recoveryId };
  }

  @Post('access-code')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('signInAccessCode'),
    summary: "Second step with an admin's temporary access code: opens enrolment only",
    description: 'Single use. Gives no session: enrol a new factor (`<path>/enrollment`) and confirm it (`<path>/enrollment/confirm`) to get one.',
  })
  @ApiOkResponse({ type: TwoFactorEnrollmentOpenDto })
  @ApiSignInErrors(400, 401, 429, 413, 415)
  async accessCode(@Body() body: TwoFactorAccessCodeBodyDto, @Req() request: TwoFactorRequest): Promise<TwoFactorEnrollmentOpenDto> {
    const opened = await this.signIn.useAccessCode(body.sign_in_token, body.code, { clientIp: this.clientIp(request) });
    return { enrollment_open: true, opened_by: opened.openedBy, expires_at: opened.expiresAt.toISOString() };
  }

  @Post('enrollment')
  @ApiOperation({
    operationId: twoFactorOperationId('signInEnrol'),
    summary: 'Enrol a new factor inside the sign-in (recovery over, or access code used)',
    description: 'As `user-config/own/create/`, through the sign-in token. The factor is usable for nothing until `<path>/enrollment/confirm`.',
  })
  @ApiCreatedResponse({ type: UserConfigChangeDto })
  @ApiSignInErrors(400, 401, 403, 404, 429, 502, 413, 415)
  async enrol(@Body() body: TwoFactorSignInEnrolBodyDto, @Req() request: TwoFactorRequest): Promise<UserConfigChangeDto> {
    return this.signIn.enrol(body.sign_in_token, {
      methodConfigId: body.method_config_id,
      config: body.config,
      title: body.title,
      clientIp: this.clientIp(request),
      language: this.translator.languageOf(request),
    }) as Promise<UserConfigChangeDto>;
  }

  @Post('enrollment/confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: twoFactorOperationId('signInEnrolConfirm'),
    summary: 'Prove the new factor: the session, and every old factor and device revoked',
    description: "Completes the sign-in. In the same transaction the user's other factors and remembered devices are revoked.",
  })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiSignInErrors(400, 401, 403, 404, 409, 410, 429, 413, 415)
  async enrolConfirm(
    @Body() body: TwoFactorSignInEnrolConfirmBodyDto,
    @Req() request: TwoFactorRequest,
    @Res({ passthrough: true }) response: Record<string, any>,
  ): Promise<Record<string, unknown>> {
    const userAgent = request.headers?.['user-agent'];
    const done = await this.signIn.confirmEnrollment(body.sign_in_token, {
      userConfigId: body.id,
      confirmationId: body.confirmation_id,
      data: body.data,
      rememberDevice: body.remember_device === true,
      deviceLabel: typeof userAgent === 'string' ? userAgent.slice(0, 255) : undefined,
      clientIp: this.clientIp(request),
    });
    const session = await this.handler.issueSession(done.userId, request);
    if (done.device) {
      const path = this.cookie.path ?? signInPathOf(request);
      appendSetCookie(response, deviceSetCookie(this.cookie.name, done.device.token, new Date(done.device.device.expires_at), path, this.cookie.secure));
    }
    return session;
  }

  private clientIp(request: TwoFactorRequest): string | undefined {
    return this.options.getClientIp(request);
  }
}

/** The routes at the host's path: a subclass per path, so two apps in one process can mount them at different paths. */
export function signInRoutesAt(path: string): Type<SignInRoutesController> {
  @Controller(path)
  class SignInRoutes extends SignInRoutesController {}
  return SignInRoutes;
}
