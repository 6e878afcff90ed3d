import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { generateSync } from 'otplib';
import pg from 'pg';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { ConfirmerService, SignInService } from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';
import { API, bootDemo, freshUser, TEST_SECRET, type DemoHarness } from '../support/demo-harness.js';
import { methodConfigId } from '../support/flows.js';
import { LogCapture } from '../support/log-capture.js';
import { keepsPreparedStatementsInTransactionMode, PgBouncer, pgBouncerVersion, type PgBouncerSettings } from '../support/pgbouncer.js';
import { LOGIN } from '../support/sign-in.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SENSITIVE = '/api/v1/account/sensitive-action';
const INSTANCES = 4;

/**
 * What the pooler keeps decides `preparedStatements` (docs/operations/many-instances.md):
 * in transaction mode a client's next statement may run on another server connection, so
 * named prepared statements only work where PgBouncer tracks them itself (1.21+, with
 * `max_prepared_statements > 0`); before 1.21 the module's must be off there. Session mode
 * keeps one server connection per client, so they stay on.
 */
interface Cell {
  pooler: string;
  bouncer: PgBouncerSettings;
  preparedStatements: boolean;
  /** Each instance's pool (TypeORM's `poolSize`). */
  poolSize: number;
}

const version = pgBouncerVersion();
const tracksPrepared = keepsPreparedStatementsInTransactionMode(version);
const CELLS: Cell[] = [
  // 4 instances × 10 client connections on 8 server connections: PgBouncer multiplexes them.
  // (1.21+ would track prepared statements, on by default from 1.24: off here, as a pooler that does not.)
  {
    pooler: 'transaction mode',
    bouncer: { pool_mode: 'transaction', default_pool_size: 8, ...(tracksPrepared ? { max_prepared_statements: 0 } : {}) },
    preparedStatements: false,
    poolSize: 10,
  },
  tracksPrepared
    ? {
        pooler: 'transaction mode, max_prepared_statements = 200',
        bouncer: { pool_mode: 'transaction', default_pool_size: 8, max_prepared_statements: 200 },
        preparedStatements: true,
        poolSize: 10,
      }
    : // Before 1.21: prepared statements only where a client keeps its server connection. Session mode holds one
      // per client connection for as long as the client keeps it, so the pools stay small (4 × 4 ≤ 20).
      { pooler: 'session mode', bouncer: { pool_mode: 'session', default_pool_size: 20 }, preparedStatements: true, poolSize: 4 },
];

/** The step an authenticator app on this machine shows now. */
const currentStep = () => Math.floor(Date.now() / 30_000);

/**
 * Many app instances behind a pooler (issue 23): four demo apps, each with its own
 * DataSource and pool, on one PostgreSQL database reached only through a PgBouncer the
 * suite starts itself. Every race is spread over all four, so nothing but the database
 * (through the pooler) can decide it: one use per proof, one judged guess per cooldown
 * window, one session per sign-in, one success per confirmation and per TOTP time step,
 * and no 5xx. PgBouncer must be installed (CI installs Debian's): without it this fails.
 */
