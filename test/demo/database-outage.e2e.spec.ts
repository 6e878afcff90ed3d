import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { createServer } from 'node:net';
import { DatabaseUnreachableAtStartError } from '../../src/app.factory.js';
import { API, bootDemo, freshUser } from '../support/demo-harness.js';
import { bootFaultyDemo, type FaultyDemo } from '../support/database-fault.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { LogCapture } from '../support/log-capture.js';
import { createTestDatabase, DATABASE_KINDS, isServerDatabase } from '../support/test-database.js';

/** Issue 10 item 3: a database outage is a 503 with Retry-After, logged once per interval, and the app recovers by itself. */
/** The module logs each kind of error at most once per this interval (docs/operations/database-outage.md). */
const ERROR_LOG_INTERVAL_MS = 10_000;

describe.each(DATABASE_KINDS)(`database outage on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let demo: FaultyDemo;
  const log = new LogCapture();
  beforeAll(async () => {
    demo = await bootFaultyDemo(kind, { logger: log, twoFactor: { methodConfigCacheSeconds: 0 } });
  });
  afterAll(() => demo.close());

  async function untilHealthy(): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      if ((await demo.h.http.get('/health')).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the app did not recover within 20 s');
  }

  it('answers 503 database_unavailable with Retry-After on every write route, the step-up guard and /health, logs it once per interval, and recovers', async () => {
    const { h } = demo;
    const user = freshUser();
    const auth = await h.auth(user);
    const factor = await enrolDummy(h, user, 'right');
    const proof = await stepUpProof(h, user);
    const pending = await requestFor(h, user, factor);
    const dummy = await methodConfigId(h, 'dummy');
    const calls = () => [
      h.http
        .post(`${API}/user-config/own/create/`)
        .set(auth)
        .set(proof)
        .send({ method_config_id: dummy, config: { code: 'x' } }),
      h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).set(proof).send({ title: 'renamed' }),
      h.http.delete(`${API}/user-config/own/${factor}/destroy/`).set(auth).set(proof),
      h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: factor }),
      h.http
        .post(`${API}/confirmation/confirm/`)
        .set(auth)
        .send({ id: pending, data: { code: 'right' } }),
      h.http.post('/api/v1/account/sensitive-action').set(auth).set(proof),
      ...(isServerDatabase(kind)
        ? [
            h.http.get(`${API}/user-config/own/list/`).set(auth),
            h.http.get(`${API}/method-config/list/active/`),
            h.http.get(`${API}/confirmation/${pending}/check/`).set(auth),
            h.http.get('/health'),
          ]
        : []),
    ];
    const started = Date.now();
    await demo.cut();
    let answered = 0;
    for (let round = 0; round < 5; round++) {
      for (const call of calls()) {
        const response = await call;
        answered++;
        expect({ status: response.status, code: response.body.code, retryAfter: response.headers['retry-after'] }).toEqual({
          status: 503,
          code: 'database_unavailable',
          retryAfter: '5',
        });
        expect(response.body.details).toEqual({ retry_after: 5 });
      }
    }
    const elapsed = Date.now() - started;
    // One line per interval for the whole outage, not one per request.
    const lines = log.errors(/Database unavailable/);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / ERROR_LOG_INTERVAL_MS));
    expect(answered).toBeGreaterThan(lines.length * 5);
    expect(log.errors(/Unexpected/)).toEqual([]);
    await demo.restore();
    await untilHealthy();
    // Nothing was decided while it was down: the proof and the pending code are still good, once.
    await h.http.post('/api/v1/account/sensitive-action').set(auth).set(proof).expect(200);
    await h.http.post('/api/v1/account/sensitive-action').set(auth).set(proof).expect(403);
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .set(auth)
      .send({ id: pending, data: { code: 'right' } })
      .expect(200);
  });
});

describe(`database down at boot (PostgreSQL port closed), ${TEST_HTTP_ADAPTER}`, () => {
  it('fails the start with one clear error after the configured tries, instead of aborting the process', async () => {
    // A port that refuses connections: listen, note it, close.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const db = { kind: 'postgres' as const, url: `postgres://postgres@127.0.0.1:${port}/nothing`, drop: async () => undefined };
    const log = new LogCapture();
    const started = bootDemo('postgres', { db, logger: log, databaseConnect: { attempts: 2, delayMs: 10 } });
    await expect(started).rejects.toThrow(DatabaseUnreachableAtStartError);
    await expect(started).rejects.toThrow(/did not answer at start \(2 tries\).*ECONNREFUSED/);
    expect(log.errors(/Unable to connect to the database/)).toHaveLength(2);
  });

  it('lets any other start failure through as it is', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      await expect(bootDemo('sqlite', { db, twoFactorSecret: 'short' })).rejects.not.toThrow(DatabaseUnreachableAtStartError);
    } finally {
      await db.drop();
    }
  });
});
