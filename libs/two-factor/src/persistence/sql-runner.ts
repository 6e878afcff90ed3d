import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { ConnectionLostError } from './connection-lost.error.js';
import { PreparedStatements } from './prepared-statements.js';
import type { RawValue } from './rows.js';
import { SqliteStatements } from './sqlite-statements.js';

/**
 * Runs the module's statements on SQLite and PostgreSQL alike.
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
 * - A connection that breaks mid-transaction is dropped by the driver, and TypeORM
 *   then refuses the runner's next statement (the COMMIT, the ROLLBACK) with
 *   QueryRunnerAlreadyReleasedError: that is answered as what it is, a lost
 *   connection (ConnectionLostError, a 503), and a failed rollback never hides
 *   the error that caused it.
 */
@Injectable()
export class SqlRunner {
  readonly isPostgres: boolean;
  private turn: Promise<unknown> = Promise.resolve();
  private readonly prepared?: PreparedStatements;
  private readonly sqlite?: SqliteStatements;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @InjectTwoFactorOptions() options: Pick<ResolvedTwoFactorOptions, 'preparedStatements'>,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
    if (this.isPostgres && options.preparedStatements) this.prepared = new PreparedStatements();
    // better-sqlite3: each statement text prepared once, run on the DataSource's connection (see SqliteStatements).
    if (dataSource.options.type === 'better-sqlite3') this.sqlite = new SqliteStatements();
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

  /** Runs `work` alone on SQLite (see the class comment); directly on PostgreSQL. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.isPostgres) return work();
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** A boolean parameter: PostgreSQL takes booleans, better-sqlite3 only 0/1. */
  bool(value: boolean): boolean | number {
    return this.isPostgres ? value : value ? 1 : 0;
  }

  /** `?, ?, ?` for an IN list of `count` parameters (an empty list matches nothing). */
  static list(count: number): string {
    return count === 0 ? 'NULL' : new Array(count).fill('?').join(', ');
  }

  private async run<T>(runner: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
    const text = this.isPostgres ? toNumberedPlaceholders(sql) : sql;
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

function toNumberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
