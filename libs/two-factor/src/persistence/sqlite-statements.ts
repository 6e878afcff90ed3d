import { QueryFailedError, type QueryRunner } from 'typeorm';

/** The most distinct statement texts kept prepared; any further text runs through TypeORM (a bound on memory). */
export const MAX_CACHED_SQLITE_STATEMENTS = 200;

/** The slice of better-sqlite3 that a statement needs. */
interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(text: string): SqliteStatement;
}

/**
 * SQLite (better-sqlite3): runs the module's statements on the DataSource's own connection
 * with one prepared statement per SQL text, kept for the process, instead of through
 * TypeORM's `query` (its FIFO cache of 100 is shared with every query of the host, and its
 * path adds a broadcaster, a result object and several awaits per statement). What TypeORM
 * does around a statement is kept: the DataSource's logger sees each statement (statement
 * counters keep working), slow statements are reported, booleans go as 0/1, and errors become
 * `QueryFailedError` with the driver's error inside (so SQLITE_BUSY is still an outage, 503).
 * As for PostgreSQL's named statements, query subscribers are not called for these.
 * Transactions are untouched: BEGIN/COMMIT still go through TypeORM, on the same connection.
 */
export class SqliteStatements {
  private readonly cache = new Map<string, SqliteStatement>();
  /** The connection the cached statements belong to: a DataSource initialized again opens a new one. */
  private database?: SqliteDatabase;

  /** The rows of `text`, or undefined when it is not run here (not better-sqlite3, or the cache is full). */
  run<T>(runner: QueryRunner, text: string, params: unknown[]): T[] | undefined {
    const { logger, options, driver } = runner.connection;
    const database = (driver as unknown as { databaseConnection?: SqliteDatabase }).databaseConnection;
    if (!database || runner.isReleased) return undefined;
    if (database !== this.database) {
      this.cache.clear();
      this.database = database;
    }
    let statement = this.cache.get(text);
    if (!statement && this.cache.size >= MAX_CACHED_SQLITE_STATEMENTS) return undefined;
    const values = params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
    logger.logQuery(text, values, runner);
    const started = Date.now();
    try {
      if (!statement) this.cache.set(text, (statement = database.prepare(text)));
      const rows = statement.reader ? statement.all(...values) : (statement.run(...values), []);
      const took = Date.now() - started;
      if (options.maxQueryExecutionTime && took > options.maxQueryExecutionTime) logger.logQuerySlow(took, text, values, runner);
      return rows as T[];
    } catch (error) {
      logger.logQueryError(error as Error, text, values, runner);
      throw new QueryFailedError(text, values, error as Error);
    }
  }
}
