import { Body, Controller, HttpCode, Post, Req, Res, UsePipes } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { createTwoFactorValidationPipe, MessageTranslator, SignInService, UnauthenticatedError, type PublicUserConfigChange } from 'nestjs-two-factor';
import { DemoUsersService } from './demo-users.service.js';
import { deviceCookie } from './device-cookie.js';
import { SignInTokenDto, TokenDto } from './login.dto.js';
import { SessionService } from './session.service.js';
import {
  AccessCodeDto,
  EnrollmentOpenDto,
  RecoveryCancelDto,
  RecoveryCancelledDto,
  RecoveryStartDto,
  RecoveryStartedDto,
  SignInConfirmationDto,
  SignInConfirmDto,
  SignInEnrolConfirmDto,
  SignInEnrolDto,
  SignInRequestDto,
} from './sign-in.dto.js';

type DemoRequest = { headers?: Record<string, unknown>; ip?: string };

/** The second step of the demo's sign-in: thin calls into the module's SignInService. */
@ApiTags('demo: auth')
@ApiSecurity({})
@UsePipes(createTwoFactorValidationPipe())
@ApiResponse({ status: 401, description: 'sign_in_invalid: the sign_in_token is unknown, expired or already used' })
@Controller('api/v1/auth/login')
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: DemoUsersService,
    private readonly sessions: SessionService,
    private readonly translator: MessageTranslator,
  ) {}

  @Post('request')
  @ApiOperation({
    summary: 'Second step, 1: ask for a code or a passkey challenge',
    description:
      'For one of the factors the login answer listed; email and SMS codes are sent now. For a passkey, challenge.request_options goes to the browser (navigator.credentials.get) and its assertion to login/confirm as data.',
  })
  @ApiCreatedResponse({ type: SignInConfirmationDto })
  @ApiResponse({ status: 404, description: 'not_found: not one of this user’s factors' })
  @ApiResponse({ status: 429, description: 'rate_limited: too many wrong codes or sends on this factor' })
  async request(@Body() body: SignInRequestDto, @Req() request: DemoRequest): Promise<SignInConfirmationDto> {
    const confirmation = await this.signIn.requestConfirmation(body.sign_in_token, body.user_config_id, {
      clientIp: request.ip,
      // The code's email or SMS in the language of the request (Accept-Language).
      language: this.translator.languageOf(request),
    });
    return {
      id: confirmation.id,
      expires_at: confirmation.expires_at,
      attempts_left: confirmation.attempts_left,
      // The service's answer is a public view already: its challenge is the method's public part (a passkey's request options, a masked destination).
      challenge: confirmation.challenge ?? null,
    };
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step, 2: the code, then the bearer token',
    description:
      'data is { code } for a code, or the WebAuthn assertion for a passkey. Wrong codes count against the factor. With remember_device the response sets the HttpOnly cookie two_factor_device (Path=/api/v1/auth/login).',
  })
  @ApiOkResponse({ type: SignInTokenDto })
  @ApiResponse({ status: 400, description: 'confirmation_failed (details.attempts_left) or validation_failed' })
  @ApiResponse({ status: 429, description: 'confirmation_locked or rate_limited' })
  async confirm(
    @Body() body: SignInConfirmDto,
    @Req() request: DemoRequest,
    @Res({ passthrough: true }) response: { header(name: string, value: string): unknown },
  ): Promise<SignInTokenDto> {
    const userAgent = request.headers?.['user-agent'];
    const done = await this.signIn.confirm(body.sign_in_token, {
      data: body.data,
      rememberDevice: body.remember_device === true,
      deviceLabel: typeof userAgent === 'string' ? userAgent : undefined,
      clientIp: request.ip,
    });
    const user = this.users.findById(done.userId);
    if (!user) throw new UnauthenticatedError();
    if (done.device) response.header('Set-Cookie', deviceCookie(done.device.token, new Date(done.device.device.expires_at), this.secureCookies()));
    const session = await this.sessions.issue(user);
    // A backup code signed in: say how many are left, so the page can warn before they run out.
    return done.remaining === undefined ? session : { ...session, remaining: done.remaining };
  }

  @Post('recovery/start')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Lost every factor: start a recovery (nothing opens now)',
    description:
      "With the sign_in_token of a password sign-in. The account's email factors, SMS factors and its own address (<username>@example.com in the dev outbox) get a cancel code now; " +
      'from not_before on (72 hours) a password sign-in may enrol a new factor, unless the owner cancels it or signs in with a factor first. ' +
      'Then every old factor and remembered device is revoked.',
  })
  @ApiAcceptedResponse({ type: RecoveryStartedDto })
  @ApiResponse({ status: 409, description: 'recovery_in_progress: one is running for this user (details.not_before)' })
  @ApiResponse({ status: 429, description: 'rate_limited: too many recoveries started for this user or from this address' })
  async recoveryStart(@Body() body: RecoveryStartDto, @Req() request: DemoRequest): Promise<RecoveryStartedDto> {
    const started = await this.signIn.startRecovery(body.sign_in_token, { clientIp: request.ip, language: this.translator.languageOf(request) });
    return { recovery_id: started.recoveryId, not_before: started.notBefore.toISOString() };
  }

  @Post('recovery/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a recovery with the code of its notice',
    description: 'No sign-in needed. Then change your password: whoever started it knows it.',
  })
  @ApiOkResponse({ type: RecoveryCancelledDto })
  @ApiResponse({ status: 404, description: 'not_found: unknown, used or expired cancel code' })
  async recoveryCancel(@Body() body: RecoveryCancelDto, @Req() request: DemoRequest): Promise<RecoveryCancelledDto> {
    const cancelled = await this.signIn.cancelRecovery(body.cancel_code, { clientIp: request.ip });
    return { cancelled: true, recovery_id: cancelled.recoveryId };
  }

  @Post('access-code')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step with a temporary access code from an admin: opens enrolment only',
    description: 'Single use; no bearer token. Enrol a new factor with login/enrollment and confirm it with login/enrollment/confirm.',
  })
  @ApiOkResponse({ type: EnrollmentOpenDto })
  @ApiResponse({ status: 400, description: "access_code_invalid: unknown, expired, used or another user's code" })
  async accessCode(@Body() body: AccessCodeDto, @Req() request: DemoRequest): Promise<EnrollmentOpenDto> {
    const opened = await this.signIn.useAccessCode(body.sign_in_token, body.code, { clientIp: request.ip });
    return { enrollment_open: true, opened_by: opened.openedBy, expires_at: opened.expiresAt.toISOString() };
  }

  @Post('enrollment')
  @ApiOperation({
    summary: 'Enrol a new factor inside the sign-in (recovery over, or access code used)',
    description: 'As user-config/own/create/, through the sign_in_token; the factor counts for nothing until login/enrollment/confirm.',
  })
  @ApiCreatedResponse({ description: '{item, confirmation_id, enrollment}, as user-config/own/create/' })
  @ApiResponse({ status: 403, description: 'enrollment_not_open: no recovery whose wait is over and no access code opened this sign-in' })
  async enrol(@Body() body: SignInEnrolDto, @Req() request: DemoRequest): Promise<PublicUserConfigChange> {
    return this.signIn.enrol(body.sign_in_token, {
      methodConfigId: body.method_config_id,
      config: body.config,
      title: body.title,
      clientIp: request.ip,
      language: this.translator.languageOf(request),
    });
  }

  @Post('enrollment/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Prove the new factor: the bearer token; every old factor and device is revoked',
    description: "Completes the sign-in; in the same transaction the account's other factors and remembered devices go.",
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiResponse({ status: 400, description: 'confirmation_failed (details.attempts_left) or validation_failed' })
  @ApiResponse({ status: 403, description: 'enrollment_not_open: the recovery was cancelled, or nothing opened this sign-in' })
  async enrolConfirm(
    @Body() body: SignInEnrolConfirmDto,
    @Req() request: DemoRequest,
    @Res({ passthrough: true }) response: { header(name: string, value: string): unknown },
  ): Promise<TokenDto> {
    const userAgent = request.headers?.['user-agent'];
    const done = await this.signIn.confirmEnrollment(body.sign_in_token, {
      userConfigId: body.id,
      confirmationId: body.confirmation_id,
      data: body.data,
      rememberDevice: body.remember_device === true,
      deviceLabel: typeof userAgent === 'string' ? userAgent : undefined,
      clientIp: request.ip,
    });
    const user = this.users.findById(done.userId);
    if (!user) throw new UnauthenticatedError();
    if (done.device) response.header('Set-Cookie', deviceCookie(done.device.token, new Date(done.device.device.expires_at), this.secureCookies()));
    return this.sessions.issue(user);
  }

  /** Secure cookies need HTTPS: on in production, off on a laptop's http://localhost. */
  private secureCookies(): boolean {
    return process.env.NODE_ENV === 'production';
  }
}
