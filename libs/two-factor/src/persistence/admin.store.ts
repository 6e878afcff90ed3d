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
 * The admin API's reads of users' factors and confirmations. Its changes to
 * factors are transitions of the factor lifecycle (`factors/`).
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
