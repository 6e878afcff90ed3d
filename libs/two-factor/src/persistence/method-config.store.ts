import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MethodConfig } from '../entities/method-config.entity.js';
import { toBool, toJson, toNumber } from './rows.js';
import { SqlRunner } from './sql-runner.js';

/** What a method config row is written from. */
export interface MethodConfigRow {
  title: string;
  method: string;
  config: Record<string, unknown>;
  is_active: boolean;
  is_default: boolean;
}

const COLUMNS = 'id, title, method, config, is_active, is_default, created_at, updated_at';

/**
 * The statements of MethodConfigService: method configs are admin data, written
 * rarely, so plain statements in a transaction suffice (no hot-path tricks).
 */
@Injectable()
export class MethodConfigStore {
  constructor(readonly sql: SqlRunner) {}

  /** Every method config, active or not, by id. */
  async all(): Promise<MethodConfig[]> {
    return (await this.sql.rows(`SELECT ${COLUMNS} FROM two_factor_method_config ORDER BY id`)).map(toMethodConfig);
  }

  async find(id: number, manager?: EntityManager): Promise<MethodConfig | undefined> {
    const [row] = await this.sql.rows(`SELECT ${COLUMNS} FROM two_factor_method_config WHERE id = ?`, [id], manager);
    return row && toMethodConfig(row);
  }

  /** How many user configs each method config has, by method config id. */
  async userConfigCounts(manager?: EntityManager): Promise<Map<number, number>> {
    const rows = await this.sql.rows('SELECT method_config_id, COUNT(*) AS n FROM two_factor_user_config GROUP BY method_config_id', [], manager);
    return new Map(rows.map((row) => [toNumber(row.method_config_id), toNumber(row.n)]));
  }

  async insert(manager: EntityManager, row: MethodConfigRow, now: number): Promise<number> {
    const id = await this.sql.insertedId(
      'INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.title, row.method, JSON.stringify(row.config), this.sql.bool(row.is_active), this.sql.bool(row.is_default), now, now],
      manager,
    );
    return id!;
  }

  /**
   * Inserts the row only when no method config of its method exists (active or not, made by
   * anyone): the seed, safe with several instances starting at once. PostgreSQL: the table lock
   * (which only writers wait for) makes the NOT EXISTS of a second seeder see the first one's
   * committed row; SQLite runs one writer at a time anyway. MySQL/MariaDB: see insertIfNoneMysql.
   * @returns the new id, or null.
   */
  async insertIfNone(manager: EntityManager, row: MethodConfigRow, now: number): Promise<number | null> {
    if (this.sql.isMysql) return this.insertIfNoneMysql(manager, row, now);
    if (this.sql.isPostgres) await this.sql.rows('LOCK TABLE two_factor_method_config IN SHARE ROW EXCLUSIVE MODE', [], manager);
    const [inserted] = await this.sql.rows(
      `INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at)
       SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BOOLEAN), CAST(? AS BOOLEAN), CAST(? AS BIGINT), CAST(? AS BIGINT)
        WHERE NOT EXISTS (SELECT 1 FROM two_factor_method_config WHERE method = ?) RETURNING id`,
      [row.title, row.method, JSON.stringify(row.config), this.sql.bool(row.is_active), this.sql.bool(row.is_default), now, now, row.method],
      manager,
    );
    return inserted ? toNumber(inserted.id) : null;
  }

  /**
   * insertIfNone on MySQL/MariaDB. Two seeders' NOT EXISTS would both take shared gap locks and
   * then deadlock on their inserts, so seeders of one database take turns through a named lock
   * (GET_LOCK, the server's own, per database). The lock is given back right after the INSERT:
   * a later seeder's INSERT … SELECT is a locking read, which waits for this row's commit and then
   * sees it.
   */
  private async insertIfNoneMysql(manager: EntityManager, row: MethodConfigRow, now: number): Promise<number | null> {
    const name = "SHA1(CONCAT('two_factor_method_config_seed:', DATABASE()))";
    const [turn] = await this.sql.rows(`SELECT GET_LOCK(${name}, 10) AS taken`, [], manager);
    if (toNumber(turn.taken) !== 1) throw new Error('Another instance held the method config seeding lock for 10 s');
    try {
      return await this.sql.insertedId(
        `INSERT INTO two_factor_method_config (title, method, config, is_active, is_default, created_at, updated_at)
         SELECT ?, ?, ?, ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM two_factor_method_config WHERE method = ?)`,
        [row.title, row.method, JSON.stringify(row.config), this.sql.bool(row.is_active), this.sql.bool(row.is_default), now, now, row.method],
        manager,
      );
    } finally {
      await this.sql.rows(`SELECT RELEASE_LOCK(${name})`, [], manager).catch(() => undefined);
    }
  }

  /** Writes the given columns; false when the row is gone. */
  async update(manager: EntityManager, id: number, patch: Partial<MethodConfigRow>, now: number): Promise<boolean> {
    const columns: Array<[string, unknown]> = [];
    if (patch.title !== undefined) columns.push(['title', patch.title]);
    if (patch.config !== undefined) columns.push(['config', JSON.stringify(patch.config)]);
    if (patch.is_active !== undefined) columns.push(['is_active', this.sql.bool(patch.is_active)]);
    if (patch.is_default !== undefined) columns.push(['is_default', this.sql.bool(patch.is_default)]);
    const sets = ['updated_at = ?', ...columns.map(([column]) => `${column} = ?`)];
    const params = [now, ...columns.map(([, value]) => value)];
    return (await this.sql.matched(`UPDATE two_factor_method_config SET ${sets.join(', ')} WHERE id = ?`, 'id', [...params, id], manager)) === 1;
  }

  /** At most one default: `id` becomes it and every other loses it, in one statement. */
  async makeSoleDefault(manager: EntityManager, id: number): Promise<void> {
    await this.sql.rows('UPDATE two_factor_method_config SET is_default = (id = ?) WHERE is_default = TRUE OR id = ?', [id, id], manager);
  }

  /**
   * Deletes the method config with its method-level confirmations and failure
   * counters (explicitly, not trusting each database's foreign-key setting). Its
   * user configs must be gone first: the factor lifecycle deletes them (cascade).
   * @returns false when the row was already gone.
   */
  async remove(manager: EntityManager, id: number): Promise<boolean> {
    await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key LIKE ?', [`mc:${id}:%`], manager);
    await this.sql.rows('DELETE FROM two_factor_confirmation WHERE method_config_id = ?', [id], manager);
    return (await this.sql.matched('DELETE FROM two_factor_method_config WHERE id = ?', 'id', [id], manager)) === 1;
  }
}

function toMethodConfig(row: Record<string, any>): MethodConfig {
  return Object.assign(new MethodConfig(), {
    id: toNumber(row.id),
    title: row.title,
    method: row.method,
    config: toJson(row.config),
    is_active: toBool(row.is_active),
    is_default: toBool(row.is_default),
    created_at: new Date(toNumber(row.created_at)),
    updated_at: new Date(toNumber(row.updated_at)),
  });
}
