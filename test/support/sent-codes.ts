import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { MethodConfig } from 'nestjs-two-factor';
import { API, type AppHarness } from './harness.js';
import type { DatabaseKind } from './test-database.js';

export type Auth = Record<string, string>;

/** The code on its own, not as a run of digits inside a longer hex string (a UUID, an ETag). */
export const standalone = (code: string) => new RegExp(`(?<![0-9a-fA-F])${code}(?![0-9a-fA-F])`);

/**
 * What the email and SMS suites share: HTTP calls that record every response
 * (to prove no code ever left in one), fresh users, method configs of their own,
 * raw SQL on either database, and the dev outbox where the codes land.
 * `harness` is read lazily because suites boot the app in `beforeAll`.
 */
export function sentCodeKit(harness: () => AppHarness, kind: DatabaseKind, method: 'email' | 'sms', roomy: Record<string, unknown>) {
  /** Every response body and header block of the suite. */
  const seen: string[] = [];
  const record = (response: Response) => {
    seen.push(response.text ?? '', JSON.stringify(response.headers));
    return response;
  };

  /** A signed-in user of its own, so per-user counters of one test never touch another's. */
  const freshUser = async (): Promise<Auth> => {
    const id = `${method}-${randomBytes(4).toString('hex')}`;
    return harness().auth(id);
  };

  const sql = (text: string, params: unknown[] = []) => harness().sql(text, params);

  /** An active method config of `method`, `roomy` limits and `config` on top of the defaults. */
  const methodConfig = async (config: Record<string, unknown> = {}): Promise<number> => {
    const now = new Date();
    const saved = await harness()
      .app.get(DataSource)
      .getRepository(MethodConfig)
      .save({ title: `test ${method}`, method, config: { ...roomy, ...config }, is_active: true, is_default: false, created_at: now, updated_at: now });
    return saved.id;
  };

  // Not recorded in `seen`: the outbox is where codes are meant to be.
  const outbox = async (to: string) =>
    (await harness().http.get('/api/v1/dev/outbox').query({ to }).expect(200)).body as Array<{
      channel: string;
      to: string;
      text: string;
      subject?: string;
      sent_at: string;
    }>;
  const latestCode = async (to: string) => {
    const [newest] = await outbox(to);
    const code = /\b(\d{6,10})\b/.exec(newest?.text ?? '')?.[1];
    if (!code) throw new Error(`no code sent to ${to}`);
    return code;
  };

  const post = async (path: string, body: unknown, auth: Auth = {}) =>
    record(
      await harness()
        .http.post(`${API}/${path}`)
        .set(auth)
        .send(body as object),
    );
  const enrol = (auth: Auth, config: unknown, mcId: number) => post('user-config/own/create/', { method_config_id: mcId, config }, auth);
  const request = (body: Record<string, unknown>, auth: Auth = {}) => post('confirmation/request/', body, auth);
  const confirm = (id: string, code: unknown, auth: Auth = {}) => post('confirmation/confirm/', { id, data: { code } }, auth);

  /** `count` parallel confirms of one confirmation with the same code; their statuses. */
  const race = async (id: string, code: string, auth: Auth, count = 30) =>
    (await Promise.all(Array.from({ length: count }, () => confirm(id, code, auth)))).map((response) => response.status);

  /** Every stored confirmation state, as JSON text. */
  const storedStates = async (): Promise<string[]> =>
    ((await sql('SELECT state FROM two_factor_confirmation')) as Array<{ state: unknown }>).map((row) =>
      typeof row.state === 'string' ? row.state : JSON.stringify(row.state),
    );

  return { seen, record, freshUser, sql, methodConfig, outbox, latestCode, post, enrol, request, confirm, race, storedStates };
}
