/** The demo's module prefix (src/app.module.ts). */
export const API = '/api/v1/auth/2factor';
/** The step-up guarded route of the demo (security issue, item 5). */
export const GUARDED_PATH = '/api/v1/account/sensitive-action';
export const GUARD_HEADER = 'x-two-factor-confirmation';
/** The dummy method's global code (method-level confirmations) and the code bench factors are enrolled with. */
export const METHOD_CODE = 'dummy-method';
export const FACTOR_CODE = 'bench-code';

export interface Reply {
  status: number;
  body: any;
}

/** A small JSON client for setup work (not timed): the load itself goes through autocannon. */
export class Api {
  authorization?: string;

  constructor(readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  }

  async expect(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
    const reply = await this.call(method, path, body, headers);
    if (reply.status !== status) {
      throw new Error(`${method} ${path} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body).slice(0, 300)}`);
    }
    return reply.body;
  }

  async login(username = 'alice', password = process.env.DEMO_PASSWORD ?? 'demo-password'): Promise<void> {
    const body = await this.expect(200, 'POST', '/api/v1/auth/login', { username, password });
    this.authorization = `Bearer ${body.access_token}`;
  }

  async dummyMethodConfigId(): Promise<number> {
    const list: Array<{ id: number; method: string }> = await this.expect(200, 'GET', `${API}/method-config/list/active/`);
    const found = list.find((item) => item.method === 'dummy');
    if (!found) throw new Error('the demo has no active dummy method config');
    return found.id;
  }

  /**
   * Enrols one dummy factor for the signed-in user and confirms it; returns its user config id.
   * Once the user has a confirmed factor, adding another is a step-up: `stepUpWith` is that
   * factor, confirmed first and sent as X-Two-Factor-Confirmation.
   */
  async enrolDummy(methodConfigId: number, code = FACTOR_CODE, stepUpWith?: number): Promise<number> {
    const headers: Record<string, string> = {};
    if (stepUpWith !== undefined) {
      const proof = await this.request({ userConfigId: stepUpWith });
      await this.confirm(proof, code);
      headers[GUARD_HEADER] = proof;
    }
    const created = await this.expect(201, 'POST', `${API}/user-config/own/create/`, { method_config_id: methodConfigId, config: { code } }, headers);
    await this.expect(200, 'POST', `${API}/user-config/own/confirm/`, { id: created.item.id, confirmation_id: created.confirmation_id, data: { code } });
    return created.item.id;
  }

  /** Requests a confirmation (user-bound with `userConfigId`, else method-level owned by the signed-in user). */
  async request(target: { userConfigId?: number; methodConfigId?: number }): Promise<string> {
    const body = target.userConfigId !== undefined ? { user_config_id: target.userConfigId } : { method_config_id: target.methodConfigId };
    return (await this.expect(201, 'POST', `${API}/confirmation/request/`, body)).id;
  }

  async confirm(id: string, code: string): Promise<void> {
    await this.expect(200, 'POST', `${API}/confirmation/confirm/`, { id, data: { code } });
  }
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight; returns the results in order. */
export async function inParallel<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
