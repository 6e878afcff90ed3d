import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Status } from '../entities/status.js';
import { UserConfig } from '../entities/user-config.entity.js';
import { userConfigFactorKey, userConfigFactorKeySql, type FailureWindow } from './failure-policy.js';
import { toBool, toJson, toNumber, toStatus, toText, type RawRow } from './rows.js';
import { SqlRunner } from './sql-runner.js';
import { MethodRegistry } from '../registry/method-registry.js';
import { factorTitle } from '../public/factor-title.js';

/** A factor the user can step up with: ids and method only. */
export interface FactorRow {
  id: number;
  title: string;
  method: string;
}

/** What a user config may change in place. */
export type UserConfigPatch = Partial<Pick<UserConfig, 'title' | 'is_active' | 'is_default' | 'config' | 'replay_guard' | 'status' | 'updated_at'>>;

const FACTOR_OF_ROW = userConfigFactorKeySql('two_factor_user_config.id');

const USER_CONFIG_COLUMNS = 'id, title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, created_at, updated_at';

type UserConfigRow = RawRow<'id' | 'title' | 'method_config_id' | 'user_id' | 'status' | 'config' | 'is_active' | 'is_default'> &
  RawRow<'replay_guard' | 'challenge_seq' | 'created_at' | 'updated_at'>;

function toUserConfig(row: UserConfigRow): UserConfig {
  return Object.assign(new UserConfig(), {
    id: toNumber(row.id),
    title: toText(row.title),
    method_config_id: toNumber(row.method_config_id),
    user_id: toText(row.user_id),
    status: toStatus(row.status),
    config: toJson(row.config),
    is_active: toBool(row.is_active),
    is_default: toBool(row.is_default),
    replay_guard: toNumber(row.replay_guard),
    challenge_seq: toNumber(row.challenge_seq),
    created_at: new Date(toNumber(row.created_at)),
    updated_at: new Date(toNumber(row.updated_at)),
  });
}

/** Every statement on user configs (and on the failure counters their changes reset). */
@Injectable()
export class UserConfigStore {
  constructor(
    private readonly sql: SqlRunner,
    private readonly registry: MethodRegistry,
  ) {}

  /** The user's configs of active method configs (any status), with `method_config` loaded, by id. */
  listOwn(userId: string): Promise<UserConfig[]> {
    return this.sql.exclusive(() =>
      this.sql.dataSource.getRepository(UserConfig).find({
        where: { user_id: userId, method_config: { is_active: true } },
        relations: { method_config: true },
        order: { id: 'ASC' },
      }),
    );
  }

  /** The user's own config `id` with `method_config` loaded, or null. */
  findOwn(userId: string, id: number): Promise<UserConfig | null> {
    if (!Number.isSafeInteger(id)) return Promise.resolve(null);
    return this.sql.exclusive(() =>
      this.sql.dataSource.getRepository(UserConfig).findOne({ where: { id, user_id: userId }, relations: { method_config: true } }),
    );
  }

  /** The user's confirmed, active configs of active method configs. */
  async confirmedFactors(userId: string): Promise<FactorRow[]> {
    const rows = await this.sql.rows<RawRow<'id' | 'title' | 'method' | 'method_config_title'>>(
      `SELECT u.id, u.title, m.method, m.title AS method_config_title FROM two_factor_user_config u JOIN two_factor_method_config m ON m.id = u.method_config_id
        WHERE u.user_id = ? AND u.status = '${Status.Confirmed}' AND u.is_active = TRUE AND m.is_active = TRUE ORDER BY u.id`,
      [userId],
    );
    // The display title, as every list shows it (the sign-in's, `two_factor_required`'s). TODO(merge): once
    // UserConfigService.availableFactors (lifecycle branch) calls factorTitle itself, return the raw parts here.
    const verboseName = (method: string) => this.registry.get(method)?.verboseName ?? method;
    return rows.map((row) => ({
      id: toNumber(row.id),
      title: factorTitle(toText(row.title), toText(row.method_config_title), verboseName(toText(row.method))),
      method: toText(row.method),
    }));
  }

