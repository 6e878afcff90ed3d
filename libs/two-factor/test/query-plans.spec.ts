import { DataSource } from 'typeorm';
import { ConfirmerService, SignInService } from 'nestjs-two-factor';
import { bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, methodConfigId } from '../../../test/support/flows.js';
import { DATABASE_KINDS } from '../../../test/support/test-database.js';
import { isTransactionControl } from '../../../test/support/harness.js';

/** Tables that grow with the users: a hot statement must reach their rows by a key, never by reading them all. */
const GROWING = [
  'two_factor_user_config',
  'two_factor_confirmation',
  'two_factor_sign_in',
  'two_factor_device',
  'two_factor_failure_counter',
  'two_factor_rate_counter',
  'two_factor_recovery',
  'two_factor_access_code',
  'two_factor_enabled_user',
] as const;
/** Other users' rows, so that a plan that reads every row is a plan that reads many. */
const OTHERS = 2000;

type Sent = { query: string; parameters: unknown[] };

/** The tables (by alias, resolved from the statement) a plan reads whole. */
function scannedTables(kind: string, query: string, plan: Record<string, unknown>[]): string[] {
  const aliases = new Map<string, string>();
  for (const match of query.matchAll(
    /\b(two_factor_\w+)(?:\s+(?:AS\s+)?(?!WHERE|SET|ON|USING|JOIN|LEFT|INNER|VALUES|RETURNING|ORDER|LIMIT|GROUP)([a-z]\w*))?/gi,
  )) {
    aliases.set(match[1], match[1]);
    if (match[2]) aliases.set(match[2], match[1]);
  }
  const named = (name: string) => aliases.get(name.replace(/[`"]/g, '')) ?? name;
  if (kind === 'postgres') {
    return plan.flatMap((row) => [...String(row['QUERY PLAN']).matchAll(/Seq Scan on (\S+)(?: (\w+))?/g)].map((m) => named(m[1])));
  }
  if (kind === 'sqlite') {
    // `SCAN t` reads every row; `SEARCH t USING …` reaches them by a key.
    return plan.flatMap((row) => [...String(row.detail).matchAll(/^SCAN (\w+)/g)].map((m) => named(m[1])));
  }
  // MySQL/MariaDB: access type ALL is a full table scan.
  return plan.filter((row) => String(row.type) === 'ALL').map((row) => named(String(row.table)));
}

/**
 * Every statement the hot paths send (request, confirm right and wrong, check, use, a step-up under a
 * policy, the whole sign-in with a remembered device) is planned against tables that hold other users'
 * rows, and no plan reads a growing table whole. A step-up's `use` once did: its factor condition was
 * `user_config_id IN (SELECT … every usable factor)`, which PostgreSQL and SQLite built in full on each call.
 */
describe.each(DATABASE_KINDS)('query plans of the hot paths on %s', (kind) => {
  let h: LibraryHarness;
  let sent: Sent[] = [];
  beforeAll(async () => {
    // A factor locks at its second wrong answer in a row (and no cooldown first): the lock's statements are planned too.
    h = await bootLibrary(kind, { twoFactor: { maxConsecutiveFailures: 2, cooldownAfterFailures: 10 } });
    const dummy = await methodConfigId(h, 'dummy');
    const now = Date.now();
    const other = (i: number) => `other-${i}`;
    // Each growing table, with its columns and other user i's row.
    const seeds: Record<(typeof GROWING)[number], [string, (i: number) => unknown[]]> = {
      two_factor_user_config: ['method_config_id, user_id, status, config, created_at, updated_at', (i) => [dummy, other(i), 'confirmed', '{}', now, now]],
      two_factor_confirmation: [
        'id, method_config_id, user_id, status, state, max_attempts, expires_at, created_at, updated_at, purpose',
        (i) => [`${other(i)}-confirmation`, dummy, other(i), 'confirmed', '{}', 5, now + 60_000, now, now, 'step_up'],
      ],
      two_factor_sign_in: ['token_hash, user_id, expires_at, created_at', (i) => [`${other(i)}-sign-in`, other(i), now + 60_000, now]],
      two_factor_device: [
        'id, user_id, token_hash, label, created_at, last_used_at, expires_at',
        (i) => [`${other(i)}-device`, other(i), `${other(i)}-device-hash`, '', now, now, now + 60_000],
      ],
      two_factor_failure_counter: ['key, count, last_failed_at', (i) => [`uc:${OTHERS * 10 + i}`, 1, now]],
      two_factor_rate_counter: ['key, window_start, count, expires_at', (i) => [`${other(i)}-rate`, now, 1, now + 60_000]],
      two_factor_recovery: [
        'id, user_id, cancel_hash, not_before, expires_at, created_at',
        (i) => [`${other(i)}-recovery`, other(i), `${other(i)}-cancel`, now, now + 60_000, now],
      ],
      two_factor_access_code: ['user_id, code_hash, expires_at, created_at', (i) => [other(i), `${other(i)}-code`, now + 60_000, now]],
      two_factor_enabled_user: ['user_id, enabled_at', (i) => [other(i), now]],
    };
    for (const [table, [columns, row]] of Object.entries(seeds)) {
      for (let start = 0; start < OTHERS; start += 500) {
        const values = Array.from({ length: 500 }, (_, i) => row(start + i));
        const list = values.map((value) => `(${value.map(() => '?').join(', ')})`).join(', ');
        await h.sql(`INSERT INTO ${table} (${columns}) VALUES ${list}`, values.flat()); // h.sql quotes MySQL's `key`
      }
    }
    const analyze = { postgres: 'ANALYZE', sqlite: 'ANALYZE', mysql: `ANALYZE TABLE ${GROWING.join(', ')}` };
    await h.sql(analyze[kind]);

    const confirmer = h.app.get(ConfirmerService);
    const signIn = h.app.get(SignInService);
    const alice = freshUser();
    const factor = await enrolDummy(h, alice, 'right');
    const hot = async () => {
      const first = await confirmer.requestConfirmation({ userId: alice, userConfigId: factor });
      await confirmer.confirm({ userId: alice, id: first.id, data: { code: 'wrong' } }).catch(() => undefined);
      await confirmer.confirm({ userId: alice, id: first.id, data: { code: 'right' } });
      await confirmer.check({ userId: alice, id: first.id });
      await confirmer.use({ userId: alice, id: first.id });
      const policy = { methods: ['dummy'], maxAgeSeconds: 60, action: 'transfer', details: { amount: '1.00' } };
      const bound = await confirmer.requestConfirmation({ userId: alice, userConfigId: factor, action: 'transfer', details: { amount: '1.00' } });
      await confirmer.confirm({ userId: alice, id: bound.id, data: { code: 'right' } });
      await confirmer.spendProof({ userId: alice, id: bound.id, policy });
      const started = await signIn.start(alice);
      if (!started.twoFactorRequired) throw new Error('the sign-in needed no second step');
      await signIn.requestConfirmation(started.token, factor);
      const signedIn = await signIn.confirm(started.token, { data: { code: 'right' }, rememberDevice: true });
      const again = await signIn.start(alice, { deviceToken: signedIn.device?.token });
      if (again.twoFactorRequired) throw new Error('the remembered device did not vouch');
      await confirmer.getUserConfigs(alice);
      // Two wrong answers in a row lock a second factor: the lock revokes devices and pending sign-ins.
      const bob = freshUser();
      const bobs = await enrolDummy(h, bob, 'right');
      for (let i = 0; i < 2; i++) {
        const guess = await confirmer.requestConfirmation({ userId: bob, userConfigId: bobs });
        await confirmer.confirm({ userId: bob, id: guess.id, data: { code: 'wrong' } }).catch(() => undefined);
      }
      const [locked] = await h.sql('SELECT status FROM two_factor_user_config WHERE id = ?', [bobs]);
      if (locked.status !== 'locked') throw new Error(`the factor did not lock (${locked.status})`);
    };
    await hot(); // caches warm: what is planned below is what every request sends
    sent = (await h.statements.sentDuring(hot)).filter(({ query }) => !isTransactionControl(query));
  });
  afterAll(() => h.close());

  it('sends the statements of every hot path (the plans below are of something)', () => {
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.some(({ query }) => /^DELETE FROM two_factor_confirmation/.test(query.trim()))).toBe(true);
  });

  it('reads no growing table whole', async () => {
    const ds = h.app.get(DataSource);
    const explain = kind === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN';
    const scans: string[] = [];
    // An INSERT … VALUES reads no table (MySQL's EXPLAIN still lists its target with access type ALL).
    for (const { query, parameters } of sent.filter(({ query }) => !/^\s*INSERT\b(?![\s\S]*\bSELECT\b)/i.test(query))) {
      const plan: Record<string, unknown>[] = await ds.query(`${explain} ${query}`, parameters);
      for (const table of scannedTables(kind, query, plan))
        if ((GROWING as readonly string[]).includes(table)) scans.push(`${table} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    expect(scans).toEqual([]);
  });
});
