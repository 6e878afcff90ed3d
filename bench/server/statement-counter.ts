import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * The bench server only: a TypeORM logger that counts every SQL statement the app
 * sends (BEGIN/COMMIT included, like the test suite's StatementCounter) and
 * remembers the slowest one, so the benchmark can report statements per
 * request and the longest single statement (e.g. one purge batch).
 * It keeps no statement text: counting must stay cheap on the hot path.
 */
export class BenchStatementCounter implements TypeOrmLogger {
  /** Statements sent since the process started. */
  count = 0;
  /** Statements slower than `maxQueryExecutionTime` (1 ms in the bench server), and the slowest of them. */
  slowCount = 0;
  slowestMs = 0;
  slowestSql = '';

  logQuery(): void {
    this.count++;
  }
  logQuerySlow(time: number, query: string): void {
    this.slowCount++;
    if (time > this.slowestMs) {
      this.slowestMs = time;
      this.slowestSql = query.replace(/\s+/g, ' ').slice(0, 160);
    }
  }
  /** Forgets the slowest statement (before a measured operation such as a purge). */
  resetSlowest(): void {
    this.slowCount = 0;
    this.slowestMs = 0;
    this.slowestSql = '';
  }
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The one counter of this process (bench.config.ts wires it into the DataSource). */
export const benchStatements = new BenchStatementCounter();

/** DataSource options added by the bench server: the counting logger, and slow-statement timing from 1 ms. */
export const BENCH_DATABASE_OPTIONS: { logger: TypeOrmLogger; logging: ['query']; maxQueryExecutionTime: number } = {
  logger: benchStatements,
  logging: ['query'],
  maxQueryExecutionTime: 1,
};

/** HTTP requests this process has received (every route, the bench's own included), counted at the server socket. */
export const benchRequests = { count: 0 };
