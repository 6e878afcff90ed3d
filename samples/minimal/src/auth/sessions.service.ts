import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { SampleUser } from './users.service.js';

/** Stand-in for your sessions (JWT, cookies, …): random bearer tokens kept in memory. */
@Injectable()
export class SessionsService {
  private readonly sessions = new Map<string, string>();

  issue(user: SampleUser): { access_token: string; token_type: 'Bearer' } {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, user.id);
    return { access_token: token, token_type: 'Bearer' };
  }

  userIdOf(token: string): string | undefined {
    return this.sessions.get(token);
  }
}
