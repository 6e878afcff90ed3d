import { Body, Controller, HttpCode, Post, Req, Res, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { createTwoFactorValidationPipe, MessageTranslator, SignInService, UnauthenticatedError } from 'nestjs-two-factor';
import { DemoUsersService } from './demo-users.service.js';
import { deviceCookie } from './device-cookie.js';
import { SignInTokenDto } from './login.dto.js';
import { SessionService } from './session.service.js';
import { SignInConfirmationDto, SignInConfirmDto, SignInRequestDto } from './sign-in.dto.js';

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

  /** Secure cookies need HTTPS: on in production, off on a laptop's http://localhost. */
  private secureCookies(): boolean {
    return process.env.NODE_ENV === 'production';
  }
}
