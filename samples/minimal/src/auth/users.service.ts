import { Injectable } from '@nestjs/common';
import { scryptSync, timingSafeEqual } from 'node:crypto';

/** A user of the sample. Your app has its own user store; the module only ever sees the id. */
export interface SampleUser {
  id: string;
  username: string;
  /** Since when this user must have a second factor (the enrolment policy), or null. */
  factorRequiredSince: Date | null;
}

const SALT = 'two-factor-sample';

/** Stand-in for your users table: four users, one password (SAMPLE_PASSWORD), kept as a scrypt hash. */
@Injectable()
export class UsersService {
  private readonly users: SampleUser[] = [
    { id: '1', username: 'alice', factorRequiredSince: null },
    { id: '2', username: 'bob', factorRequiredSince: null },
    { id: '3', username: 'carol', factorRequiredSince: null },
    // The admin must enrol a factor before the admin routes let them in (no grace period).
    { id: '4', username: 'admin', factorRequiredSince: new Date(0) },
  ];
  private readonly passwordHash = scryptSync(process.env.SAMPLE_PASSWORD ?? 'sample-password', SALT, 32);

  /** The user whose password this is, or null (the same work for an unknown name). */
  async verifyPassword(username: unknown, password: unknown): Promise<SampleUser | null> {
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    const matches = timingSafeEqual(scryptSync(password, SALT, 32), this.passwordHash);
    const user = this.users.find((candidate) => candidate.username === username);
    return matches && user ? user : null;
  }

  find(id: string): SampleUser | undefined {
    return this.users.find((user) => user.id === id);
  }
}
