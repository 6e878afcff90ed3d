import { FACTOR_CODE } from './api.js';
import type { BenchSession } from './setup.js';

/** The demo's sign-in routes (src/auth/). */
export const LOGIN_PATH = '/api/v1/auth/login';

/** The demo's alice (src/auth/demo-users.service.ts), whom the bench signs in. */
const ALICE_ID = '1';

/**
 * Pending sign-ins with a requested confirmation, for `login/confirm`: each request of the
 * round needs its own. A factor holds one pending user-bound code at a time (a request voids
 * its older ones), so each pending sign-in of a pool is requested on a factor of its own:
 * the pool is at most as large as the factors enrolled for it (`--sign-in-factors`).
 */
export class SignInPool {
  private readonly factors: number[] = [];

  constructor(private readonly session: BenchSession) {}

  /** Enrols dummy factors for alice until there are `count` (each after a step-up with her first factor). */
  async enrol(count: number): Promise<void> {
    const { api, methodConfigId, factors } = this.session;
    while (this.factors.length < count) this.factors.push(await api.enrolDummy(methodConfigId, FACTOR_CODE, factors[0]));
  }

  get size(): number {
    return this.factors.length;
  }

  /**
   * `size` sign-in tokens (size ≤ the enrolled factors), each with a confirmation requested on its own
   * factor, made by the bench server in its own process (`POST /bench/sign-ins`: the demo login's
   * `SignInService.start` without the password, then `login/request`'s `requestConfirmation`).
   */
  async take(size: number): Promise<string[]> {
    const chosen = this.factors.slice(0, Math.min(size, this.factors.length));
    const made = await this.session.api.expect(200, 'POST', '/bench/sign-ins', { user_id: ALICE_ID, factors: chosen });
    return made.tokens as string[];
  }
}
