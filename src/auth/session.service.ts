import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { DemoUser } from './demo-users.service.js';
import type { TokenDto } from './login.dto.js';

/** Issues the demo's session (a bearer JWT): only after the password, and the second factor when the module asks for it. */
@Injectable()
export class SessionService {
  constructor(private readonly jwt: JwtService) {}

  async issue(user: DemoUser): Promise<TokenDto> {
    return { access_token: await this.jwt.signAsync({ sub: user.id, username: user.username }), token_type: 'Bearer' };
  }
}
