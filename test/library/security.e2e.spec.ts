import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ConfirmerService, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { enrolDummy, methodConfigId, requestFor, stepUpProof } from '../support/flows.js';
import { DATABASE_KINDS, isServerDatabase } from '../support/test-database.js';

const SENSITIVE = '/api/v1/account/sensitive-action';

/** The attacks behind docs/operations/security-model.md, each as a test, on every database. */
describe.each(DATABASE_KINDS)(`security on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  /** Raw SQL through the harness, which writes it for the database at hand (MySQL quotes `key`). */
  let db: { query(text: string): Promise<any[]> };
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    h = await bootLibrary(kind, { twoFactor: { anonymousRequestsPerIpPerHour: 1000 } });
    db = { query: (text) => h.sql(text) };
  });
  afterAll(() => h.close());
  beforeEach(() => {
    alice = freshUser();
    bob = freshUser();
  });

  const confirm = async (user: string | null, id: string, code: unknown) => {
    const call = h.http.post(`${API}/confirmation/confirm/`);
    if (user) call.set(await h.auth(user));
    return call.send({ id, data: { code } });
  };
  const request = async (user: string, userConfigId: number) =>
    h.http
      .post(`${API}/confirmation/request/`)
      .set(await h.auth(user))
      .send({ user_config_id: userConfigId });
  const failures = async (key: string) => {
    const rows = await db.query(`SELECT count FROM two_factor_failure_counter WHERE key = '${key}'`);
    return rows.length ? Number(rows[0].count) : 0;
  };
  /** Moves the factor's last failure into the past, as if its cooldown had run out. */
  const endCooldown = (key: string) => db.query(`UPDATE two_factor_failure_counter SET last_failed_at = 0 WHERE key = '${key}'`);

  describe('guessing', () => {
    it('the 6th attempt on a challenge is refused with 429, even with the right code', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const id = await requestFor(h, alice, factor);
      for (let i = 0; i < 5; i++) expect((await confirm(alice, id, `wrong${i}`)).status).toBe(400);
      await endCooldown(`uc:${factor}`);
      const sixth = await confirm(alice, id, 'right');
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe('confirmation_locked');
    });

    it('a new challenge does not reset the count: from the 5th failure, 429 rate_limited with Retry-After', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const first = await requestFor(h, alice, factor);
      for (let i = 0; i < 5; i++) await confirm(alice, first, `wrong${i}`);
      expect(await failures(`uc:${factor}`)).toBe(5);
      const again = await request(alice, factor);
      expect(again.status).toBe(429);
      expect(again.body.code).toBe('rate_limited');
      expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(29);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(30);
    });

    it('the cooldown doubles with each further failure and also stops attempts on an open challenge', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const first = await requestFor(h, alice, factor);
      for (let i = 0; i < 5; i++) await confirm(alice, first, `wrong${i}`);
      await endCooldown(`uc:${factor}`);
      const second = await requestFor(h, alice, factor);
      expect((await confirm(alice, second, 'wrong-6')).status).toBe(400);
      const blocked = await confirm(alice, second, 'right');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(30);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(await failures(`uc:${factor}`)).toBe(6);
    });

    it('guesses spread over many challenges stay capped: at 100 consecutive failures the factor locks until re-enrolled', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      // Re-enrolling a locked factor needs a proof from another one (issue 18).
      await enrolDummy(h, alice, 'other');
      await db.query(`INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES ('uc:${factor}', 99, 0)`);
      const id = await requestFor(h, alice, factor);
      expect((await confirm(alice, id, 'wrong')).status).toBe(400);
      const [row] = await db.query(`SELECT status FROM two_factor_user_config WHERE id = ${factor}`);
      expect(row.status).toBe('locked');
      const listed = (
        await h.http
          .get(`${API}/user-config/own/list/`)
          .set(await h.auth(alice))
          .expect(200)
      ).body;
      expect(listed.find((item: { id: number }) => item.id === factor)).toMatchObject({ status: 'locked', is_available: false });
      await endCooldown(`uc:${factor}`);
      const refused = await request(alice, factor);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('factor_locked');
      // Re-enrolling (a new config, proven) lifts the lock and the count.
      const changed = await h.http
        .put(`${API}/user-config/own/${factor}/update/`)
        .set(await h.auth(alice))
        .set(await stepUpProof(h, alice))
        .send({ config: { code: 'fresh' } })
        .expect(200);
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(await h.auth(alice))
        .send({ id: factor, confirmation_id: changed.body.confirmation_id, data: { code: 'fresh' } })
        .expect(200);
      expect(await failures(`uc:${factor}`)).toBe(0);
    });

    it('a success resets only that factor’s count', async () => {
      const a = await enrolDummy(h, alice, 'code-a');
      const b = await enrolDummy(h, alice, 'code-b');
      const onA = await requestFor(h, alice, a);
      const onB = await requestFor(h, alice, b);
      for (let i = 0; i < 3; i++) await confirm(alice, onA, `x${i}`);
      for (let i = 0; i < 2; i++) await confirm(alice, onB, `y${i}`);
      expect((await confirm(alice, onA, 'code-a')).status).toBe(200);
      expect(await failures(`uc:${a}`)).toBe(0);
      expect(await failures(`uc:${b}`)).toBe(2);
    });

    it('method-level confirmations of a signed-in user count per user and method config', async () => {
      const dummy = await methodConfigId(h, 'dummy');
      const first = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await h.auth(alice))
        .send({ method_config_id: dummy });
      for (let i = 0; i < 5; i++) await confirm(alice, first.body.id, `nope${i}`);
      expect(await failures(`mc:${dummy}:${alice}`)).toBe(5);
      const again = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await h.auth(alice))
        .send({ method_config_id: dummy });
      expect(again.status).toBe(429);
    });

    it('only an exact spelling passes: no prefix, suffix, padding or case variant of the code', async () => {
      const factor = await enrolDummy(h, alice, 'Right7');
      for (const variant of ['xRight7', 'Right7 ', ' Right7', 'right7', 'Right', 'Right77', 'Ｒight7']) {
        const id = await requestFor(h, alice, factor);
        expect((await confirm(alice, id, variant)).status).toBe(400);
        await endCooldown(`uc:${factor}`);
      }
    });
  });

  describe('races', () => {
    it('10 parallel wrong codes raise the counters by exactly 10', async () => {
      const wide = await bootLibrary(kind, { db: h.db, twoFactor: { maxAttempts: 10, cooldownAfterFailures: 50 } });
      try {
        const factor = await enrolDummy(wide, alice, 'right');
        const id = await requestFor(wide, alice, factor);
        const auth = await wide.auth(alice);
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            wide.http
              .post(`${API}/confirmation/confirm/`)
              .set(auth)
              .send({ id, data: { code: `w${i}` } }),
          ),
        );
        expect(answers.every((answer) => answer.status === 400)).toBe(true);
        const [row] = await db.query(`SELECT attempts FROM two_factor_confirmation WHERE id = '${id}'`);
        expect(Number(row.attempts)).toBe(10);
        expect(await failures(`uc:${factor}`)).toBe(10);
      } finally {
        await wide.close();
      }
    });

    it('50 parallel right answers across two app instances: exactly one success', async () => {
      const second = await h.another();
      const factor = await enrolDummy(h, alice, 'right');
      const id = await requestFor(h, alice, factor);
      const auth = await h.auth(alice);
      const apps = [h.http, second.http];
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          apps[i % 2]
            .post(`${API}/confirmation/confirm/`)
            .set(auth)
            .send({ id, data: { code: 'right' } }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status !== 200).every((answer) => answer.body.code === 'already_confirmed')).toBe(true);
    });

    /** A factor whose 5th failure's cooldown has just run out, with a fresh challenge: the next wrong guess starts a new cooldown. */
    const cooledDown = async () => {
      const factor = await enrolDummy(h, alice, 'right');
      await db.query(`INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES ('uc:${factor}', 5, 0)`);
      return { factor, id: await requestFor(h, alice, factor) };
    };
    const judgedOnce = async (factor: number, id: string, outcomes: string[]) => {
      expect(outcomes.filter((outcome) => outcome === '400 confirmation_failed')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === '429 rate_limited')).toHaveLength(49);
      const [row] = await db.query(`SELECT attempts FROM two_factor_confirmation WHERE id = '${id}'`);
      expect(Number(row.attempts)).toBe(1);
      expect(await failures(`uc:${factor}`)).toBe(6);
    };

    it('right after a cooldown, 50 parallel wrong guesses across two app instances: one is judged, the rest wait', async () => {
      const second = await h.another();
      const { factor, id } = await cooledDown();
      const auth = await h.auth(alice);
      const apps = [h.http, second.http];
      const guess = (i: number) =>
        apps[i % 2]
          .post(`${API}/confirmation/confirm/`)
          .set(auth)
          .send({ id, data: { code: `guess-${i}` } });
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => guess(i)));
      await judgedOnce(
        factor,
        id,
        answers.map((answer) => `${answer.status} ${answer.body.code}`),
      );
    });

    it('the same, straight through ConfirmerService (every read before any write, so it bites on SQLite too): one judged guess per window', async () => {
      const { factor, id } = await cooledDown();
      // Two instances in one process cannot share a SQLite file under load: better-sqlite3 waits for a lock synchronously,
      // blocking the very event loop that would release it. There, one instance's queue puts every read before any write.
      const instances = isServerDatabase(kind) ? [h.app, (await h.another()).app] : [h.app];
      const confirmers = instances.map((app) => app.get(ConfirmerService));
      const guess = (i: number) => confirmers[i % confirmers.length].confirm({ id, userId: alice, data: { code: `guess-${i}` } });
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => guess(i)));
      const codes = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string; status?: number }).code : 'confirmed'));
      const statusOf: Record<string, string> = { confirmation_failed: '400', rate_limited: '429' };
      await judgedOnce(
        factor,
        id,
        codes.map((code) => `${statusOf[code] ?? '?'} ${code}`),
      );
    });

    it('50 parallel uses of one step-up proof on the guarded route, across two app instances: exactly one passes', async () => {
      const second = await h.another();
      await enrolDummy(h, alice, 'right');
      const proof = await stepUpProof(h, alice);
      const auth = await h.auth(alice);
      const apps = [h.http, second.http];
      const calls = await Promise.all(Array.from({ length: 50 }, (_, i) => apps[i % 2].post(SENSITIVE).set(auth).set(proof)));
      expect(calls.filter((call) => call.status === 200)).toHaveLength(1);
      expect(calls.filter((call) => call.status === 403)).toHaveLength(49);
    });
  });

  describe('binding', () => {
    it("user B on A's confirmation: 404 like a missing one, and A's counters stay as they were", async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const id = await requestFor(h, alice, factor);
      const foreign = await confirm(bob, id, 'wrong');
      const missing = await confirm(bob, '00000000-0000-4000-8000-000000000000', 'wrong');
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      const [row] = await db.query(`SELECT attempts, status FROM two_factor_confirmation WHERE id = '${id}'`);
      expect(Number(row.attempts)).toBe(0);
      expect(await failures(`uc:${factor}`)).toBe(0);
      expect((await confirm(alice, id, 'right')).status).toBe(200);
    });
  });

  describe('step-up', () => {
    it('the guarded route answers 403 two_factor_required, listing the available factors and nothing secret', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const response = await h.http
        .post(SENSITIVE)
        .set(await h.auth(alice))
        .expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'two_factor_required' });
      expect(response.body.details.available).toEqual([{ id: factor, method: 'dummy', title: 'Dummy' }]);
      expect(JSON.stringify(response.body)).not.toContain('right');
    });

    it('the guarded route needs a signed-in user', async () => {
      const response = await h.http.post(SENSITIVE).expect(401);
      expect(response.body.code).toBe('unauthenticated');
    });

    it('a proof passes once, and only for its own user', async () => {
      await enrolDummy(h, alice, 'right');
      await enrolDummy(h, bob, 'other');
      const proof = await stepUpProof(h, alice);
      await h.http
        .post(SENSITIVE)
        .set(await h.auth(bob))
        .set(proof)
        .expect(403);
      await h.http
        .post(SENSITIVE)
        .set(await h.auth(alice))
        .set(proof)
        .expect(200);
      await h.http
        .post(SENSITIVE)
        .set(await h.auth(alice))
        .set(proof)
        .expect(403);
    });

    it('a method-level confirmation (the global dummy code anyone knows) is no proof', async () => {
      await enrolDummy(h, alice, 'right');
      const dummy = await methodConfigId(h, 'dummy');
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await h.auth(alice))
        .send({ method_config_id: dummy })
        .expect(201);
      await confirm(alice, requested.body.id, 'dummy-method').then((r) => expect(r.status).toBe(200));
      await h.http
        .post(SENSITIVE)
        .set(await h.auth(alice))
        .set({ 'X-Two-Factor-Confirmation': requested.body.id })
        .expect(403);
    });

    it('changing, deactivating, re-defaulting, deleting a confirmed factor, or adding one, needs a proof', async () => {
      const factor = await enrolDummy(h, alice, 'right');
      const auth = await h.auth(alice);
      const dummy = await methodConfigId(h, 'dummy');
      const attempts = [
        h.http
          .put(`${API}/user-config/own/${factor}/update/`)
          .set(auth)
          .send({ config: { code: 'new' } }),
        h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).send({ is_active: false }),
        h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).send({ is_default: true }),
        h.http.delete(`${API}/user-config/own/${factor}/destroy/`).set(auth),
        h.http
          .post(`${API}/user-config/own/create/`)
          .set(auth)
          .send({ method_config_id: dummy, config: { code: 'attacker' } }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('two_factor_required');
      }
      const [row] = await db.query(`SELECT status, is_active, is_default FROM two_factor_user_config WHERE id = ${factor}`);
      expect(row.status).toBe('confirmed');
      expect(await db.query(`SELECT id FROM two_factor_user_config WHERE user_id = '${alice}'`)).toHaveLength(1);
      // A title is not a factor change: no proof needed.
      await h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).send({ title: 'Phone' }).expect(200);
      // With a proof the change goes through, and the proof is spent.
      const proof = await stepUpProof(h, alice);
      await h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).set(proof).send({ is_active: false }).expect(200);
      await h.http.patch(`${API}/user-config/own/${factor}/update/`).set(auth).set(proof).send({ is_default: true }).expect(200);
    });
  });

  describe('limits', () => {
    it('caps anonymous requests per client address, across app instances', async () => {
      const capped = await bootLibrary(kind, { db: h.db, twoFactor: { anonymousRequestsPerIpPerHour: 3 } });
      const second = await capped.another();
      try {
        const dummy = await methodConfigId(capped, 'dummy');
        const before = await db.query('SELECT COUNT(*) AS n FROM two_factor_confirmation');
        const statuses: number[] = [];
        for (const app of [capped.http, second.http, capped.http, second.http]) {
          const response = await app.post(`${API}/confirmation/request/`).send({ method_config_id: dummy });
          statuses.push(response.status);
          if (response.status === 429) {
            expect(response.body.code).toBe('rate_limited');
            expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
          }
        }
        expect(statuses).toEqual([201, 201, 201, 429]);
        const after = await db.query('SELECT COUNT(*) AS n FROM two_factor_confirmation');
        expect(Number(after[0].n) - Number(before[0].n)).toBe(3);
      } finally {
        await capped.close();
      }
    });
  });

  describe('secrets', () => {
    it('no response, header, log line or audit event of a full flow holds a code or hash; no row holds a plaintext code', async () => {
      const lines: string[] = [];
      const logger = {
        log: (m: unknown) => lines.push(String(m)),
        error: (m: unknown) => lines.push(String(m)),
        warn: (m: unknown) => lines.push(String(m)),
        debug: (m: unknown) => lines.push(String(m)),
        verbose: (m: unknown) => lines.push(String(m)),
      };
      const logged = await bootLibrary(kind, { db: h.db });
      logged.app.useLogger(logger);
      const events: TwoFactorAuditEvent[] = [];
      logged.app.get(EventEmitter2).onAny((_name: string | string[], event: TwoFactorAuditEvent) => events.push(event));
      const seen: string[] = [];
      const record = (response: { headers: object; text: string }) => seen.push(JSON.stringify(response.headers), response.text);
      try {
        const code = 'Pl41nt3xt-c0de';
        const auth = await logged.auth(alice);
        const dummy = await methodConfigId(logged, 'dummy');
        const created = await logged.http.post(`${API}/user-config/own/create/`).set(auth).send({ method_config_id: dummy, config: { code } });
        record(created);
        record(
          await logged.http
            .post(`${API}/user-config/own/confirm/`)
            .set(auth)
            .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'wrong' } }),
        );
        record(
          await logged.http
            .post(`${API}/user-config/own/confirm/`)
            .set(auth)
            .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } }),
        );
        const requested = await logged.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: created.body.item.id });
        record(requested);
        record(await logged.http.get(`${API}/confirmation/${requested.body.id}/check/`).set(auth));
        record(await logged.http.post(`${API}/confirmation/confirm/`).set(auth).send({ id: requested.body.id, data: { code } }));
        record(await logged.http.get(`${API}/user-config/own/list/`).set(auth));
        record(await logged.http.post(SENSITIVE).set(auth).set({ 'X-Two-Factor-Confirmation': requested.body.id }));

        const rows = [
          ...(await db.query(`SELECT * FROM two_factor_user_config WHERE user_id = '${alice}'`)),
          ...(await db.query(`SELECT * FROM two_factor_confirmation WHERE user_id = '${alice}'`)),
        ];
        const hashes = rows.flatMap((row) => JSON.stringify(row).match(/[0-9a-f]{8}:[0-9a-f]{64}/g) ?? []);
        expect(hashes.length).toBeGreaterThan(0);
        expect(JSON.stringify(rows)).not.toContain(code);
        const everything = [...seen, ...lines, JSON.stringify(events)].join('\n');
        expect(everything).not.toContain(code);
        for (const hash of hashes) expect(everything).not.toContain(hash.split(':')[1]);
        expect(events.map((event) => event.name)).toEqual(
          expect.arrayContaining([
            'two_factor.user_config.created',
            'two_factor.confirmation.failed',
            'two_factor.user_config.confirmed',
            'two_factor.confirmation.requested',
            'two_factor.confirmation.confirmed',
            'two_factor.confirmation.used',
          ]),
        );
        expect(lines.some((line) => line.includes('two_factor.confirmation.failed'))).toBe(true);
      } finally {
        await logged.close();
      }
    });
  });

  describe('cleanup', () => {
    it('purgeExpired deletes expired and locked confirmations in batches and keeps live ones', async () => {
      const small = await bootLibrary(kind, { db: h.db, twoFactor: { purgeBatchSize: 2 } });
      try {
        const dummy = await methodConfigId(small, 'dummy');
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) ids.push((await small.http.post(`${API}/confirmation/request/`).send({ method_config_id: dummy })).body.id);
        const expired = ids.slice(0, 5);
        await db.query(`UPDATE two_factor_confirmation SET expires_at = ${Date.now() - 1} WHERE id IN (${expired.map((id) => `'${id}'`).join(', ')})`);
        const deletes = await small.statements.during(() => small.app.get(ConfirmerService).purgeExpired());
        expect(deletes.filter((sql) => /DELETE FROM two_factor_confirmation/.test(sql))).toHaveLength(3);
        const left = await db.query(`SELECT id FROM two_factor_confirmation WHERE id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
        expect(left.map((row: { id: string }) => row.id)).toEqual([ids[5]]);
      } finally {
        await small.close();
      }
    });
  });
});

