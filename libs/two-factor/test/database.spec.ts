import { DataSource } from 'typeorm';
import { ConfirmerService, SignInService } from 'nestjs-two-factor';
import { RateLimiter } from '../src/confirmations/rate-limiter.js';
import { ConfirmationStore } from '../src/persistence/confirmation.store.js';
import { bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, methodConfigId, requestFor } from '../../../test/support/flows.js';
import { DATABASE_KINDS } from '../../../test/support/test-database.js';
import { isTransactionControl } from '../../../test/support/harness.js';

/**
 * The budgets per dialect (CONTRIBUTING.md "SQL per operation"): MySQL/MariaDB have no RETURNING on
 * UPDATE, so a write whose row the operation needs is followed by a read of it in its transaction.
 */
const BUDGETS = {
  sqlite: { request: 2, confirm: 3, confirmSent: 5, check: 1, use: 1, backupCode: 3, signInConfirm: 6 },
  // PostgreSQL's flip records the use in the same statement (a data-modifying CTE): no transaction.
  // The sign-in's claim, spend and recovery cancel are one statement there too (SignInStore.complete).
  postgres: { request: 2, confirm: 2, confirmSent: 2, check: 1, use: 1, backupCode: 3, signInConfirm: 3 },
  mysql: { request: 3, confirm: 4, confirmSent: 6, check: 1, use: 2, backupCode: 4, signInConfirm: 7 },
} as const;

/** Statements TypeORM sent, minus transaction control, which the budgets do not count as work. */
const work = (statements: string[]) => statements.filter((sql) => !isTransactionControl(sql));

