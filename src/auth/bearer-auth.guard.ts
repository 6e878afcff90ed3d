import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from 'nestjs-two-factor';

/**
 * Accepts a bearer token on every route and puts `{ id, username }` on
 * `request.user`. No token: the request goes on anonymously, and each route
 * decides whether it needs a user. A bad token is refused rather than silently
 * treated as anonymous.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const header: unknown = request.headers?.authorization;
    if (typeof header !== 'string' || header === '') return true;
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthenticatedError();
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; username: string }>(token);
      request.user = { id: payload.sub, username: payload.username };
      return true;
    } catch {
      throw new UnauthenticatedError();
    }
  }
}
