import Database from 'better-sqlite3';
import type { DemoHarness, HarnessOptions } from './demo-harness.js';
import { bootDemo } from './demo-harness.js';
import { createTestDatabase, isServerDatabase, type DatabaseKind } from './test-database.js';
import { TcpProxy } from './tcp-proxy.js';

/** A demo whose database a test can take away and give back. */
export interface FaultyDemo {
  h: DemoHarness;
  /** The database stops answering: PostgreSQL and MySQL through a cut proxy, SQLite locked by another process's writer. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL and MySQL/MariaDB: the app talks to a fresh database through a `TcpProxy`. SQLite has
 * no server to lose, so its outage is another connection holding the write lock:
 * writes fail with SQLITE_BUSY after a short busy timeout, reads go on (WAL).
 */
export async function bootFaultyDemo(kind: DatabaseKind, options: HarnessOptions = {}): Promise<FaultyDemo> {
  const db = await createTestDatabase(kind);
  if (isServerDatabase(kind)) {
    const server = new URL(db.url);
    const proxy = await new TcpProxy({ host: server.hostname, port: Number(server.port || (kind === 'mysql' ? 3306 : 5432)) }).open();
    const h = await bootDemo(kind, { ...options, db: { ...db, url: proxy.via(db.url) } });
    return {
      h,
      cut: () => proxy.cut(),
      restore: async () => void (await proxy.restore()),
      close: async () => {
        await proxy.open();
        await h.close();
        await proxy.close();
        await db.drop();
      },
    };
  }
  const h = await bootDemo(kind, { ...options, db, databaseExtra: { timeout: 200, ...options.databaseExtra } });
  const file = db.url.slice('sqlite:'.length);
  let holder: Database.Database | undefined;
  return {
    h,
    cut: async () => {
      holder = new Database(file);
      holder.exec('BEGIN EXCLUSIVE');
    },
    restore: async () => {
      holder?.exec('ROLLBACK');
      holder?.close();
      holder = undefined;
    },
    close: async () => {
      holder?.close();
      await h.close();
      await db.drop();
    },
  };
}
