import { DataSource } from 'typeorm';
import { TWO_FACTOR_ENTITIES, twoFactorMigrations } from 'nestjs-two-factor';
import { placeholders } from '../../../test/support/harness.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../../test/support/test-database.js';

/**
 * Issue 18's migration gives the confirmations already stored the purpose they
 * were made for: the one a pending sign-in names `sign_in`, one of a factor not
 * yet confirmed `enrollment`, every other `step_up` — never more than they were.
 */
// MySQL/MariaDB's migrations start after issue 18 (their first one already has the purpose column): nothing to migrate there.
const KINDS = DATABASE_KINDS.filter((kind): kind is 'sqlite' | 'postgres' => kind !== 'mysql');

describe.each(KINDS)('the purpose migration on %s', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  /** A data source on the test database that knows `migrations`. */
  const open = async (migrations: Function[]) => {
    const common = { entities: TWO_FACTOR_ENTITIES, migrations };
    const source = new DataSource(
      kind === 'postgres' ? { ...common, type: 'postgres', url: db.url } : { ...common, type: 'better-sqlite3', database: db.url.slice('sqlite:'.length) },
    );
    return source.initialize();
  };
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    // Every migration before this one.
    ds = await open(upToPurpose().slice(0, -1));
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });
  const sql = (text: string, params: unknown[] = []) => ds.query(placeholders(kind, text), params);
  /** The migrations up to this one, included (later ones, e.g. issue 22's, are not this spec's). */
  function upToPurpose(): Function[] {
    const all = twoFactorMigrations(kind) as Function[];
    return all.slice(0, all.findIndex((migration) => migration.name.startsWith('TwoFactorConfirmationPurpose')) + 1);
  }

  it('backfills sign_in, enrollment and step_up, and the column is required afterwards', async () => {
    const now = Date.now();
    await sql(
      `INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES ('', 'dummy', '{}', TRUE, FALSE, ?, ?)`,
      [now, now],
    );
    const [{ id: mc }] = await sql('SELECT id FROM two_factor_method_config');
    for (const status of ['confirmed', 'in_process']) {
      await sql(
        `INSERT INTO two_factor_user_config (title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, created_at, updated_at)
         VALUES ('', ?, 'u', ?, '{}', TRUE, FALSE, 0, 1, ?, ?)`,
        [mc, status, now, now],
      );
    }
    const [confirmed, enrolling] = (await sql('SELECT id FROM two_factor_user_config ORDER BY id')).map((row: { id: number }) => Number(row.id));
    const rows: Array<[string, number | null]> = [
      ['00000000-0000-4000-8000-000000000001', confirmed], // named by a pending sign-in
      ['00000000-0000-4000-8000-000000000002', enrolling],
      ['00000000-0000-4000-8000-000000000003', confirmed],
      ['00000000-0000-4000-8000-000000000004', null],
    ];
    for (const [id, userConfig] of rows) {
      await sql(
        `INSERT INTO two_factor_confirmation (id, method_config_id, user_config_id, challenge_seq, user_id, status, state, attempts, max_attempts, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, 1, 'u', 'confirmed', '{}', 0, 5, ?, ?, ?)`,
        [id, mc, userConfig, now + 60_000, now, now],
      );
    }
    await sql(`INSERT INTO two_factor_sign_in (token_hash, user_id, confirmation_id, expires_at, created_at) VALUES ('h', 'u', ?, ?, ?)`, [
      rows[0][0],
      now + 60_000,
      now,
    ]);

    await ds.destroy();
    ds = await open(upToPurpose());
    expect((await ds.runMigrations()).map((migration) => migration.name)).toEqual([expect.stringMatching(/^TwoFactorConfirmationPurpose/)]);

    const purposes = await sql('SELECT id, purpose FROM two_factor_confirmation ORDER BY id');
    expect(purposes.map((row: { purpose: string }) => row.purpose)).toEqual(['sign_in', 'enrollment', 'step_up', 'step_up']);
    await expect(
      sql(
        `INSERT INTO two_factor_confirmation (id, method_config_id, user_config_id, challenge_seq, user_id, status, state, attempts, max_attempts, expires_at, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000005', ?, NULL, NULL, 'u', 'in_process', '{}', 0, 5, ?, ?, ?)`,
        [mc, now, now, now],
      ),
    ).rejects.toThrow(/purpose|NOT NULL|null value/i);
  });
});