describe.each(DATABASE_KINDS)('database on %s', (kind) => {
  let h: LibraryHarness;
  const budget = BUDGETS[kind];
  beforeAll(async () => {
    h = await bootLibrary(kind);
  });
  afterAll(() => h.close());

  it('the shipped migrations build exactly the schema the entities describe', async () => {
    const pending = await h.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has an index for each lookup the hot paths make', async () => {
    const ds = h.app.get(DataSource);
    const catalogue = {
      postgres: `SELECT indexname AS name FROM pg_indexes WHERE tablename LIKE 'two_factor_%'`,
      mysql: `SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name LIKE 'two_factor_%'`,
      sqlite: `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'two_factor_%'`,
    };
    const names: string[] = (await ds.query(catalogue[kind])).map((row: { name: string }) => row.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'IDX_two_factor_confirmation_expires_at',
        'IDX_two_factor_confirmation_user_config',
        'IDX_two_factor_confirmation_user',
        'IDX_two_factor_confirmation_method_config',
        'IDX_two_factor_user_config_user',
        'IDX_two_factor_method_config_method',
        'IDX_two_factor_rate_counter_expires_at',
      ]),
    );
  });

  describe('SQL statements per operation (CONTRIBUTING.md "SQL per operation")', () => {
    let confirmer: ConfirmerService;
    let userConfigId: number;
    const alice = freshUser();
    beforeAll(async () => {
      confirmer = h.app.get(ConfirmerService);
      userConfigId = await enrolDummy(h, alice, 'budget');
      await methodConfigId(h, 'dummy');
      // Warm the method config cache: the budget allows reading method configs from it.
      await requestFor(h, alice, userConfigId);
    });

    it(`request: at most ${budget.request}`, async () => {
      const sent = await h.statements.during(() => confirmer.requestConfirmation({ userId: alice, userConfigId }));
      expect(work(sent).length).toBeLessThanOrEqual(budget.request);
    });

    it(`confirm: at most ${budget.confirm}, ${budget.confirmSent} with transaction control (one records the factor’s use: last_used_at)`, async () => {
      const confirmation = await confirmer.requestConfirmation({ userId: alice, userConfigId });
      const sent = await h.statements.during(() => confirmer.confirm({ userId: alice, id: confirmation.id, data: { code: 'budget' } }));
      expect(work(sent).length).toBeLessThanOrEqual(budget.confirm);
      expect(sent.length).toBeLessThanOrEqual(budget.confirmSent);
      expect(work(sent).filter((sql) => /UPDATE two_factor_user_config SET last_used_at/.test(sql))).toHaveLength(1);
    });

    it(`check: ${budget.check}, reading no config, seed, confirmation state, replay guard or failure counter`, async () => {
      const confirmation = await confirmer.requestConfirmation({ userId: alice, userConfigId });
      const sent = await h.statements.during(() => confirmer.check({ userId: alice, id: confirmation.id }));
      expect(work(sent)).toHaveLength(budget.check);
      // A check judges no answer: what only judging needs (a factor's seed among it) stays in the database.
      expect(work(sent).join('\n')).not.toMatch(/\.config\b|replay_guard|failure_counter/);
      // Nor the confirmation's state (a code's hash, a WebAuthn challenge) or its details' digest.
      expect(work(sent).join('\n')).not.toMatch(/\bc\.state\b|details_digest/);
    });

    it(`use: ${budget.use}`, async () => {
      const confirmation = await confirmer.requestConfirmation({ userId: alice, userConfigId });
      await confirmer.confirm({ userId: alice, id: confirmation.id, data: { code: 'budget' } });
      let used = false;
      const sent = await h.statements.during(async () => {
        used = (await confirmer.use({ userId: alice, id: confirmation.id })).used;
      });
      expect(used).toBe(true);
      expect(work(sent)).toHaveLength(budget.use);
    });

    it(`a step-up under a policy (methods, age, operation): ${budget.use}; refused: 2 (what decides — the DELETE, or on MySQL its locking read that finds nothing — and one read that explains)`, async () => {
      const policy = { methods: ['dummy'], maxAgeSeconds: 60, action: 'transfer', details: { amount: '1.00' } };
      const confirmation = await confirmer.requestConfirmation({ userId: alice, userConfigId, action: 'transfer', details: { amount: '1.00' } });
      await confirmer.confirm({ userId: alice, id: confirmation.id, data: { code: 'budget' } });
      const refused = await h.statements.during(async () => {
        await expect(confirmer.spendProof({ userId: alice, id: confirmation.id, policy: { ...policy, details: { amount: '1.01' } } })).rejects.toMatchObject({
          code: 'proof_action_mismatch',
        });
      });
      expect(work(refused)).toHaveLength(2);
      const spent = await h.statements.during(async () => {
        expect((await confirmer.spendProof({ userId: alice, id: confirmation.id, policy })).id).toBe(confirmation.id);
      });
      expect(work(spent)).toHaveLength(budget.use);
    });

    it(`a backup code: its single-use claim records the use in the same statement (${budget.backupCode} in all, one UPDATE of the factor)`, async () => {
      const bob = freshUser();
      const created = await h.http
        .post('/api/v1/auth/2factor/user-config/own/create/')
        .set(await h.auth(bob))
        .send({ method_config_id: await methodConfigId(h, 'backup_codes'), config: {} })
        .expect(201);
      const confirmation = await confirmer.requestConfirmation({ userId: bob, userConfigId: created.body.item.id });
      let remaining: number | undefined;
      const sent = await h.statements.during(async () => {
        remaining = (await confirmer.confirm({ userId: bob, id: confirmation.id, data: { code: created.body.enrollment.codes[0] } })).remaining;
      });
      expect(remaining).toBe(9);
      expect(work(sent).length).toBeLessThanOrEqual(budget.backupCode);
      const factorWrites = work(sent).filter((sql) => /UPDATE two_factor_user_config/.test(sql));
      expect(factorWrites).toHaveLength(1);
      // MySQL hands the new guard back through LAST_INSERT_ID (no RETURNING there).
      expect(factorWrites[0]).toMatch(/SET replay_guard = (LAST_INSERT_ID\()?replay_guard \| (\?|\$1)\)?, last_used_at = (\?|\$2) /);
    });

    it(`the sign-in’s confirm: ${budget.signInConfirm} (the pending sign-in read with its confirmation, the flip with the record of use, the sign-in’s claim with the confirmation spent and a recovery cancelled: one statement on PostgreSQL, three elsewhere)`, async () => {
      const signIn = h.app.get(SignInService);
      const started = await signIn.start(alice);
      if (!started.twoFactorRequired) throw new Error('the sign-in needed no second step');
      await signIn.requestConfirmation(started.token, userConfigId);
      let completed: string | undefined;
      const sent = await h.statements.during(async () => {
        completed = (await signIn.confirm(started.token, { data: { code: 'budget' } })).userId;
      });
      expect(completed).toBe(alice);
      expect(work(sent)).toHaveLength(budget.signInConfirm);
    });

    it('a wrong code costs no statement on the factor’s row (last_used_at is not touched)', async () => {
      const confirmation = await confirmer.requestConfirmation({ userId: alice, userConfigId });
      const sent = await h.statements.during(() => confirmer.confirm({ userId: alice, id: confirmation.id, data: { code: 'wrong' } }).catch(() => undefined));
      expect(work(sent).filter((sql) => /UPDATE two_factor_user_config/.test(sql))).toEqual([]);
    });
  });

  it('compares user ids byte for byte: no case or trailing-space variant of a user is that user (MySQL: binary collation)', async () => {
    const confirmer = h.app.get(ConfirmerService);
    const user = `Case-${freshUser()}`;
    const factor = await enrolDummy(h, user, 'exact');
    for (const variant of [user.toLowerCase(), user.toUpperCase(), `${user} `]) {
      await expect(confirmer.requestConfirmation({ userId: variant, userConfigId: factor })).rejects.toMatchObject({ code: 'not_found' });
    }
    await expect(confirmer.requestConfirmation({ userId: user, userConfigId: factor })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('a rate window that has passed starts anew: count 1, and the row expires with the new window', async () => {
    const limiter = h.app.get(RateLimiter);
    await h.sql('DELETE FROM two_factor_rate_counter');
    await limiter.hit('window-test', 5, 60);
    await limiter.hit('window-test', 5, 60);
    expect((await h.sql('SELECT count FROM two_factor_rate_counter')).map((row) => Number(row.count))).toEqual([2]);
    // The window ends: it began 61 s ago.
    await h.sql('UPDATE two_factor_rate_counter SET window_start = window_start - 61000, expires_at = expires_at - 61000');
    const before = Date.now();
    await limiter.hit('window-test', 5, 60);
    const [row] = await h.sql('SELECT count, window_start, expires_at FROM two_factor_rate_counter');
    expect(Number(row.count)).toBe(1);
    expect(Number(row.window_start)).toBeGreaterThanOrEqual(before);
    expect(Number(row.expires_at)).toBe(Number(row.window_start) + 60_000);
  });

  it('a failure inside a multi-row write leaves nothing half-written', async () => {
    const ds = h.app.get(DataSource);
    const before = await ds.query('SELECT COUNT(*) AS n FROM two_factor_user_config');
    // Make the confirmation INSERT of an enrolment fail after the user config INSERT succeeded.
    const store = h.app.get(ConfirmationStore);
    const original = store.insert.bind(store);
    store.insert = async () => {
      throw new Error('simulated failure');
    };
    try {
      const response = await h.http
        .post('/api/v1/auth/2factor/user-config/own/create/')
        .set(await h.auth(freshUser()))
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'half' } });
      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toContain('simulated');
    } finally {
      store.insert = original;
    }
    expect(await ds.query('SELECT COUNT(*) AS n FROM two_factor_user_config')).toEqual(before);
  });
});
