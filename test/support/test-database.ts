import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * The databases every database-facing suite runs on: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set, MySQL/MariaDB when TEST_MYSQL_URL is set.
 */
export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export const DATABASE_KINDS: DatabaseKind[] = [
  'sqlite',
  ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : []),
  ...(process.env.TEST_MYSQL_URL ? (['mysql'] as const) : []),
];

/** The kinds with a server: several app instances can share one of their databases under load (cross-instance races). */
export const isServerDatabase = (kind: DatabaseKind): boolean => kind !== 'sqlite';

/** A fresh, empty database for one suite, and how to throw it away. */
export interface TestDatabase {
  kind: DatabaseKind;
  /**
   * A DATABASE_URL for the demo: `sqlite:<file>`, `postgres://…/<fresh database>`, or for kind `mysql`
   * `mysql://…/<fresh database>` on MySQL and `mariadb://…` on MariaDB (TypeORM reads each one's catalogue its own way).
   */
  url: string;
  drop(): Promise<void>;
}

/**
 * SQLite: a new file in the temp directory (a file, not `:memory:`, so two app
 * instances can share it). PostgreSQL: a new database on TEST_DATABASE_URL's
 * server, so suites running in parallel never see each other's rows. MySQL/MariaDB:
 * the same on TEST_MYSQL_URL's server (utf8mb4, as docs/operations/databases-and-migrations.md asks of a host).
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = `tf_test_${randomBytes(6).toString('hex')}`;
  if (kind === 'sqlite') {
    const file = join(tmpdir(), `${name}.sqlite`);
    return {
      kind,
      url: `sqlite:${file}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  if (kind === 'mysql') {
    const serverUrl = process.env.TEST_MYSQL_URL;
    if (!serverUrl) throw new Error('TEST_MYSQL_URL is not set');
    const [, [{ version }]] = await mysqlAdmin(serverUrl, `CREATE DATABASE ${name} CHARACTER SET utf8mb4`, 'SELECT VERSION() AS version');
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const scheme = /mariadb/i.test(String(version)) ? 'mariadb:' : 'mysql:';
    return {
      kind,
      url: `${scheme}${url.toString().slice(url.protocol.length)}`,
      drop: async () => void (await mysqlAdmin(serverUrl, `DROP DATABASE IF EXISTS ${name}`)),
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { kind, url: url.toString(), drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs `statements` on the server of `serverUrl` (no database selected); returns each one's rows. */
async function mysqlAdmin(serverUrl: string, ...statements: string[]): Promise<any[]> {
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  url.pathname = '/';
  const connection = await mysql.createConnection(url.toString());
  try {
    const results = [];
    for (const sql of statements) results.push((await connection.query(sql))[0]);
    return results;
  } finally {
    await connection.end();
  }
}

/** TypeORM's driver type for a test database of kind `mysql`: `mariadb` on MariaDB, so that its catalogue is read as MariaDB writes it. */
export function mysqlType(db: TestDatabase): 'mysql' | 'mariadb' {
  return db.url.startsWith('mariadb:') ? 'mariadb' : 'mysql';
}

/** The URL mysql2 takes (it knows no `mariadb:` scheme). */
export function mysqlUrl(db: TestDatabase): string {
  return db.url.replace(/^mariadb:/, 'mysql:');
}
