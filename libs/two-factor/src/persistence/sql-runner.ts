import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { ConnectionLostError } from './connection-lost.error.js';
import { PreparedStatements } from './prepared-statements.js';
import type { RawValue } from './rows.js';
import { SqliteStatements } from './sqlite-statements.js';

/** The SQL dialects the stores write: `mysql` is MySQL 8 and MariaDB 10.6+ (TypeORM's `mysql` and `mariadb` types). */
export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** What a write did on MySQL/MariaDB, which have no `RETURNING` on every statement. */
export interface WriteResult {
  /** Rows the statement matched (the driver's FOUND_ROWS flag: matched, even when a value did not change). */
  affected: number;
  /** The AUTO_INCREMENT id it inserted, or the value of `LAST_INSERT_ID(expr)` it set; 0 when neither. */
  insertId: number;
}

/**
 * Runs the module's statements on SQLite, PostgreSQL and MySQL/MariaDB alike.
 *
 * - Hot-path statements are hand-written conditional UPDATE/DELETE … RETURNING,
 *   decided by the rows they return, written with `?` placeholders (rewritten
 *   to `$n` for PostgreSQL).
 * - TypeORM drives SQLite through one shared connection, where two overlapping
 *   transactions would nest into each other and a plain statement would join
 *   whichever transaction is open. On SQLite every unit of work therefore takes
 *   turns through `exclusive`; SQLite serialises writers anyway, so this costs
 *   no throughput. PostgreSQL has a pool and needs no such turn-taking.
 * - Work inside `transaction` must pass its `manager` along (as `ChallengeIssuer.issue`
 *   does for backends' send limits): on SQLite a statement without it would wait
 *   for the turn the transaction itself holds.
 * - On PostgreSQL statements go as named prepared statements (`preparedStatements`,
 *   on by default; see PreparedStatements): parsing and planning them was most of
 *   PostgreSQL's CPU per request.
 * - On better-sqlite3 statements run as statements prepared once per text (SqliteStatements),
 *   logged and mapped as TypeORM does; transactions still go through TypeORM.
 * - MySQL and MariaDB have no `UPDATE … RETURNING` (MySQL none at all): there a store decides
 *   by the conditional statement's matched-row count (`write`) and reads a row it needs inside
 *   the same transaction, after the write that locked it or by a locking read (`FOR UPDATE`)
 *   before a conditional DELETE; never a read followed by an unconditional write. Upserts are
 *   `INSERT … ON DUPLICATE KEY UPDATE`. The driver's FOUND_ROWS flag (mysql2's default) must stay
 *   on, so a matched row counts even when the write leaves its values as they were. `key`, a
 *   reserved word there, is quoted by the runner (`forMysql`); everything else is written once.
 * - A connection that breaks mid-transaction is dropped by the driver, and TypeORM
 *   then refuses the runner's next statement (the COMMIT, the ROLLBACK) with
 *   QueryRunnerAlreadyReleasedError: that is answered as what it is, a lost
 *   connection (ConnectionLostError, a 503), and a failed rollback never hides
 *   the error that caused it.
 */
