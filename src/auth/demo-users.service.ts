import { Injectable } from '@nestjs/common';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** The demo's administrator (user `admin`): the one user DemoAdminGuard lets into the admin API. */
export const DEMO_ADMIN_ID = '3';

export interface DemoUser {
  id: string;
  username: string;
}

/**
 * The demo's users alice, bob and admin, held in memory with scrypt password
 * hashes. A real app has its own user store; the module only needs an id.
 */
@Injectable()
export class DemoUsersService {
  private readonly users: Array<DemoUser & { salt: Buffer; hash: Buffer }>;

  constructor(password: string) {
    this.users = [
      { id: '1', username: 'alice' },
      { id: '2', username: 'bob' },
      { id: DEMO_ADMIN_ID, username: 'admin' },
    ].map((user) => {
      const salt = randomBytes(16);
      return { ...user, salt, hash: scryptSync(password, salt, 32) };
    });
  }

  /** The user whose username and password match, or null. */
  authenticate(username: unknown, password: unknown): DemoUser | null {
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    const user = this.users.find((candidate) => candidate.username === username);
    if (!user) return null;
    const ok = timingSafeEqual(scryptSync(password, user.salt, 32), user.hash);
    return ok ? { id: user.id, username: user.username } : null;
  }
}
