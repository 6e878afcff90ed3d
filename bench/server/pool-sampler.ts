import type { DataSource } from 'typeorm';

/** What node-postgres' pool reports about itself. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Sums of the pool's counts over the samples taken so far; the bench divides the deltas of a round. */
export interface PoolSamples {
  samples: number;
  /** Requests waiting for a free connection, summed over samples. */
  waiting: number;
  /** Connections checked out (open minus idle), summed over samples. */
  busy: number;
  /** The pool's maximum (poolSize, or node-postgres' default of 10). */
  max: number;
}

/**
 * The bench server, PostgreSQL only: samples the DataSource's pg pool every 2 ms, so
 * the bench can say whether requests queued for a connection (pool waits)
 * during a round. SQLite has one connection and no pool: nothing is sampled.
 */
export class PoolSampler {
  readonly counts: PoolSamples = { samples: 0, waiting: 0, busy: 0, max: 0 };
  private timer?: NodeJS.Timeout;

  start(dataSource: DataSource): void {
    const pool = (dataSource.driver as { master?: PgPool & { options?: { max?: number } } }).master;
    if (dataSource.options.type !== 'postgres' || !pool) return;
    this.counts.max = pool.options?.max ?? 10;
    this.timer = setInterval(() => {
      this.counts.samples++;
      this.counts.waiting += pool.waitingCount;
      this.counts.busy += pool.totalCount - pool.idleCount;
    }, 2);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The one sampler of this process. */
export const benchPool = new PoolSampler();
