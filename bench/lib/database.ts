import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** A fresh database for one bench run, and how to throw it away. */
export interface BenchDatabase {
  kind: 'sqlite' | 'postgres' | 'mysql';
  /** The DATABASE_URL the demo server gets. */
  url: string;
  /** What the machine runs, for the report (filled once the server is up). */
  version?: string;
  drop(): Promise<void>;
}

/**
 * SQLite (default): a new file in a new temp directory. PostgreSQL, when
 * `DATABASE_URL=postgres://…` is set, or MySQL/MariaDB, when it is `mysql://…`
 * (or `mariadb://…`): a new database on that server, dropped afterwards.
 */
export async function createBenchDatabase(serverUrl = process.env.DATABASE_URL): Promise<BenchDatabase> {
  if (serverUrl && /^(mysql|mariadb):\/\//.test(serverUrl)) {
    const name = `tf_bench_${randomBytes(5).toString('hex')}`;
    const [version] = await mysqlAdmin(serverUrl, 'SELECT VERSION() AS v', `CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    const mariadb = /mariadb/i.test(version);
    const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
    url.pathname = `/${name}`;
    return {
      kind: 'mysql',
      // The demo reads MariaDB's catalogue with TypeORM's `mariadb` type (src/database.ts).
      url: mariadb ? url.toString().replace(/^mysql:/, 'mariadb:') : url.toString(),
      version: `${mariadb ? 'MariaDB' : 'MySQL'} ${version}`,
      drop: async () => {
        await mysqlAdmin(serverUrl, `DROP DATABASE IF EXISTS ${name}`);
      },
    };
  }
  if (serverUrl && /^postgres(ql)?:\/\//.test(serverUrl)) {
    const name = `tf_bench_${randomBytes(5).toString('hex')}`;
    const version = String(await admin(serverUrl, 'SHOW server_version'));
    // Said in the report: without autovacuum the tables keep their dead rows and get no statistics, so a
    // plan made early is kept (docs/operations/benchmarks.md, "a step-up's plan").
    const autovacuum = String(await admin(serverUrl, 'SHOW autovacuum'));
    await admin(serverUrl, `CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      url: url.toString(),
      version: `PostgreSQL ${version}${autovacuum === 'off' ? ' (autovacuum off)' : ''}`,
      drop: async () => {
        await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  if (serverUrl && !serverUrl.startsWith('sqlite:')) throw new Error('DATABASE_URL must be postgres://… or mysql://… (or unset for SQLite)');
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-'));
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { prepare(sql: string): { get(): unknown }; close(): void };
  const probe = new Sqlite(':memory:');
  const version = String((probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v);
  probe.close();
  return {
    kind: 'sqlite',
    url: `sqlite:${join(dir, 'bench.sqlite')}`,
    version: `SQLite ${version} (better-sqlite3)`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function admin(serverUrl: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query(sql);
    return result.rows[0] ? Object.values(result.rows[0])[0] : undefined;
  } finally {
    await client.end();
  }
}

/** Runs `statements` on the MySQL/MariaDB server (no database selected); returns each one's first value. */
async function mysqlAdmin(serverUrl: string, ...statements: string[]): Promise<string[]> {
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  url.pathname = '/';
  const connection = await mysql.createConnection(url.toString());
  try {
    const values: string[] = [];
    for (const sql of statements) {
      const [rows] = await connection.query(sql);
      values.push(Array.isArray(rows) && rows[0] ? String(Object.values(rows[0] as object)[0]) : '');
    }
    return values;
  } finally {
    await connection.end();
  }
}
