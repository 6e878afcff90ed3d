import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { API, freshUser } from '../support/demo-harness.js';
import { bootFaultyDemo, type FaultyDemo } from '../support/database-fault.js';
import { enrolDummy } from '../support/flows.js';
import { LogCapture } from '../support/log-capture.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the load saw, for the invariants at the end. */
interface Observed {
  statuses: Map<number, number>;
  /** Confirmed (200 on confirm) and not yet spent. */
  confirmed: Set<string>;
  /** Spent with a 200, and how often (must be 1). */
  spent: Map<string, number>;
  /** A spend answered 503: it may or may not have gone through. */
  uncertain: Set<string>;
  guesses: { sent: number; judged: number };
  /** Every 5xx other than 503: the route and the body, so a failure says where it came from. */
  unexpected: string[];
}

/**
 * Issue 10 item 4: the database goes away mid-load and comes back. While it is
 * away only 2xx/4xx/503; soon after, full service; no proof used twice, no
 * confirmed confirmation lost, the failure counter kept every judged guess.
 */
describe.each(DATABASE_KINDS)(`database cut mid-load on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let demo: FaultyDemo;
  const logs = new LogCapture();
  beforeAll(async () => {
    // No cooldown and no factor lock, so the guesser's counter only ever grows.
    demo = await bootFaultyDemo(kind, { logger: logs, twoFactor: { cooldownAfterFailures: 1_000_000, maxConsecutiveFailures: 1_000_000 } });
  });
  afterAll(() => demo.close());

  it('answers only 2xx/4xx/503 while it is down, recovers within seconds, and loses or repeats nothing', async () => {
    const { h } = demo;
    const seen: Observed = {
      statuses: new Map(),
      confirmed: new Set(),
      spent: new Map(),
      uncertain: new Set(),
      guesses: { sent: 0, judged: 0 },
      unexpected: [],
    };
    const users = await Promise.all([0, 1, 2].map(async () => ({ name: freshUser() })));
    const factors = new Map<string, number>();
    for (const user of users) factors.set(user.name, await enrolDummy(h, user.name, 'right'));
    const guesser = freshUser();
    const target = await enrolDummy(h, guesser, 'right');
    const record = (status: number) => seen.statuses.set(status, (seen.statuses.get(status) ?? 0) + 1);
    const call = async <T extends { status: number; body: unknown; req?: unknown }>(request: PromiseLike<T>) => {
      const response = await request;
      record(response.status);
      if (response.status >= 500 && response.status !== 503) {
        const { method, path } = (response.req ?? {}) as { method?: string; path?: string };
        seen.unexpected.push(`${response.status} ${method} ${path} ${JSON.stringify(response.body)}`);
      }
      return response;
    };
    let running = true;

    const flow = async (user: string) => {
      const auth = await h.auth(user);
      while (running) {
        const requested = await call(
          h.http
            .post(`${API}/confirmation/request/`)
            .set(auth)
            .send({ user_config_id: factors.get(user) }),
        );
        if (requested.status !== 201) {
          await sleep(20);
          continue;
        }
        const confirmed = await call(
          h.http
            .post(`${API}/confirmation/confirm/`)
            .set(auth)
            .send({ id: requested.body.id, data: { code: 'right' } }),
        );
        if (confirmed.status === 200) seen.confirmed.add(`${user} ${requested.body.id}`);
        else await sleep(20);
      }
    };
    // Spends proofs two at a time on the same id: at most one may pass.
    const spender = async () => {
      while (running) {
        const next = [...seen.confirmed][0];
        if (!next) {
          await sleep(10);
          continue;
        }
        seen.confirmed.delete(next);
        const [user, id] = next.split(' ');
        const auth = await h.auth(user);
        const answers = await Promise.all(
          [0, 1].map(() => call(h.http.post('/api/v1/account/sensitive-action').set(auth).set('X-Two-Factor-Confirmation', id))),
        );
        const passed = answers.filter((answer) => answer.status === 200).length;
        if (passed > 0) seen.spent.set(next, (seen.spent.get(next) ?? 0) + passed);
        else if (answers.some((answer) => answer.status === 503)) seen.uncertain.add(next);
        else throw new Error(`a confirmed proof was refused: ${answers.map((answer) => `${answer.status} ${answer.body.code}`).join(', ')}`);
      }
    };
    const guess = async () => {
      const auth = await h.auth(guesser);
      let id: string | undefined;
      while (running) {
        if (!id) {
          const requested = await call(h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: target }));
          if (requested.status === 201) id = requested.body.id;
          else await sleep(20);
          continue;
        }
        seen.guesses.sent++;
        const answer = await call(
          h.http
            .post(`${API}/confirmation/confirm/`)
            .set(auth)
            .send({ id, data: { code: 'wrong' } }),
        );
        if (answer.status === 400 && answer.body.code === 'confirmation_failed') seen.guesses.judged++;
        if (answer.status === 429 || (answer.status === 400 && answer.body.details?.attempts_left === 0)) id = undefined;
        if (answer.status === 503) await sleep(20);
      }
    };

    let crashed: unknown;
    const workers = [...users.map((user) => flow(user.name)), spender(), guess()].map((worker) => worker.catch((error) => void (crashed ??= error)));
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 400 && !done(); i++) {
        if (crashed) throw crashed;
        await sleep(50);
      }
      if (!done()) throw new Error(`timed out waiting for ${what}`);
    };
    try {
      await until('load to run', () => seen.spent.size >= 10 && seen.guesses.judged >= 5);
      const before = new Map(seen.statuses);
      await demo.cut();
      const failed = (statuses: Map<number, number>) => [...statuses].reduce((sum, [status, count]) => sum + (status >= 500 ? count : 0), 0);
      await until('the outage to show', () => failed(seen.statuses) - failed(before) >= 20);
      await demo.restore();
      // Full service within seconds: the load's own requests get through again.
      const spentAtRestore = seen.spent.size;
      const judgedAtRestore = seen.guesses.judged;
      await until('service to come back', () => seen.spent.size >= spentAtRestore + 10 && seen.guesses.judged >= judgedAtRestore + 5);
    } finally {
      running = false;
      await Promise.all(workers);
    }
    if (crashed) throw crashed;

    // On failure this lists each such answer, then what the app logged as an error.
    expect([...seen.unexpected, ...logs.errors(/^(?!Database unavailable)/)]).toEqual([]);
    expect([...seen.statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);
    expect(seen.statuses.get(503)).toBeGreaterThanOrEqual(20);
    // No proof used twice.
    expect([...seen.spent.values()].filter((count) => count !== 1)).toEqual([]);
    // No confirmed confirmation lost: every one not yet spent still passes, once.
    for (const entry of [...seen.confirmed, ...seen.uncertain]) {
      const [user, id] = entry.split(' ');
      const first = await h.http
        .post('/api/v1/account/sensitive-action')
        .set(await h.auth(user))
        .set('X-Two-Factor-Confirmation', id);
      if (seen.uncertain.has(entry)) expect([200, 403]).toContain(first.status);
      else expect(first.status).toBe(200);
      await h.http
        .post('/api/v1/account/sensitive-action')
        .set(await h.auth(user))
        .set('X-Two-Factor-Confirmation', id)
        .expect(403);
    }
    // The failure counter kept every judged guess (and no more than were sent).
    const [counter] = await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [`uc:${target}`]);
    expect(Number(counter.count)).toBeGreaterThanOrEqual(seen.guesses.judged);
    expect(Number(counter.count)).toBeLessThanOrEqual(seen.guesses.sent);
  }, 90_000);
});
