import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { TWO_FACTOR_ENTITIES, twoFactorMigrations } from 'nestjs-two-factor';

/** Where the demo keeps its SQLite database when DATABASE_URL is not set. */
export const DEFAULT_SQLITE_FILE = './data/demo.sqlite';

/** What a host tunes about the connection, beside the URL. */
export interface DatabaseTuning {
  /**
   * PostgreSQL and MySQL/MariaDB (`DATABASE_POOL_SIZE`): the most connections the app's pool opens. Unset: the
   * driver's default, 10 (node-postgres' pool, mysql2's `connectionLimit`). Each statement holds a connection for
   * its round trip (and its commit's WAL flush), so under more concurrent requests than connections, requests
   * queue in the pool (docs/operations/benchmarks.md).
   */
  poolSize?: number;
}

/**
 * DataSource options from a URL: `postgres://…` for PostgreSQL, `mysql://…` (or `mariadb://…`) for
 * MySQL 8 or MariaDB 10.6+, `sqlite:<path>` (or nothing, for `./data/demo.sqlite`) for an embedded
 * SQLite file. Schema comes from the shipped migrations, never from `synchronize`.
 */
export function databaseOptions(url: string | undefined = process.env.DATABASE_URL, tuning: DatabaseTuning = {}): DataSourceOptions {
  const common = { entities: TWO_FACTOR_ENTITIES, migrationsTableName: 'two_factor_migrations', synchronize: false } as const;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // A database that accepts no connection (or blackholes it) fails the request within 5 s, as a 503,
    // instead of holding it until the client gives up.
    const pool = tuning.poolSize === undefined ? {} : { poolSize: tuning.poolSize };
    return { ...common, type: 'postgres', url, migrations: twoFactorMigrations('postgres'), ...pool, extra: { connectionTimeoutMillis: 5000 } };
  }
  if (url && /^(mysql|mariadb):\/\//.test(url)) {
    // One driver (mysql2) for both servers; TypeORM's type `mariadb` reads MariaDB's catalogue (defaults, NULLs) as MariaDB writes it.
    const pool = tuning.poolSize === undefined ? {} : { poolSize: tuning.poolSize };
    const type = url.startsWith('mariadb:') ? 'mariadb' : 'mysql';
    const mysqlUrl = url.replace(/^mariadb:/, 'mysql:');
    return { ...common, type, url: mysqlUrl, migrations: twoFactorMigrations(type), ...pool, connectTimeout: 5000 };
  }
  if (url && !url.startsWith('sqlite:')) {
    throw new Error(`DATABASE_URL must start with postgres://, mysql:// or sqlite:, got "${url.split(':')[0]}:…"`);
  }
  const file = url ? url.slice('sqlite:'.length) : DEFAULT_SQLITE_FILE;
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    migrations: twoFactorMigrations('sqlite'),
    // WAL with synchronous=NORMAL: a write no longer waits on a synchronous fsync on the event loop
    // (4-6x faster writes, docs/operations/benchmarks.md); a crash may lose the last commits, never corrupt the file.
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}
