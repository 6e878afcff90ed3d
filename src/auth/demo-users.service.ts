import { Injectable } from '@nestjs/common';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** The demo's administrator (user `admin`): the one user DemoAdminGuard lets into the admin API, and who must enrol a factor. */
export const DEMO_ADMIN_ID = '3';

const UNKNOWN_USER_SALT = randomBytes(16);
const UNKNOWN_USER_HASH = randomBytes(32);

export interface DemoUser {
  id: string;
  username: string;
}

/**
 * The demo's users, alice, bob and admin (who must enrol a factor), held in memory with scrypt password
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
    // An unknown name costs the same hash as a known one, so timing does not tell which names exist.
    const ok = timingSafeEqual(scryptSync(password, user?.salt ?? UNKNOWN_USER_SALT, 32), user?.hash ?? UNKNOWN_USER_HASH);
    return ok && user ? { id: user.id, username: user.username } : null;
  }

  /** The user with this id, or null (the second sign-in step knows only the id). */
  findById(id: string): DemoUser | null {
    const user = this.users.find((candidate) => candidate.id === id);
    return user ? { id: user.id, username: user.username } : null;
  }
}
