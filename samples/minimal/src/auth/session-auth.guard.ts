import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SessionsService } from './sessions.service.js';

/**
 * The sample's authentication, a global guard: a valid `Authorization: Bearer <token>` puts the
 * user on `request.user`, where the module reads the id. It refuses nothing itself: the module's
 * routes answer 401 `unauthenticated` without a user, and so would your own guarded routes.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: { id: string } }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const id = token === undefined ? undefined : this.sessions.userIdOf(token);
    if (id !== undefined) request.user = { id };
    return true;
  }
}
