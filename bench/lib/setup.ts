import type { Client, Request } from 'autocannon';
import { API, Api, FACTOR_CODE, GUARD_HEADER, GUARDED_PATH, inParallel } from './api.js';
import type { BenchServer } from './server.js';

/** Alice signed in, with one enrolled dummy factor per connection, and the pools the benches draw from. */
export class BenchSession {
  readonly json: Record<string, string>;

  private constructor(
    readonly api: Api,
    readonly methodConfigId: number,
    /** One dummy factor per connection: a user-bound request voids its factor's older codes. */
    readonly factors: number[],
  ) {
    this.json = { 'content-type': 'application/json', authorization: api.authorization! };
  }

  get authorization(): string {
    return this.api.authorization!;
  }

  static async open(server: BenchServer, factorCount: number): Promise<BenchSession> {
    const api = new Api(server.base);
    await api.login('alice');
    const methodConfigId = await api.dummyMethodConfigId();
    const factors: number[] = [];
    // The first factor needs no step-up; every later one is added with a proof of the first.
    for (let i = 0; i < factorCount; i++) factors.push(await api.enrolDummy(methodConfigId, FACTOR_CODE, factors[0]));
    return new BenchSession(api, methodConfigId, factors);
  }

  /**
   * Confirmations requested before timing starts. Pending ones are method-level (owned by alice):
   * a user-bound request voids its factor's older pending codes, so a factor holds one at a time.
   * Confirmed ones are user-bound (the step-up guard wants a proof of one of the user's own
   * factors), requested and confirmed round-robin over the factors, one worker per factor so
   * that no two requests of a factor overlap: a confirmed proof stays valid when its factor
   * issues a newer code.
   */
  async pool(size: number, confirmed: boolean): Promise<string[]> {
    if (!confirmed) return inParallel(size, this.factors.length, () => this.api.request({ methodConfigId: this.methodConfigId }));
    const perFactor = await Promise.all(
      this.factors.map(async (factor, k) => {
        const ids: string[] = [];
        for (let i = k; i < size; i += this.factors.length) {
          const id = await this.api.request({ userConfigId: factor });
          await this.api.confirm(id, FACTOR_CODE);
          ids.push(id);
        }
        return ids;
      }),
    );
    return perFactor.flat();
  }

  /** An autocannon setupClient that gives each connection its own factor's request sequence. */
  perClient(requests: (factor: number) => Request[]): (client: Client) => void {
    let next = 0;
    return (client) => client.setRequests(requests(this.factors[next++ % this.factors.length]));
  }

  /** One full flow on `factor`: request → confirm (→ guarded action); `done` hears the last step's status. */
  flow(factor: number, withGuard: boolean, done: (status: number) => void): Request[] {
    const steps: Request[] = [
      {
        method: 'POST',
        path: `${API}/confirmation/request/`,
        headers: this.json,
        body: JSON.stringify({ user_config_id: factor }),
        onResponse: (status, body, context) => {
          context.id = status === 201 ? JSON.parse(body).id : undefined;
        },
      },
      {
        method: 'POST',
        path: `${API}/confirmation/confirm/`,
        headers: this.json,
        setupRequest: (r, context) => ({ ...r, body: JSON.stringify({ id: context.id ?? 'none', data: { code: FACTOR_CODE } }) }),
        onResponse: withGuard ? undefined : done,
      },
    ];
    if (withGuard) {
      steps.push({
        method: 'POST',
        path: GUARDED_PATH,
        setupRequest: (r, context) => ({ ...r, headers: { authorization: this.json.authorization, [GUARD_HEADER]: context.id ?? 'none' } }),
        onResponse: done,
      });
    }
    return steps;
  }

  /** Whether the step-up guarded route exists yet, tried once with a confirmed confirmation. */
  async probeGuardedRoute(): Promise<{ available: boolean; note?: string }> {
    const [id] = await this.pool(1, true);
    const reply = await this.api.call('POST', GUARDED_PATH, undefined, { [GUARD_HEADER]: id });
    if (reply.status >= 200 && reply.status < 300) {
      const again = await this.api.call('POST', GUARDED_PATH, undefined, { [GUARD_HEADER]: id });
      if (again.status >= 200 && again.status < 300) return { available: true, note: 'WARNING: the same confirmation passed twice' };
      return { available: true };
    }
    const code = typeof reply.body === 'object' && reply.body ? (reply.body.code ?? reply.body.message) : reply.body;
    return { available: false, note: `${GUARDED_PATH} answered ${reply.status}${code ? ` (${String(code).slice(0, 80)})` : ''}` };
  }
}
