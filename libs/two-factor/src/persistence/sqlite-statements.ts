import { QueryFailedError, type QueryRunner } from 'typeorm';
import { rowBuilder, type RowBuilder } from './sqlite-row-builder.js';

/** The most distinct statement texts kept prepared; any further text runs through TypeORM (a bound on memory). */
export const MAX_CACHED_SQLITE_STATEMENTS = 200;

/** The slice of better-sqlite3 that a statement needs. */
interface SqliteStatement {
  readonly reader: boolean;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): unknown;
  raw(toggle: boolean): SqliteStatement;
  columns(): Array<{ name: string }>;
}
/** A statement prepared once, with what is known of it for good: whether it answers rows, and how they are built. */
interface Prepared {
  statement: SqliteStatement;
  reader: boolean;
  /** Set when the statement runs in raw mode (see rowBuilder). */
  toRow?: RowBuilder;
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
  private readonly cache = new Map<string, Prepared>();
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
    let prepared = this.cache.get(text);
    if (!prepared && this.cache.size >= MAX_CACHED_SQLITE_STATEMENTS) return undefined;
    // better-sqlite3 binds the elements of an array as the statement's anonymous parameters.
    const values = params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
    logger.logQuery(text, values, runner);
    const slowAfter = options.maxQueryExecutionTime;
    const started = slowAfter ? Date.now() : 0;
    try {
      if (!prepared) this.cache.set(text, (prepared = prepare(database, text)));
      const { statement, reader, toRow } = prepared;
      const rows = reader ? (toRow ? (statement.all(values) as unknown[][]).map(toRow) : statement.all(values)) : (statement.run(values), []);
      if (slowAfter) {
        const took = Date.now() - started;
        if (took > slowAfter) logger.logQuerySlow(took, text, values, runner);
      }
      return rows as T[];
    } catch (error) {
      logger.logQueryError(error as Error, text, values, runner);
      throw new QueryFailedError(text, values, error as Error);
    }
  }
}

/** Prepares `text` once: a statement that answers rows answers them as arrays when rowBuilder can rebuild the objects. */
function prepare(database: SqliteDatabase, text: string): Prepared {
  const statement = database.prepare(text);
  if (!statement.reader) return { statement, reader: false };
  const toRow = rowBuilder(statement.columns().map((column) => column.name));
  if (toRow) statement.raw(true);
  return { statement, reader: true, toRow };
}
