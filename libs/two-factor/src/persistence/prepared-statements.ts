import { createHash } from 'node:crypto';
import { QueryFailedError, type QueryRunner } from 'typeorm';

/** The most distinct statement texts prepared by name; any further text goes unnamed (a bound on each connection's memory). */
export const MAX_PREPARED_STATEMENTS = 200;

/** The slice of node-postgres' client that a named query needs. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * PostgreSQL: runs a statement as a named prepared statement, so that each
 * connection parses and plans it once instead of on every call. Measured on
 * the joined confirmation read and the confirm's flip: 450 → 130 µs of
 * PostgreSQL CPU per confirm (docs/operations/benchmarks.md), the server's biggest cost.
 * TypeORM's `query` sends every statement unnamed, so this does its part here:
 * the DataSource's logger sees each statement (statement counters keep working),
 * errors become `QueryFailedError`, slow statements are reported as TypeORM does.
 * Query subscribers (`beforeQuery`/`afterQuery`) are not called for these statements.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  /** The statement's name, or undefined once the bound is reached (then it runs unnamed). */
  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_PREPARED_STATEMENTS) return known;
    // A digest of the text: the same text has the same name in every process and on every connection.
    const name = `tf_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    this.names.set(text, name);
    return name;
  }

  async run<T>(runner: QueryRunner, text: string, params: unknown[]): Promise<T[] | undefined> {
    const name = this.nameOf(text);
    if (name === undefined) return undefined;
    const client = (await runner.connect()) as PgClient;
    const { logger, options } = runner.connection;
    logger.logQuery(text, params, runner);
    const started = Date.now();
    try {
      const { rows } = await client.query({ name, text, values: params });
      const took = Date.now() - started;
      if (options.maxQueryExecutionTime && took > options.maxQueryExecutionTime) logger.logQuerySlow(took, text, params, runner);
      return rows as T[];
    } catch (error) {
      logger.logQueryError(error as Error, text, params, runner);
      throw new QueryFailedError(text, params, error as Error);
    }
  }
}
