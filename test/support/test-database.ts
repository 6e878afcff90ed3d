import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The databases every database-facing suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export type DatabaseKind = 'sqlite' | 'postgres';

export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, empty database for one suite, and how to throw it away. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** A DATABASE_URL for the demo: `sqlite:<file>` or `postgres://…/<fresh database>`. */
  url: string;
  drop(): Promise<void>;
}

/**
 * SQLite: a new file in the temp directory (a file, not `:memory:`, so two app
 * instances can share it). PostgreSQL: a new database on TEST_DATABASE_URL's
 * server, so suites running in parallel never see each other's rows.
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
