import { Injectable } from '@nestjs/common';
import { Status } from '../entities/status.js';
import { UserConfig } from '../entities/user-config.entity.js';
import { toNumber } from './rows.js';
import { SqlRunner } from './sql-runner.js';

/** Filters of the admin's confirmation search; every one optional, all combined with AND. */
export interface ConfirmationFilter {
  userId?: string;
  methodConfigId?: number;
  userConfigId?: number;
  status?: Status;
  /** true: only expired ones; false: only unexpired ones. */
  expired?: boolean;
  /** Created at least this many seconds ago. */
  minAgeSeconds?: number;
  /** Created at most this many seconds ago. */
  maxAgeSeconds?: number;
}

/** A confirmation as the admin sees it: everything but the backend's private `state`. */
export interface ConfirmationSummary {
  id: string;
  method: string;
  method_config_id: number;
  user_config_id: number | null;
  user_id: string | null;
  status: Status;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** The columns the search reads: `state` is deliberately not among them. */
const SUMMARY_COLUMNS =
  'c.id, m.method, c.method_config_id, c.user_config_id, c.user_id, c.status, c.attempts, c.max_attempts, c.expires_at, c.created_at, c.updated_at';

/**
 * The statements of the admin API on users' factors and confirmations. Each
 * change names both the user config and its user, so an id of another user
 * changes nothing.
 */
@Injectable()
export class AdminStore {
  constructor(readonly sql: SqlRunner) {}

  /** All of a user's configs, of any method config, with `method_config` loaded. */
  userConfigs(userId: string): Promise<UserConfig[]> {
    return this.sql.exclusive(() =>
      this.sql.dataSource.getRepository(UserConfig).find({ where: { user_id: userId }, relations: { method_config: true }, order: { id: 'ASC' } }),
    );
  }

  /** Consecutive failures per user config id (only those with a counter). */
  async failures(userConfigIds: number[]): Promise<Map<number, number>> {
    if (userConfigIds.length === 0) return new Map();
    const keys = userConfigIds.map((id) => `uc:${id}`);
    const rows = await this.sql.rows(`SELECT key, count FROM two_factor_failure_counter WHERE key IN (${SqlRunner.list(keys.length)})`, keys);
    return new Map(rows.map((row) => [Number(String(row.key).slice(3)), toNumber(row.count)]));
  }

  /**
   * Ends a lockout: the run of failures goes, and a locked factor goes back to
   * `in_process`, so the user proves it once more before it counts again.
   * Bumping `challenge_seq` voids the codes issued while it was being guessed.
   * @returns false when the user has no such user config.
   */
  unlock(userId: string, id: number): Promise<boolean> {
    return this.sql.transaction(async (manager) => {
      const rows = await this.sql.rows(
        `UPDATE two_factor_user_config
            SET status = CASE WHEN status = '${Status.Locked}' THEN '${Status.InProcess}' ELSE status END,
                challenge_seq = challenge_seq + 1, updated_at = ?
          WHERE id = ? AND user_id = ? RETURNING id`,
        [Date.now(), id, userId],
        manager,
      );
      if (rows.length !== 1) return false;
      await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [`uc:${id}`], manager);
      return true;
    });
  }

  /** Switches the factor off (a lost device); its pending codes are voided. @returns false when there is none. */
  async deactivate(userId: string, id: number): Promise<boolean> {
    const rows = await this.sql.rows(
      'UPDATE two_factor_user_config SET is_active = FALSE, is_default = FALSE, challenge_seq = challenge_seq + 1, updated_at = ? WHERE id = ? AND user_id = ? RETURNING id',
      [Date.now(), id, userId],
    );
    return rows.length === 1;
  }

  /** Deletes the factor with its confirmations and failure counter. @returns false when there is none. */
  remove(userId: string, id: number): Promise<boolean> {
    return this.sql.transaction(async (manager) => {
      const rows = await this.sql.rows('SELECT id FROM two_factor_user_config WHERE id = ? AND user_id = ?', [id, userId], manager);
      if (rows.length !== 1) return false;
      await this.sql.rows('DELETE FROM two_factor_confirmation WHERE user_config_id = ?', [id], manager);
      await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [`uc:${id}`], manager);
      await this.sql.rows('DELETE FROM two_factor_user_config WHERE id = ?', [id], manager);
      return true;
    });
  }

  /** One page of confirmations matching `filter`, newest first, and how many match in all. */
  async searchConfirmations(
    filter: ConfirmationFilter,
    limit: number,
    offset: number,
    now = Date.now(),
  ): Promise<{ items: ConfirmationSummary[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (filter.userId !== undefined) add('c.user_id = ?', filter.userId);
    if (filter.methodConfigId !== undefined) add('c.method_config_id = ?', filter.methodConfigId);
    if (filter.userConfigId !== undefined) add('c.user_config_id = ?', filter.userConfigId);
    if (filter.status !== undefined) add('c.status = ?', filter.status);
    if (filter.expired !== undefined) add(filter.expired ? 'c.expires_at <= ?' : 'c.expires_at > ?', now);
    if (filter.minAgeSeconds !== undefined) add('c.created_at <= ?', now - filter.minAgeSeconds * 1000);
    if (filter.maxAgeSeconds !== undefined) add('c.created_at >= ?', now - filter.maxAgeSeconds * 1000);
    const from = `FROM two_factor_confirmation c JOIN two_factor_method_config m ON m.id = c.method_config_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const [counted] = await this.sql.rows(`SELECT COUNT(*) AS n ${from}`, params);
    const rows = await this.sql.rows(`SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
    return { total: toNumber(counted.n), items: rows.map(toSummary) };
  }
}

function toSummary(row: Record<string, any>): ConfirmationSummary {
  return {
    id: row.id,
    method: row.method,
    method_config_id: toNumber(row.method_config_id),
    user_config_id: row.user_config_id === null ? null : toNumber(row.user_config_id),
    user_id: row.user_id ?? null,
    status: row.status,
    attempts: toNumber(row.attempts),
    max_attempts: toNumber(row.max_attempts),
    expires_at: new Date(toNumber(row.expires_at)),
    created_at: new Date(toNumber(row.created_at)),
    updated_at: new Date(toNumber(row.updated_at)),
  };
}