describe.each(DATABASE_KINDS)(`development options on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  it('debugCodeResponse adds the code that was sent to the request response', async () => {
    const h = await bootLibrary(kind, { twoFactor: { debugCodeResponse: true } });
    try {
      const email = `${freshUser()}@example.com`;
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .send({ method_config_id: await methodConfigId(h, 'email'), data: { email } })
        .expect(201);
      const [sent] = (await h.http.get('/api/v1/dev/outbox').query({ to: email }).expect(200)).body;
      expect(requested.body.debug_code).toMatch(/^[0-9]{6}$/);
      expect(sent.text).toContain(requested.body.debug_code);
    } finally {
      await h.close();
    }
  });

  it('without it, no code is in the response', async () => {
    const h = await bootLibrary(kind);
    try {
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .send({ method_config_id: await methodConfigId(h, 'email'), data: { email: `${freshUser()}@example.com` } })
        .expect(201);
      expect(requested.body.debug_code).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('purgeIntervalSeconds purges expired confirmations on its own', async () => {
    const h = await bootLibrary(kind, { twoFactor: { purgeIntervalSeconds: 1 } });
    try {
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .send({ method_config_id: await methodConfigId(h, 'dummy') })
        .expect(201);
      await h.sql('UPDATE two_factor_confirmation SET expires_at = ? WHERE id = ?', [Date.now() - 1, requested.body.id]);
      const deadline = Date.now() + 5000;
      let left = 1;
      while (left > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = (await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [requested.body.id])).length;
      }
      expect(left).toBe(0);
    } finally {
      await h.close();
    }
  });
});
