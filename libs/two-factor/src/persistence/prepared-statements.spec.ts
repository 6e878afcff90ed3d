import { DataSource, QueryFailedError } from 'typeorm';
import { StatementCounter } from '../../../../test/support/harness.js';
import { createTestDatabase, DATABASE_KINDS, mysqlType, mysqlUrl, type TestDatabase } from '../../../../test/support/test-database.js';
import { MAX_PREPARED_STATEMENTS, PreparedStatements } from './prepared-statements.js';
import { forMysql, forPostgres, SqlRunner } from './sql-runner.js';

/** The names PostgreSQL holds as prepared on the connection `manager` runs on. */
const preparedOn = async (ds: DataSource, sql: SqlRunner, work: (run: (text: string, params?: unknown[]) => Promise<unknown[]>) => Promise<void>) =>
  sql.transaction(async (manager) => {
    await work((text, params = []) => sql.rows(text, params, manager));
    const rows: Array<{ name: string; statement: string }> =
      ds.options.type === 'postgres' ? await manager.query('SELECT name, statement FROM pg_prepared_statements') : [];
    return rows;
  });

describe.each(DATABASE_KINDS)('the module’s statements on %s', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  const statements = new StatementCounter();
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const logs = { logger: statements, logging: ['query' as const] };
    ds = new DataSource(
      kind === 'postgres'
        ? { type: 'postgres', url: db.url, ...logs }
        : kind === 'mysql'
          ? { type: mysqlType(db), url: mysqlUrl(db), ...logs }
          : { type: 'better-sqlite3', database: db.url.slice('sqlite:'.length), ...logs },
    );
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('answer the same rows with prepared statements on and off, and each reaches the DataSource’s logger', async () => {
    for (const preparedStatements of [true, false]) {
      const sql = new SqlRunner(ds, { preparedStatements });
      const seen = await statements.during(async () => {
        // MySQL hands integer arithmetic back as a BIGINT, a string with TypeORM's bigNumberStrings.
        expect((await sql.rows('SELECT ? + 1 AS n', [41])).map((row) => Number(row.n))).toEqual([42]);
        expect((await sql.rows('SELECT ? + 1 AS n', [1])).map((row) => Number(row.n))).toEqual([2]);
      });
      expect(seen.filter((text) => /AS n$/.test(text))).toHaveLength(2);
    }
  });

  it('a failing statement is a QueryFailedError, as through TypeORM', async () => {
    const sql = new SqlRunner(ds, { preparedStatements: true });
    await expect(sql.rows('SELECT * FROM no_such_table WHERE id = ?', [1])).rejects.toBeInstanceOf(QueryFailedError);
  });

  if (kind === 'postgres') {
    it('are prepared by name once per connection on PostgreSQL, and only when preparedStatements is on', async () => {
      const on = await preparedOn(ds, new SqlRunner(ds, { preparedStatements: true }), async (run) => {
        await run('SELECT ? + 2 AS m', [1]);
        await run('SELECT ? + 2 AS m', [2]);
      });
      expect(on.filter((row) => row.statement.includes('+ 2'))).toEqual([
        { name: new PreparedStatements().nameOf('SELECT $1 + 2 AS m'), statement: 'SELECT $1 + 2 AS m' },
      ]);
      const off = await preparedOn(ds, new SqlRunner(ds, { preparedStatements: false }), async (run) => {
        await run('SELECT ? + 3 AS m', [1]);
      });
      expect(off.filter((row) => row.statement.includes('+ 3'))).toEqual([]);
    });
  }
});

describe('PreparedStatements names', () => {
  it('are stable per text, distinct between texts, and stop after MAX_PREPARED_STATEMENTS texts', () => {
    const names = new PreparedStatements();
    expect(names.nameOf('SELECT 1')).toBe(names.nameOf('SELECT 1'));
    expect(names.nameOf('SELECT 1')).not.toBe(names.nameOf('SELECT 2'));
    for (let i = 3; i <= MAX_PREPARED_STATEMENTS; i++) expect(names.nameOf(`SELECT ${i}`)).toMatch(/^tf_[0-9a-f]{24}$/);
    expect(names.nameOf(`SELECT ${MAX_PREPARED_STATEMENTS + 1}`)).toBeUndefined();
    expect(names.nameOf('SELECT 1')).toMatch(/^tf_/);
  });
});

describe('MySQL statement texts (forMysql)', () => {
  it('quote the reserved word key where it stands alone, and nothing else', () => {
    expect(forMysql('SELECT key, count FROM t WHERE key = ? AND f.key = ? AND monkey = ? ON DUPLICATE KEY UPDATE key_hash = ?')).toBe(
      'SELECT `key`, count FROM t WHERE `key` = ? AND f.key = ? AND monkey = ? ON DUPLICATE KEY UPDATE key_hash = ?',
    );
  });
});

describe('PostgreSQL statement texts (forPostgres)', () => {
  it('number the placeholders in order', () => {
    expect(forPostgres('UPDATE t SET a = ? WHERE id = ? AND b IN (?, ?)')).toBe('UPDATE t SET a = $1 WHERE id = $2 AND b IN ($3, $4)');
  });
});