describe.each(CELLS)(
  `four demo instances behind PgBouncer ${version?.join('.') ?? '(not installed)'} ($pooler, preparedStatements $preparedStatements) on postgres, ${TEST_HTTP_ADAPTER}`,
  ({ bouncer: settings, preparedStatements, poolSize }) => {
    let db: TestDatabase;
    let bouncer: PgBouncer;
    let h: DemoHarness;
    let instances: Array<{ app: DemoHarness['app']; http: DemoHarness['http'] }>;
    let dummy: number;
    const logs = new LogCapture();

    beforeAll(async () => {
      db = await createTestDatabase('postgres');
      bouncer = await new PgBouncer(settings).start(db.url);
      h = await bootDemo('postgres', {
        // The harness boots every instance on this URL, and leaves the database to this suite.
        db: { ...db, url: bouncer.via(db.url) },
        databaseExtra: { poolSize },
        logger: logs,
        // Every request here comes from 127.0.0.1.
        twoFactor: { preparedStatements, anonymousRequestsPerIpPerHour: 10_000 },
      });
      // The first instance migrated and seeded; the other three start together, as a scaled-out deployment does.
      instances = [h, ...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => h.another())))];
      dummy = await methodConfigId(h, 'dummy');
    }, 60_000);
    afterAll(async () => {
      await h?.close();
      await bouncer?.stop();
      await db?.drop();
    });
    // The module's filter logs every 500 it answers: none, on any instance, in any test.
    afterEach(() => expect(logs.lines.filter((line) => line.level === 'error')).toEqual([]));

    /** Instance `i` (round robin): consecutive calls land on different instances. */
    const at = (i: number) => instances[i % INSTANCES].http;
    const outcomes = (responses: Response[]) => responses.map((response) => `${response.status} ${response.body.code ?? ''}`.trim());
    const count = (all: string[], outcome: string) => all.filter((one) => one === outcome).length;

    /** Enrols `user` in the dummy method on instance `i` and confirms it on the next one; returns the factor's id. */
    const enrol = async (user: string, code: string, i = 0): Promise<number> => {
      const auth = await h.auth(user);
      const created = await at(i).post(`${API}/user-config/own/create/`).set(auth).send({ method_config_id: dummy, config: { code } }).expect(201);
      await at(i + 1)
        .post(`${API}/user-config/own/confirm/`)
        .set(auth)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
        .expect(200);
      return created.body.item.id;
    };
    /** A step-up confirmation of `factor`, requested on instance `i`; returns its id. */
    const request = async (user: string, factor: number, i = 0): Promise<string> =>
      (
        await at(i)
          .post(`${API}/confirmation/request/`)
          .set(await h.auth(user))
          .send({ user_config_id: factor })
          .expect(201)
      ).body.id;
    const confirm = async (user: string, id: string, code: string, i = 0) =>
      at(i)
        .post(`${API}/confirmation/confirm/`)
        .set(await h.auth(user))
        .send({ id, data: { code } });
    const failures = async (factor: number) => {
      const rows = await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [`uc:${factor}`]);
      return rows.length ? Number(rows[0].count) : 0;
    };

    describe('one use per proof', () => {
      it('a step-up spread over the four (enrolled on 1 and 2, asked for on 3, proven on 4): of 40 parallel uses on all four, one passes', async () => {
        const user = freshUser();
        const factor = await enrol(user, 'right', 0);
        const proof = await request(user, factor, 2);
        expect((await confirm(user, proof, 'right', 3)).status).toBe(200);
        const auth = await h.auth(user);
        const calls = await Promise.all(Array.from({ length: 40 }, (_, i) => at(i).post(SENSITIVE).set(auth).set('X-Two-Factor-Confirmation', proof)));
        const all = outcomes(calls);
        expect(count(all, '200')).toBe(1);
        expect(count(all, '403 two_factor_required')).toBe(39);
        expect(await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [proof])).toEqual([]);
      });

      it('40 parallel ConfirmerService.use calls on the four instances (every read before any write): used once', async () => {
        const user = freshUser();
        const factor = await enrol(user, 'right', 1);
        const proof = await request(user, factor, 2);
        expect((await confirm(user, proof, 'right', 3)).status).toBe(200);
        const confirmers = instances.map((instance) => instance.app.get(ConfirmerService));
        const uses = await Promise.all(Array.from({ length: 40 }, (_, i) => confirmers[i % INSTANCES].use({ id: proof, userId: user })));
        expect(uses.filter((use) => use.used)).toHaveLength(1);
      });

      it('50 parallel right answers to one confirmation across the four: one 200, the rest already_confirmed', async () => {
        const user = freshUser();
        const factor = await enrol(user, 'right', 2);
        const id = await request(user, factor, 3);
        const all = outcomes(await Promise.all(Array.from({ length: 50 }, (_, i) => confirm(user, id, 'right', i))));
        expect(count(all, '200')).toBe(1);
        expect(count(all, '409 already_confirmed')).toBe(49);
      });
    });

    describe('one judged guess per cooldown window', () => {
      /** A factor whose 5th failure's cooldown has just run out, with a fresh challenge: the next wrong guess starts a new cooldown. */
      const cooledDown = async (user: string) => {
        const factor = await enrol(user, 'right', 3);
        await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 5, 0)', [`uc:${factor}`]);
        return { factor, id: await request(user, factor, 1) };
      };
      const judgedOnce = async (factor: number, id: string, all: string[]) => {
        expect(count(all, '400 confirmation_failed')).toBe(1);
        expect(count(all, '429 rate_limited')).toBe(all.length - 1);
        const [row] = await h.sql('SELECT attempts FROM two_factor_confirmation WHERE id = ?', [id]);
        expect(Number(row.attempts)).toBe(1);
        expect(await failures(factor)).toBe(6);
      };

      it('right after a cooldown, 48 parallel wrong guesses across the four: one is judged, the rest wait', async () => {
        const user = freshUser();
        const { factor, id } = await cooledDown(user);
        const answers = await Promise.all(Array.from({ length: 48 }, (_, i) => confirm(user, id, `guess-${i}`, i)));
        await judgedOnce(factor, id, outcomes(answers));
      });

      it('the same straight through ConfirmerService on the four instances (every read before any write)', async () => {
        const user = freshUser();
        const { factor, id } = await cooledDown(user);
        const confirmers = instances.map((instance) => instance.app.get(ConfirmerService));
        const settled = await Promise.allSettled(
          Array.from({ length: 48 }, (_, i) => confirmers[i % INSTANCES].confirm({ id, userId: user, data: { code: `guess-${i}` } })),
        );
        const statusOf: Record<string, number> = { confirmation_failed: 400, rate_limited: 429 };
        const all = settled.map((outcome) => {
          if (outcome.status === 'fulfilled') return '200';
          const code = (outcome.reason as { code?: string }).code ?? String(outcome.reason);
          return `${statusOf[code] ?? '?'} ${code}`;
        });
        await judgedOnce(factor, id, all);
      });
    });

    describe('one session per sign-in', () => {
      let aliceFactor: number;
      beforeAll(async () => {
        // Before alice has a factor her password alone signs her in (the harness keeps that token).
        aliceFactor = await enrol('alice', 'alice-code', 1);
      });
      /** The password step on instance `i`, and the code asked for on the next one: the pending sign-in's token. */
      const pending = async (i: number): Promise<string> => {
        const login = await at(i).post(LOGIN).send({ username: 'alice', password: 'demo-password' }).expect(200);
        expect(login.body.two_factor_required).toBe(true);
        const token: string = login.body.sign_in_token;
        await at(i + 1)
          .post(`${LOGIN}/request`)
          .send({ sign_in_token: token, user_config_id: aliceFactor })
          .expect(201);
        return token;
      };
      const gone = async (token: string) =>
        expect(await h.sql('SELECT user_id FROM two_factor_sign_in WHERE token_hash = ?', [new SecretBox(TEST_SECRET).hash(token)])).toEqual([]);

      it('20 parallel second steps with the right code across the four: exactly one session, and its token works on every instance', async () => {
        const token = await pending(2);
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            at(i)
              .post(`${LOGIN}/confirm`)
              .send({ sign_in_token: token, data: { code: 'alice-code' } }),
          ),
        );
        const sessions = responses.filter((response) => response.status === 200);
        expect(sessions).toHaveLength(1);
        for (const response of responses) expect(response.status).toBeLessThan(500);
        await gone(token);
        for (let i = 0; i < INSTANCES; i++) {
          await at(i).get(`${API}/user-config/own/list/`).set('Authorization', `Bearer ${sessions[0].body.access_token}`).expect(200);
        }
      });

      it('20 parallel second steps straight through SignInService on the four instances: exactly one completes', async () => {
        const token = await pending(3);
        const services = instances.map((instance) => instance.app.get(SignInService));
        const settled = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => services[i % INSTANCES].confirm(token, { data: { code: 'alice-code' } })),
        );
        expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of settled)
          if (outcome.status === 'rejected') expect((outcome.reason as { getStatus?: () => number }).getStatus?.()).toBeLessThan(500);
        await gone(token);
      });
    });

    it('one TOTP code on 24 live confirmations across the four: the time step is claimed once', async () => {
      const user = freshUser();
      const auth = await h.auth(user);
      const created = await at(0)
        .post(`${API}/user-config/own/create/`)
        .set(auth)
        .send({ method_config_id: await methodConfigId(h, 'totp'), config: {} })
        .expect(201);
      const factor: number = created.body.item.id;
      const secret = new URL(created.body.enrollment.otpauth_uri).searchParams.get('secret')!;
      const codeAt = (step: number) => generateSync({ secret, epoch: step * 30, period: 30, digits: 6, algorithm: 'sha1' });
      const step = currentStep();
      await at(1)
        .post(`${API}/user-config/own/confirm/`)
        .set(auth)
        .send({ id: factor, confirmation_id: created.body.confirmation_id, data: { code: codeAt(step) } })
        .expect(200);
      const confirmations: string[] = [];
      for (let i = 0; i < 24; i++) confirmations.push(await request(user, factor, i));
      // Each request voids the older ones (challenge_seq); revive them all, so only the replay guard stands between them.
      await h.sql(
        'UPDATE two_factor_confirmation SET challenge_seq = (SELECT u.challenge_seq FROM two_factor_user_config u WHERE u.id = ?) WHERE user_config_id = ?',
        [factor, factor],
      );
      const all = outcomes(await Promise.all(confirmations.map((id, i) => confirm(user, id, codeAt(step + 1), i))));
      expect(count(all, '200')).toBe(1);
      // The losers are wrong answers; after a few, the factor's failure cooldown answers for them.
      expect(count(all, '400 confirmation_failed') + count(all, '429 rate_limited')).toBe(23);
      const [row] = await h.sql('SELECT replay_guard FROM two_factor_user_config WHERE id = ?', [factor]);
      expect(Number(row.replay_guard)).toBe(step + 1);
    });

    it('reaches PostgreSQL only through PgBouncer: never more server connections than its pool, however many the instances hold', async () => {
      const user = freshUser();
      const auth = await h.auth(user);
      // A burst on every instance at once, so each pool opens what it needs.
      const burst = await Promise.all(Array.from({ length: 80 }, (_, i) => at(i).get(`${API}/user-config/own/list/`).set(auth)));
      expect(burst.every((response) => response.status === 200)).toBe(true);
      const clients = instances.reduce((sum, instance) => sum + (instance.app.get(DataSource).driver as unknown as { master: pg.Pool }).master.totalCount, 0);
      const server = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await server.connect();
      try {
        const [{ n }] = (await server.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [new URL(db.url).pathname.slice(1)])).rows;
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(settings.default_pool_size);
        // Transaction mode: more client connections than server connections, and every race above still held.
        if (settings.pool_mode === 'transaction') expect(clients).toBeGreaterThan(n);
      } finally {
        await server.end();
      }
    });
  },
);
