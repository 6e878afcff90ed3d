import { Injectable } from '@nestjs/common';
import { UserConfig } from '../entities/user-config.entity.js';
import { userConfigFactorKey, userConfigFactorKeySql, type FailureWindow } from '../rules/failure-policy.js';
import { toBool, toJson, toNumber, toStatus, toText, type RawRow } from './rows.js';
import { SqlRunner } from './sql-runner.js';

const FACTOR_OF_ROW = userConfigFactorKeySql('two_factor_user_config.id');
const FACTOR_OF_ROW_MYSQL = userConfigFactorKeySql('two_factor_user_config.id', true);

const USER_CONFIG_COLUMNS =
  'id, title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, confirmed_at, config_set_at, last_used_at, created_at, updated_at';

type UserConfigRow = RawRow<'id' | 'title' | 'method_config_id' | 'user_id' | 'status' | 'config' | 'is_active' | 'is_default'> &
  RawRow<'replay_guard' | 'challenge_seq' | 'confirmed_at' | 'config_set_at' | 'last_used_at' | 'created_at' | 'updated_at'>;
type BumpedRow = UserConfigRow & RawRow<'f_count' | 'f_last_failed_at'>;

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
    confirmed_at: row.confirmed_at === null || row.confirmed_at === undefined ? null : new Date(toNumber(row.confirmed_at)),
    config_set_at: row.config_set_at === null || row.config_set_at === undefined ? null : new Date(toNumber(row.config_set_at)),
    last_used_at: row.last_used_at === null || row.last_used_at === undefined ? null : new Date(toNumber(row.last_used_at)),
    created_at: new Date(toNumber(row.created_at)),
    updated_at: new Date(toNumber(row.updated_at)),
  });
}

/**
 * The reads of user configs, and the challenge number a request starts. Every
 * write of a factor's status, config, flags or existence is the factor lifecycle's (`persistence/factor.store.ts`).
 */
@Injectable()
export class UserConfigStore {
  constructor(private readonly sql: SqlRunner) {}

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

  /** bumpChallenge on MySQL/MariaDB: the UPDATE decides and locks the row, which is read back in the same transaction. */
  private async bumpChallengeMysql(userConfigId: number, userId: string): Promise<BumpedRow[]> {
    const bumped = await this.sql.within(undefined, async (manager) => {
      const { affected } = await this.sql.write(
        'UPDATE two_factor_user_config SET challenge_seq = challenge_seq + 1 WHERE id = ? AND user_id = ? AND is_active = TRUE',
        [userConfigId, userId],
        manager,
      );
      if (affected !== 1) return null;
      return this.sql.rows<BumpedRow>(
        `SELECT ${USER_CONFIG_COLUMNS},
            (SELECT f.count FROM two_factor_failure_counter f WHERE f.key = ${FACTOR_OF_ROW_MYSQL}) AS f_count,
            (SELECT f.last_failed_at FROM two_factor_failure_counter f WHERE f.key = ${FACTOR_OF_ROW_MYSQL}) AS f_last_failed_at
           FROM two_factor_user_config WHERE id = ?`,
        [userConfigId],
        manager,
      );
    });
    return bumped ?? [];
  }

  /**
   * Reads the user's own active user config, with its failure window, and starts
   * a new challenge number for it — in one statement. The new number voids every
   * older pending confirmation of the factor.
   */
  async bumpChallenge(userConfigId: number, userId: string): Promise<{ userConfig: UserConfig; failures: FailureWindow } | undefined> {
    if (!Number.isSafeInteger(userConfigId)) return undefined;
    const [row] = this.sql.isMysql
      ? await this.bumpChallengeMysql(userConfigId, userId)
      : await this.sql.rows<BumpedRow>(
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
}
