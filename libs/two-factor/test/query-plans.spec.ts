import { DataSource } from 'typeorm';
import {
  AccessCodeAdminService,
  ConfirmationAdminService,
  ConfirmerService,
  DeviceService,
  EnrollmentService,
  SignInService,
  UserConfigAdminService,
  UserConfigService,
  type StepUp,
  type TwoFactorOptions,
} from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';
import { bootLibrary, freshUser, type LibraryHarness } from '../../../test/support/library-harness.js';
import { enrolDummy, methodConfigId } from '../../../test/support/flows.js';
import { DATABASE_KINDS, type DatabaseKind } from '../../../test/support/test-database.js';
import { isTransactionControl, TEST_SECRET } from '../../../test/support/harness.js';

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
/** A factor locks at its second wrong answer in a row (and no cooldown first): the lock's statements are planned too. */
const LOCK_AT_SECOND_WRONG_ANSWER = { maxConsecutiveFailures: 2, cooldownAfterFailures: 10 };

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

/** Boots the fixture app on `kind` with every growing table holding OTHERS other users' rows, counted by the planner. */
async function bootSeeded(kind: DatabaseKind, twoFactor: Partial<TwoFactorOptions>): Promise<LibraryHarness> {
  const h = await bootLibrary(kind, { twoFactor });
  const dummy = await methodConfigId(h, 'dummy');
  const now = Date.now();
  // An hour ahead: unexpired whenever a path runs, so a purge has them to pass over, not to delete.
  const later = now + 3_600_000;
  const other = (i: number) => `other-${i}`;
  // Each growing table, with its columns and other user i's row.
  const seeds: Record<(typeof GROWING)[number], [string, (i: number) => unknown[]]> = {
    two_factor_user_config: ['method_config_id, user_id, status, config, created_at, updated_at', (i) => [dummy, other(i), 'confirmed', '{}', now, now]],
    two_factor_confirmation: [
      'id, method_config_id, user_id, status, state, max_attempts, expires_at, created_at, updated_at, purpose',
      (i) => [`${other(i)}-confirmation`, dummy, other(i), 'confirmed', '{}', 5, later, now, now, 'step_up'],
    ],
    two_factor_sign_in: ['token_hash, user_id, expires_at, created_at', (i) => [`${other(i)}-sign-in`, other(i), later, now]],
    two_factor_device: [
      'id, user_id, token_hash, label, created_at, last_used_at, expires_at',
      (i) => [`${other(i)}-device`, other(i), `${other(i)}-device-hash`, '', now, now, later],
    ],
    two_factor_failure_counter: ['key, count, last_failed_at', (i) => [`uc:${OTHERS * 10 + i}`, 1, now]],
    two_factor_rate_counter: ['key, window_start, count, expires_at', (i) => [`${other(i)}-rate`, now, 1, later]],
    two_factor_recovery: [
      'id, user_id, cancel_hash, not_before, expires_at, created_at',
      (i) => [`${other(i)}-recovery`, other(i), `${other(i)}-cancel`, now, later, now],
    ],
    two_factor_access_code: ['user_id, code_hash, expires_at, created_at', (i) => [other(i), `${other(i)}-code`, later, now]],
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
  return h;
}

/** The statements `paths` sends once caches are warm (a first run warms them), transaction control left out. */
async function sentWarm(h: LibraryHarness, paths: () => Promise<void>): Promise<Sent[]> {
  await paths();
  return (await h.statements.sentDuring(paths)).filter(({ query }) => !isTransactionControl(query));
}

/** Each of `sent` whose plan reads a growing table whole, as `table in: statement`. */
async function fullScans(h: LibraryHarness, kind: DatabaseKind, sent: Sent[]): Promise<string[]> {
  const ds = h.app.get(DataSource);
  const explain = kind === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN';
  const scans: string[] = [];
  // An INSERT … VALUES reads no table (MySQL's EXPLAIN still lists its target with access type ALL).
  for (const { query, parameters } of sent.filter(({ query }) => !/^\s*INSERT\b(?![\s\S]*\bSELECT\b)/i.test(query))) {
    const plan: Record<string, unknown>[] = await ds.query(`${explain} ${query}`, parameters);
    for (const table of scannedTables(kind, query, plan))
      if ((GROWING as readonly string[]).includes(table)) scans.push(`${table} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
  return scans;
}

/** Two wrong answers in a row lock `factor` (LOCK_AT_SECOND_WRONG_ANSWER): the lock revokes devices and pending sign-ins. */
async function lockWithWrongAnswers(h: LibraryHarness, user: string, factor: number): Promise<void> {
  const confirmer = h.app.get(ConfirmerService);
  for (let i = 0; i < 2; i++) {
    const guess = await confirmer.requestConfirmation({ userId: user, userConfigId: factor });
    await confirmer.confirm({ userId: user, id: guess.id, data: { code: 'wrong' } }).catch(() => undefined);
  }
  const [locked] = await h.sql('SELECT status FROM two_factor_user_config WHERE id = ?', [factor]);
  if (locked.status !== 'locked') throw new Error(`the factor did not lock (${locked.status})`);
}

/**
 * The hot paths of `alice` with her dummy `factor` (code `right`): request, confirm wrong and right, check,
 * use, a step-up under a policy, the whole sign-in with a remembered device, the factor listing, and a
 * second user's factor locked by wrong answers.
 */
function hotPaths(h: LibraryHarness, alice: string, factor: number): () => Promise<void> {
  const confirmer = h.app.get(ConfirmerService);
  const signIn = h.app.get(SignInService);
  return async () => {
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
    const bob = freshUser();
    await lockWithWrongAnswers(h, bob, await enrolDummy(h, bob, 'right'));
  };
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
    h = await bootSeeded(kind, LOCK_AT_SECOND_WRONG_ANSWER);
    const alice = freshUser();
    const factor = await enrolDummy(h, alice, 'right');
    sent = await sentWarm(h, hotPaths(h, alice, factor));
  });
  afterAll(() => h.close());

  it('sends the statements of every hot path (the plans below are of something)', () => {
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.some(({ query }) => /^DELETE FROM two_factor_confirmation/.test(query.trim()))).toBe(true);
  });

  it('reads no growing table whole', async () => {
    expect(await fullScans(h, kind, sent)).toEqual([]);
  });
});

/**
 * Tables a user's rows pile up in with use (every request, step-up and sign-in leaves one until the
 * purge; without VACUUM their dead versions stay too). A user's factors are few, so `two_factor_user_config`
 * is not among them.
 */
const PILING_UP = ['two_factor_confirmation', 'two_factor_sign_in', 'two_factor_device'];

/** The piling-up table whose row a statement names by its primary key (`WHERE [alias.]key = ?`), that key, and the table's alias. */
function keyedTable(ds: DataSource, query: string): { table: string; key: string; alias?: string } | undefined {
  const target = /^\s*(?:SELECT\b[\s\S]*?\bFROM|UPDATE|DELETE\s+FROM)\s+(two_factor_\w+)(?:\s+(?!WHERE\b|SET\b|JOIN\b|LEFT\b)([a-z]\w*))?/i.exec(query);
  if (!target || !PILING_UP.includes(target[1])) return undefined;
  const [, table, alias] = target;
  const key = ds.getMetadata(table).primaryColumns[0].databaseName;
  return new RegExp(`\\bWHERE\\s+${alias ? `${alias}\\.` : ''}${key} = (\\?|\\$1)(?![\\w$])`).test(query) ? { table, key, alias } : undefined;
}

/**
 * A statement that names a row of a piling-up table by its primary key says no other `column = ?` of that
 * table in its top-level conditions on a column that leads an index: on a near tie the planner may take
 * that index instead, and read every row the user has there. The step-up's `consume` once also said
 * `AND user_id = ?`; PostgreSQL's generic plan of it, made while the tables had no statistics, went through
 * the user's index, reading every confirmation of the user on each step-up (3 ms each in the bench, whose
 * PostgreSQL runs with autovacuum off: 632 step-ups/s against 1672 once the condition was `user_id IS NOT
 * NULL` beside `(user_id IS NULL OR user_id = ?)`). A tie the planner breaks by index size is no plan a
 * test can reproduce, so this holds the statements' shape.
 */
describe.each(DATABASE_KINDS)('statements that name a row by its key on %s', (kind) => {
  let h: LibraryHarness;
  let keyed: Array<Sent & { table: string; key: string; alias?: string }> = [];
  beforeAll(async () => {
    h = await bootLibrary(kind, { twoFactor: LOCK_AT_SECOND_WRONG_ANSWER });
    const alice = freshUser();
    const sent = await sentWarm(h, hotPaths(h, alice, await enrolDummy(h, alice, 'right')));
    keyed = sent.flatMap((statement) => {
      const target = keyedTable(h.app.get(DataSource), statement.query);
      return target ? [{ ...statement, ...target }] : [];
    });
  });
  afterAll(() => h.close());

  it("finds them (the step-up's among them)", () => {
    expect(keyed.some(({ query }) => /^DELETE FROM two_factor_confirmation\s+WHERE id = (\?|\$1) AND purpose = 'step_up'/.test(query.trim()))).toBe(true);
    // (The hot paths reach a device by its token's unique index, not by its key.)
    expect(new Set(keyed.map(({ table }) => table))).toEqual(new Set(['two_factor_confirmation', 'two_factor_sign_in']));
  });

  it('give the planner no other indexed equality to reach the row by', () => {
    const ds = h.app.get(DataSource);
    const competing: string[] = [];
    for (const { query, table, key, alias } of keyed) {
      const leading = new Set(ds.getMetadata(table).indices.map((index) => index.columns[0].databaseName));
      const column = new RegExp(`\\b(?:WHERE|AND)\\s+${alias ? `${alias}\\.` : ''}(\\w+) = (?:\\?|\\$\\d+)`, 'g');
      for (const [, name] of query.matchAll(column))
        if (name !== key && leading.has(name)) competing.push(`${table}.${name} in: ${query.replace(/\s+/g, ' ').slice(0, 140)}`);
    }
    expect(competing).toEqual([]);
  });
});

/** The cancel code the test gives a started recovery (the real one is random, and only the owner's channels get it). */
const CANCEL_CODE = 'QUERY-PLANS-CANCEL';

/**
 * The rarer per-user paths, planned the same way: a user's own factors (list, enrol and confirm, switch
 * off and on, retitle, remove) and remembered devices, the enrolment status, self-service recovery
 * (start, cancel, a second one completed by enrolling inside a pending sign-in), an admin's access
 * code, the admin's help for one user, and the maintenance purges (by `expires_at`).
 */
describe.each(DATABASE_KINDS)('query plans of the rarer per-user paths on %s', (kind) => {
  let h: LibraryHarness;
  let sent: Sent[] = [];
  beforeAll(async () => {
    h = await bootSeeded(kind, {
      ...LOCK_AT_SECOND_WRONG_ANSWER,
      recovery: { enabled: true },
      // Everyone must have a factor: else the enrolment status reads none.
      enrollment: { required: () => new Date(0) },
    });
    const dummy = await methodConfigId(h, 'dummy');
    const confirmer = h.app.get(ConfirmerService);
    const factors = h.app.get(UserConfigService);
    const devices = h.app.get(DeviceService);
    const signIn = h.app.get(SignInService);
    const enrollment = h.app.get(EnrollmentService);
    const admin = h.app.get(UserConfigAdminService);
    const accessCodes = h.app.get(AccessCodeAdminService);
    const confirmations = h.app.get(ConfirmationAdminService);
    const actor = { adminId: 'admin' };
    /** A step-up proof of `user` with their dummy `factor`, whose code is `code`. */
    const proof = async (user: string, factor: number, code: string): Promise<StepUp> => {
      const requested = await confirmer.requestConfirmation({ userId: user, userConfigId: factor });
      await confirmer.confirm({ userId: user, id: requested.id, data: { code } });
      return { proofId: requested.id };
    };
    /** The token of a pending sign-in of `user` (the password step done). */
    const pending = async (user: string) => {
      const started = await signIn.start(user);
      if (!started.twoFactorRequired) throw new Error('the sign-in needed no second step');
      return started.token;
    };
    /** Enrols a dummy factor inside the pending sign-in whose enrolment is open, and proves it: the sign-in completes. */
    const enrolInSignIn = async (token: string) => {
      const created = await signIn.enrol(token, { methodConfigId: dummy, config: { code: 'new' }, title: 'New phone' });
      await signIn.confirmEnrollment(token, { userConfigId: created.item.id, confirmationId: created.confirmation_id!, data: { code: 'new' } });
    };
    sent = await sentWarm(h, async () => {
      const alice = freshUser();
      const first = await enrolDummy(h, alice, 'right');
      await factors.list(alice);
      await factors.findOwn(alice, first);
      await factors.availableFactors(alice);
      const created = await factors.create(alice, { methodConfigId: dummy, config: { code: 'second' } }, {}, await proof(alice, first, 'right'));
      const second = created.item.id;
      await factors.confirm(alice, { id: second, confirmationId: created.confirmationId!, data: { code: 'second' } });
      await factors.update(alice, second, { isActive: false }, {}, await proof(alice, first, 'right'));
      await factors.update(alice, second, { isActive: true }, {}, await proof(alice, first, 'right'));
      await factors.update(alice, second, { title: 'Drawer' });
      await factors.remove(alice, second, {}, await proof(alice, first, 'right'));
      await enrollment.status(alice);

      const laptop = await devices.remember(alice, 'laptop');
      if (!(await devices.recognise(alice, laptop.token))) throw new Error('the device was not recognised');
      await devices.list(alice);
      await devices.revoke(alice, laptop.device.id);
      await devices.remember(alice, 'phone');
      await devices.revokeAll(alice);

      // A recovery started and cancelled; a second one whose wait is over completes by enrolling a new factor.
      const carol = freshUser();
      await enrolDummy(h, carol, 'lost');
      await signIn.startRecovery(await pending(carol));
      // The module hashes a cancel code as typed codes are compared: upper case, no dashes.
      const cancelHash = new SecretBox(TEST_SECRET).hash(CANCEL_CODE.replaceAll('-', ''));
      await h.sql('UPDATE two_factor_recovery SET cancel_hash = ? WHERE user_id = ?', [cancelHash, carol]);
      await signIn.cancelRecovery(CANCEL_CODE);
      await signIn.startRecovery(await pending(carol));
      // Time passes: the wait is over.
      await h.sql('UPDATE two_factor_recovery SET not_before = ? WHERE user_id = ?', [Date.now() - 1000, carol]);
      await enrolInSignIn(await pending(carol));

      // An admin's access code opens enrolment inside a pending sign-in.
      const dave = freshUser();
      await enrolDummy(h, dave, 'lost');
      const issued = await accessCodes.issue(dave, undefined, actor);
      const token = await pending(dave);
      await signIn.useAccessCode(token, issued.code);
      await enrolInSignIn(token);

      // The admin's help for one user: a locked factor unlocked, switched off, removed; then two-factor removed.
      const erin = freshUser();
      const locked = await enrolDummy(h, erin, 'right');
      await enrolDummy(h, erin, 'other');
      await lockWithWrongAnswers(h, erin, locked);
      await admin.list(erin, actor);
      await admin.unlock(erin, locked, actor);
      await admin.deactivate(erin, locked, actor);
      await admin.remove(erin, locked, actor);
      await confirmations.search({ userId: erin }, 1, 50, actor);
      await admin.removeTwoFactor(erin, actor);

      await confirmer.purgeExpired();
      await devices.purgeExpired();
      await signIn.purgeExpired();
    });
  });
  afterAll(() => h.close());

  it('sends the statements of every path (the plans below are of something)', () => {
    // A statement of each path, as every database is sent it (placeholders and line breaks aside).
    const marks: Record<string, RegExp> = {
      'factor switched off and on': /^UPDATE two_factor_user_config SET is_active = /,
      'factor retitled': /^UPDATE two_factor_user_config SET title = /,
      'device recognised': /^UPDATE two_factor_device SET last_used_at = /,
      'devices listed': /^SELECT .* FROM two_factor_device WHERE user_id = /,
      'recovery cancelled': /^DELETE FROM two_factor_recovery WHERE cancel_hash IN /,
      'recovery completed': /^DELETE FROM two_factor_recovery WHERE user_id = \S+ AND not_before <= /,
      'access code used': /^UPDATE two_factor_access_code SET sign_in_hash = /,
      'admin unlock': /^UPDATE two_factor_user_config SET status = CASE /,
      'admin search': /^SELECT COUNT\(\*\) AS n FROM two_factor_confirmation c /,
      'two-factor removed': /^DELETE FROM two_factor_enabled_user WHERE user_id = /,
    };
    // A purge's first parameter is its `expires_at` bound (a user's own clean-up names the user first).
    for (const table of ['confirmation', 'rate_counter', 'device', 'sign_in', 'recovery', 'access_code'])
      marks[`${table} purge`] = new RegExp(`^DELETE FROM two_factor_${table} WHERE [^?$]*\\bexpires_at <= `);
    const missing = Object.entries(marks).filter(([, mark]) => !sent.some(({ query }) => mark.test(query.replace(/\s+/g, ' ').trim())));
    expect(missing.map(([path]) => path)).toEqual([]);
  });

  it('reads no growing table whole', async () => {
    expect(await fullScans(h, kind, sent)).toEqual([]);
  });
});
