import { Body, Controller, HttpCode, Post, Req, UsePipes } from '@nestjs/common';
import { IsInt, IsObject, IsString, MaxLength, Min } from 'class-validator';
import { createTwoFactorValidationPipe, SignInService, UnauthenticatedError } from 'nestjs-two-factor';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

export class LoginDto {
  @IsString() @MaxLength(100) username: string;
  @IsString() @MaxLength(200) password: string;
}

export class SignInRequestDto {
  @IsString() @MaxLength(200) sign_in_token: string;
  @IsInt() @Min(1) user_config_id: number;
}

export class SignInConfirmDto {
  @IsString() @MaxLength(200) sign_in_token: string;
  @IsObject() data: Record<string, unknown>;
}

// #region sign-in
/**
 * The host's sign-in with a second step: the password first, then, for a user with a factor,
 * a code through SignInService before any session is issued.
 */
@Controller('auth/login')
@UsePipes(createTwoFactorValidationPipe())
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Post()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() request: { ip?: string }) {
    const user = await this.users.verifyPassword(body.username, body.password);
    if (!user) throw new UnauthenticatedError();
    const started = await this.signIn.start(user.id, { clientIp: request.ip });
    // No available factor: signed in by the password, as before.
    if (!started.twoFactorRequired) return this.sessions.issue(user);
    // No session yet: the client picks one of `factors` and asks for a code.
    return {
      two_factor_required: true,
      sign_in_token: started.token,
      expires_at: started.expiresAt.toISOString(),
      factors: started.factors.map(({ id, method, title, destination }) => ({ id, method, title, destination })),
    };
  }

  @Post('request')
  async request(@Body() body: SignInRequestDto, @Req() request: { ip?: string }) {
    // A public view ({id, status, expires_at, attempts_left, challenge}): safe to return as it is.
    return this.signIn.requestConfirmation(body.sign_in_token, body.user_config_id, { clientIp: request.ip });
  }

  @Post('confirm')
  @HttpCode(200)
  async confirm(@Body() body: SignInConfirmDto, @Req() request: { ip?: string }) {
    // Throws (400 confirmation_failed, 401 sign_in_invalid, 429 …) unless the code is right.
    const done = await this.signIn.confirm(body.sign_in_token, { data: body.data, clientIp: request.ip });
    const user = this.users.find(done.userId);
    if (!user) throw new UnauthenticatedError();
    return this.sessions.issue(user);
  }
}
// #endregion sign-in
