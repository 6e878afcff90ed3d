import { FACTOR_CODE, inParallel } from './api.js';
import type { BenchSession } from './setup.js';

/** The demo's sign-in routes (src/auth/). */
export const LOGIN_PATH = '/api/v1/auth/login';

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

  /** `size` sign-in tokens (size ≤ the enrolled factors), each with a confirmation requested on its own factor. */
  async take(size: number): Promise<string[]> {
    const { api } = this.session;
    const password = process.env.DEMO_PASSWORD ?? 'demo-password';
    const chosen = this.factors.slice(0, Math.min(size, this.factors.length));
    return inParallel(chosen.length, 20, async (i) => {
      // The routes are public: alice's bearer token, sent along by the setup client, changes nothing.
      const login = await api.call('POST', LOGIN_PATH, { username: 'alice', password });
      if (login.status !== 200 || !login.body?.sign_in_token) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body).slice(0, 200)}`);
      const token: string = login.body.sign_in_token;
      const requested = await api.call('POST', `${LOGIN_PATH}/request`, { sign_in_token: token, user_config_id: chosen[i] });
      if (requested.status !== 201) throw new Error(`login/request answered ${requested.status}: ${JSON.stringify(requested.body).slice(0, 200)}`);
      return token;
    });
  }
}