@Injectable()
export class SqlRunner {
  readonly dialect: SqlDialect;
  readonly isPostgres: boolean;
  /** MySQL or MariaDB. */
  readonly isMysql: boolean;
  private turn: Promise<unknown> = Promise.resolve();
  private readonly prepared?: PreparedStatements;
  private readonly sqlite?: SqliteStatements;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @InjectTwoFactorOptions() options: Pick<ResolvedTwoFactorOptions, 'preparedStatements'>,
  ) {
    const type = dataSource.options.type;
    this.dialect = type === 'postgres' ? 'postgres' : type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
    this.isPostgres = this.dialect === 'postgres';
    this.isMysql = this.dialect === 'mysql';
    if (this.isMysql) assertFoundRows((dataSource.options as { flags?: unknown }).flags);
    if (this.isPostgres && options.preparedStatements) this.prepared = new PreparedStatements();
    // better-sqlite3: each statement text prepared once, run on the DataSource's connection (see SqliteStatements).
    if (dataSource.options.type === 'better-sqlite3') this.sqlite = new SqliteStatements();
  }

  /** The database's OpenTelemetry `db.system.name`: `sqlite`, `postgresql` or `mysql` (MariaDB included). */
  get systemName(): string {
    return this.isPostgres ? 'postgresql' : this.dialect;
  }

  /** Runs one statement and returns its rows (the RETURNING rows for writes). */
  rows<T = Record<string, RawValue>>(sql: string, params: unknown[] = [], manager?: EntityManager): Promise<T[]> {
    if (manager) return this.run<T>(manager.queryRunner!, sql, params).catch(rethrowLost);
    return this.exclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        return await this.run<T>(runner, sql, params);
      } catch (error) {
        return rethrowLost(error);
      } finally {
        await runner.release();
      }
    });
  }

  /**
   * MySQL/MariaDB: runs one write and says what it did (see WriteResult). The stores' MySQL
   * statements decide by its `affected` count where the other dialects read RETURNING rows.
   */
  async write(sql: string, params: unknown[] = [], manager?: EntityManager): Promise<WriteResult> {
    if (!this.isMysql) throw new Error('SqlRunner.write is for MySQL/MariaDB statements: elsewhere a write decides by its RETURNING rows');
    const text = forMysql(sql);
    const send = async (runner: QueryRunner) => {
      const result = await runner.query(text, params, true);
      const raw = result.raw as { affectedRows?: number; insertId?: number | string } | undefined;
      return { affected: Number(result.affected ?? raw?.affectedRows ?? 0), insertId: Number(raw?.insertId ?? 0) };
    };
    if (manager) return send(manager.queryRunner!).catch(rethrowLost);
    const runner = this.dataSource.createQueryRunner();
    try {
      return await send(runner);
    } catch (error) {
      return rethrowLost(error);
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs a conditional UPDATE or DELETE and returns how many rows it matched: the rows of
   * `sql RETURNING column` on SQLite and PostgreSQL, the matched-row count on MySQL/MariaDB.
   */
  async matched(sql: string, column: string, params: unknown[] = [], manager?: EntityManager): Promise<number> {
    if (this.isMysql) return (await this.write(sql, params, manager)).affected;
    return (await this.rows(`${sql} RETURNING ${column}`, params, manager)).length;
  }

  /** Runs an INSERT into a table with a generated `id` and returns the new id (`RETURNING id`, or MySQL's insert id). */
  async insertedId(sql: string, params: unknown[] = [], manager?: EntityManager): Promise<number | null> {
    if (this.isMysql) {
      const { affected, insertId } = await this.write(sql, params, manager);
      return affected === 1 ? insertId : null;
    }
    const [row] = await this.rows<{ id: RawValue }>(`${sql} RETURNING id`, params, manager);
    return row ? Number(row.id) : null;
  }

  /**
   * Runs `work` inside `manager`'s open transaction, or in a transaction of its own (rolled back
   * when it returns null, see transactionUnlessNull): MySQL's write-then-read pairs need one.
   */
  within<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T | null>): Promise<T | null> {
    return manager ? work(manager) : this.transactionUnlessNull(work);
  }

  /** Runs `work` in one transaction: everything or nothing. Keep network calls out of it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.dataSource.transaction(work).catch(rethrowLost));
  }

  /**
   * Runs `work` in one transaction and commits what it returns; when it returns
   * null (a conditional statement matched no row: a race was lost) everything
   * it did is rolled back and null is returned. Errors roll back and propagate.
   */
  transactionUnlessNull<T>(work: (manager: EntityManager) => Promise<T | null>): Promise<T | null> {
    return this.exclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        const result = await work(runner.manager).catch(async (error: unknown) => {
          // The error that failed the work is the answer, even when the rollback fails too (a broken connection).
          await runner.rollbackTransaction().catch(() => undefined);
          throw error;
        });
        if (result === null) await runner.rollbackTransaction();
        else await runner.commitTransaction();
        return result;
      } catch (error) {
        return rethrowLost(error);
      } finally {
        await runner.release();
      }
    });
  }

  /** Runs `work` alone on SQLite (see the class comment); directly on PostgreSQL and MySQL (pools). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return work();
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** A boolean parameter: PostgreSQL takes booleans, better-sqlite3 only 0/1 (and MySQL stores TINYINT 0/1). */
  bool(value: boolean): boolean | number {
    return this.isPostgres ? value : value ? 1 : 0;
  }

  /** `?, ?, ?` for an IN list of `count` parameters (an empty list matches nothing). */
  static list(count: number): string {
    return count === 0 ? 'NULL' : new Array(count).fill('?').join(', ');
  }

  private async run<T>(runner: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
    const text = this.isPostgres ? forPostgres(sql) : this.isMysql ? forMysql(sql) : sql;
    const prepared = (await this.prepared?.run<T>(runner, text, params)) ?? this.sqlite?.run<T>(runner, text, params);
    if (prepared) return prepared;
    const result = await runner.query(text, params, true);
    return (result.records ?? []) as T[];
  }
}

/** TypeORM refusing a runner the driver released after its connection broke: the connection was lost. */
function rethrowLost(error: unknown): never {
  throw error instanceof QueryRunnerAlreadyReleasedError ? new ConnectionLostError(error) : error;
}

/** The most distinct texts kept rewritten per dialect: the module writes a few dozen, so more is a text built per call. */
const MAX_REWRITTEN_TEXTS = 500;

/**
 * A dialect's rewrite of the stores' texts, worked out once per text: the rewrite is a regular
 * expression over the whole statement, and the same text object then keys the prepared
 * statement and the span lookups that follow (its hash is worked out once).
 */
function rewriteOnce(rewrite: (sql: string) => string): (sql: string) => string {
  const texts = new Map<string, string>();
  return (sql) => {
    let text = texts.get(sql);
    if (text === undefined) {
      text = rewrite(sql);
      if (texts.size < MAX_REWRITTEN_TEXTS) texts.set(sql, text);
    }
    return text;
  };
}

/** PostgreSQL's `$1, $2, …` for the stores' `?` placeholders. */
export const forPostgres = rewriteOnce((sql) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
});

/** `key` (a column name, and a reserved word on MySQL and MariaDB) quoted where it stands alone: `f.key` needs no quotes. */
export const forMysql = rewriteOnce((sql) => sql.replace(/(?<![.\w`])key(?![\w`])/g, '`key`'));

/**
 * The stores' MySQL statements decide by matched rows: a DataSource whose `flags` turn mysql2's
 * FOUND_ROWS off would count only changed rows, and a race a write won would read as lost.
 */
function assertFoundRows(flags: unknown): void {
  const list = Array.isArray(flags) ? flags.map(String) : String(flags ?? '').split(',');
  if (list.some((flag) => flag.trim().toUpperCase() === '-FOUND_ROWS')) {
    throw new Error('nestjs-two-factor needs the MySQL client flag FOUND_ROWS (mysql2 sets it by default): remove "-FOUND_ROWS" from the DataSource\'s flags');
  }
}
