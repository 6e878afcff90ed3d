import type { DataSourceOptions } from 'typeorm';
import { demoConfigFromEnv, type DemoConfig } from '../../src/demo.config.js';
import { BENCH_LIMIT_OVERRIDES } from './bench-limits.js';
import { BENCH_DATABASE_OPTIONS } from './statement-counter.js';

/**
 * The demo's configuration from the environment, with what the bench changes on top:
 * statement counting on the DataSource and the bench's limits (bench-limits.ts).
 * `BENCH_SQLITE_ROLLBACK=1` (the bench's `--sqlite-rollback`) puts SQLite back on the rollback
 * journal with synchronous=FULL, to compare with the demo's default WAL.
 */
export function benchConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const demo = demoConfigFromEnv(env);
  const rollback = env.BENCH_SQLITE_ROLLBACK === '1' && demo.database.type === 'better-sqlite3' ? { enableWAL: false, prepareDatabase: undefined } : {};
  return {
    ...demo,
    database: { ...demo.database, ...rollback, ...BENCH_DATABASE_OPTIONS } as DataSourceOptions,
    twoFactor: { ...BENCH_LIMIT_OVERRIDES },
  };
}
