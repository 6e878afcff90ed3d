import { Body, Controller, HttpCode, Post, Req, UseGuards, UsePipes } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse, getSchemaPath } from '@nestjs/swagger';
import { createTwoFactorValidationPipe, JsonBodyGuard, SignInService, UnauthenticatedError } from 'nestjs-two-factor';
import { deviceTokenOf } from './device-cookie.js';
import { DemoUsersService } from './demo-users.service.js';
import { LoginDto, TokenDto } from './login.dto.js';
import { SessionService } from './session.service.js';
import { SignInRequiredDto } from './sign-in.dto.js';

@ApiTags('demo: auth')
@ApiSecurity({})
@ApiExtraModels(TokenDto, SignInRequiredDto)
// Scoped here, not global: the module's routes validate their own bodies, and twice would cost twice.
@UsePipes(createTwoFactorValidationPipe())
// Refuses a login body that is not JSON with 415, as the module's routes do.
@UseGuards(JsonBodyGuard)
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: DemoUsersService,
    private readonly sessions: SessionService,
    private readonly signIn: SignInService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in as alice, bob or admin',
    description:
      'Without a second factor (or from a remembered device: cookie two_factor_device or header X-Two-Factor-Device) this returns a bearer token; ' +
      'click "Authorize" in Swagger UI and paste it. With one, it returns two_factor_required and a sign_in_token for login/request and login/confirm.',
  })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(TokenDto) }, { $ref: getSchemaPath(SignInRequiredDto) }] } })
  @ApiUnauthorizedResponse({ description: 'unauthenticated: wrong username or password' })
  async login(@Body() body: LoginDto, @Req() request: { headers?: Record<string, unknown>; ip?: string }): Promise<TokenDto | SignInRequiredDto> {
    const user = this.users.authenticate(body.username, body.password);
    if (!user) throw new UnauthenticatedError();
    // Every way into a session goes through the module's gate, remembered devices included.
    const started = await this.signIn.start(user.id, { deviceToken: deviceTokenOf(request), clientIp: request.ip });
    if (!started.twoFactorRequired) return this.sessions.issue(user);
    return {
      two_factor_required: true,
      sign_in_token: started.token,
      expires_at: started.expiresAt.toISOString(),
      factors: started.factors.map((factor) => ({
        id: factor.id,
        method: factor.method,
        title: factor.title,
        nickname: factor.nickname,
        destination: factor.destination,
        created_at: factor.created_at,
        last_used_at: factor.last_used_at,
      })),
      recovery: started.recovery
        ? { recovery_id: started.recovery.id, not_before: started.recovery.notBefore.toISOString(), enrollment_open: started.recovery.enrollmentOpen }
        : null,
    };
  }
}
