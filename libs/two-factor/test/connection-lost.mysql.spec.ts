import { DataSource, type EntityManager } from 'typeorm';
import { SqlRunner } from '../src/persistence/sql-runner.js';
import { isDatabaseUnavailable } from '../src/http/errors/database-outage.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createTestDatabase, mysqlType, mysqlUrl, type TestDatabase } from '../../../test/support/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The MySQL/MariaDB side of connection-lost.postgres.spec.ts: the connection breaks between two
 * statements of a transaction (through a TCP proxy that resets it), and whatever mysql2 and TypeORM
 * then answer — the lost connection itself, a closed connection's refusal, a released runner — is an
 * outage (503), never a bug (500); the work's own error is the one answered.
 */
// MySQL/MariaDB only (`*.mysql.spec.ts`: jest.config.js leaves it out without TEST_MYSQL_URL).
describe('a MySQL connection lost mid-transaction', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let dataSource: DataSource;
  let sql: SqlRunner;

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    const server = new URL(mysqlUrl(db));
    proxy = await new TcpProxy({ host: server.hostname, port: Number(server.port || 3306) }).open();
    dataSource = await new DataSource({ type: mysqlType(db), url: proxy.via(mysqlUrl(db)) }).initialize();
    sql = new SqlRunner(dataSource, { preparedStatements: true });
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await dataSource.destroy();
    await proxy.close();
    await db.drop();
  });

  /** Cuts every connection through the proxy and gives mysql2 a moment to see its socket closed. */
  const breakConnection = async (_manager: EntityManager) => {
    await proxy.cut();
    await sleep(100);
  };
  const rejection = (work: Promise<unknown>) =>
    work.then(
      () => 'resolved',
      (error: unknown) => error,
    );

  it('a COMMIT after the break is an outage (503), not a bug (500)', async () => {
    const error = await rejection(
      sql.transactionUnlessNull(async (manager) => {
        await sql.rows('SELECT 1 AS one', [], manager);
        await breakConnection(manager);
        return 'done';
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('the next statement on the broken transaction is an outage too, a write as well as a read', async () => {
    for (const next of [(m: EntityManager) => sql.rows('SELECT 2 AS two', [], m), (m: EntityManager) => sql.write('DO 1', [], m)]) {
      const error = await rejection(
        sql.transactionUnlessNull(async (manager) => {
          await sql.rows('SELECT 1 AS one', [], manager);
          await breakConnection(manager);
          return next(manager);
        }),
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      await proxy.restore();
    }
  });

  it('a failed ROLLBACK does not hide the error that failed the work', async () => {
    const failure = new Error('the work failed');
    const error = await rejection(
      sql.transactionUnlessNull(async (manager) => {
        await sql.rows('SELECT 1 AS one', [], manager);
        await breakConnection(manager);
        throw failure;
      }),
    );
    expect(error).toBe(failure);
  });

  it('transaction(): a COMMIT after the break is an outage', async () => {
    const error = await rejection(
      sql.transaction(async (manager) => {
        await sql.rows('SELECT 1 AS one', [], manager);
        await breakConnection(manager);
        return 'done';
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('after the break the runner works again once the database is back', async () => {
    await proxy.restore();
    expect((await sql.rows<{ three: unknown }>('SELECT 3 AS three')).map((row) => Number(row.three))).toEqual([3]);
  });
});
