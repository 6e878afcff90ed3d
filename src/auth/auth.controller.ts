import { Body, Controller, HttpCode, Post, UseGuards, UsePipes } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { createTwoFactorValidationPipe, JsonBodyGuard, UnauthenticatedError } from '../../libs/two-factor/src/index.js';
import { DemoUsersService } from './demo-users.service.js';
import { LoginDto, TokenDto } from './login.dto.js';

@ApiTags('demo: auth')
// Scoped here, not global: the module's routes validate their own bodies, and twice would cost twice.
@UsePipes(createTwoFactorValidationPipe())
// Refuses a login body that is not JSON with 415, as the module's routes do.
@UseGuards(JsonBodyGuard)
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: DemoUsersService,
    private readonly jwt: JwtService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in as alice or bob', description: 'Returns a bearer token; click "Authorize" in Swagger UI and paste it.' })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ description: 'unauthenticated: wrong username or password' })
  async login(@Body() body: LoginDto): Promise<TokenDto> {
    const user = this.users.authenticate(body.username, body.password);
    if (!user) throw new UnauthenticatedError();
    return { access_token: await this.jwt.signAsync({ sub: user.id, username: user.username }), token_type: 'Bearer' };
  }
}