  /**
   * Reads the user's own active user config, with its failure window, and starts
   * a new challenge number for it — in one statement. The new number voids every
   * older pending confirmation of the factor.
   */
  async bumpChallenge(userConfigId: number, userId: string): Promise<{ userConfig: UserConfig; failures: FailureWindow } | undefined> {
    if (!Number.isSafeInteger(userConfigId)) return undefined;
    const [row] = await this.sql.rows<UserConfigRow & RawRow<'f_count' | 'f_last_failed_at'>>(
      `UPDATE two_factor_user_config SET challenge_seq = challenge_seq + 1
        WHERE id = ? AND user_id = ? AND is_active = TRUE
        RETURNING ${USER_CONFIG_COLUMNS},
          (SELECT f.count FROM two_factor_failure_counter f WHERE f.key = ${FACTOR_OF_ROW}) AS f_count,
          (SELECT f.last_failed_at FROM two_factor_failure_counter f WHERE f.key = ${FACTOR_OF_ROW}) AS f_last_failed_at`,
      [userConfigId, userId],
    );
    if (!row) return undefined;
    const userConfig = toUserConfig(row);
    const failures = { key: userConfigFactorKey(userConfig.id), count: toNumber(row.f_count ?? 0), lastFailedAt: toNumber(row.f_last_failed_at ?? 0) };
    return { userConfig, failures };
  }

  /** Inserts `item` and sets its new id (raw SQL: TypeORM's insert would overwrite `config` with the raw stored text). */
  async insert(manager: EntityManager, item: UserConfig): Promise<void> {
    const [row] = await this.sql.rows<RawRow<'id'>>(
      `INSERT INTO two_factor_user_config
         (title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        item.title,
        item.method_config_id,
        item.user_id,
        item.status,
        JSON.stringify(item.config),
        this.sql.bool(item.is_active),
        this.sql.bool(item.is_default),
        item.replay_guard,
        item.challenge_seq,
        item.created_at.getTime(),
        item.updated_at.getTime(),
      ],
      manager,
    );
    item.id = toNumber(row.id);
  }

  /** Writes the fields `patch` names (and only those) in one UPDATE. */
  async update(manager: EntityManager, id: number, patch: UserConfigPatch): Promise<void> {
    const set: Array<[string, unknown]> = [];
    if (patch.title !== undefined) set.push(['title', patch.title]);
    if (patch.status !== undefined) set.push(['status', patch.status]);
    if (patch.config !== undefined) set.push(['config', JSON.stringify(patch.config)]);
    if (patch.is_active !== undefined) set.push(['is_active', this.sql.bool(patch.is_active)]);
    if (patch.is_default !== undefined) set.push(['is_default', this.sql.bool(patch.is_default)]);
    if (patch.replay_guard !== undefined) set.push(['replay_guard', patch.replay_guard]);
    if (patch.updated_at !== undefined) set.push(['updated_at', patch.updated_at.getTime()]);
    if (set.length === 0) return;
    const assignments = set.map(([column]) => `${column} = ?`).join(', ');
    await this.sql.rows(`UPDATE two_factor_user_config SET ${assignments} WHERE id = ?`, [...set.map(([, value]) => value), id], manager);
  }

  /** Starts a new challenge number inside the open transaction, voiding every confirmation in flight; returns it. */
  async nextChallenge(manager: EntityManager, id: number): Promise<number> {
    const [row] = await this.sql.rows<RawRow<'challenge_seq'>>(
      'UPDATE two_factor_user_config SET challenge_seq = challenge_seq + 1 WHERE id = ? RETURNING challenge_seq',
      [id],
      manager,
    );
    return toNumber(row.challenge_seq);
  }

  async markConfirmed(manager: EntityManager, id: number): Promise<void> {
    await this.sql.rows(`UPDATE two_factor_user_config SET status = '${Status.Confirmed}', updated_at = ? WHERE id = ?`, [Date.now(), id], manager);
  }

  /** Ends the factor's run of failures (and a lockout): it was enrolled anew or removed. */
  async forgetFailures(manager: EntityManager, id: number): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [userConfigFactorKey(id)], manager);
  }

  /** Deletes the user's own config; its confirmations go with it (foreign key cascade). @returns false when it was not there. */
  async remove(manager: EntityManager, id: number, userId: string): Promise<boolean> {
    const rows = await this.sql.rows('DELETE FROM two_factor_user_config WHERE id = ? AND user_id = ? RETURNING id', [id, userId], manager);
    return rows.length === 1;
  }

  /** At most one default per user: setting one clears the others. */
  async clearOtherDefaults(manager: EntityManager, item: Pick<UserConfig, 'id' | 'user_id'>): Promise<void> {
    const sql = 'UPDATE two_factor_user_config SET is_default = FALSE WHERE user_id = ? AND id <> ? AND is_default = TRUE';
    await this.sql.rows(sql, [item.user_id, item.id], manager);
  }
}
