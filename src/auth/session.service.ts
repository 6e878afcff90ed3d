import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { DemoUser } from './demo-users.service.js';
import type { TokenDto } from './login.dto.js';

/** Issues the demo's session (a bearer JWT): only after the password, and the second factor when the module asks for it. */
@Injectable()
export class SessionService {
  constructor(private readonly jwt: JwtService) {}

  /** `claims`: how the user authenticated (RFC 8176 `amr`, `acr`), as `SignInService.confirm` answers them; the password alone by default. */
  async issue(user: DemoUser, claims: { amr: string[]; acr: string } = { amr: ['pwd'], acr: 'sfa' }): Promise<TokenDto> {
    return { access_token: await this.jwt.signAsync({ sub: user.id, username: user.username, amr: claims.amr, acr: claims.acr }), token_type: 'Bearer' };
  }
}
