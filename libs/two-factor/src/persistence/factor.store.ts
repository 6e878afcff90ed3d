import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toNumber, toText, type RawRow } from './rows.js';
import { SqlRunner } from './sql-runner.js';
import { userConfigFactorKey } from '../rules/failure-policy.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';

/** What a transition may write on a user config in place. */
export type FactorPatch = Partial<Pick<UserConfig, 'title' | 'is_active' | 'is_default' | 'config' | 'replay_guard' | 'status' | 'updated_at'>>;

/** A factor that could prove a step-up right now, as the lifecycle counts them. */
export interface AvailableFactorRow {
  id: number;
  /** The user's own title, and its method config's: the display title is made from both (`factorTitle`). */
  title: string;
  methodConfigTitle: string;
  method: string;
}

/**
 * Every statement that writes a user config's status, config, active or default
 * flag, or deletes one, and the per-user two-factor marker. Only the factor
 * lifecycle (this folder) may import it: that is how "no other code writes a
 * factor" holds by construction (see the grep in CONTRIBUTING.md, "The suites").
 */
@Injectable()
export class FactorStore {
  constructor(private readonly sql: SqlRunner) {}

  /** The user's confirmed, active factors of active method configs, by id. */
  async availableFactors(userId: string, manager?: EntityManager): Promise<AvailableFactorRow[]> {
    const rows = await this.sql.rows<RawRow<'id' | 'title' | 'method' | 'method_config_title'>>(
      `SELECT u.id, u.title, m.method, m.title AS method_config_title FROM two_factor_user_config u JOIN two_factor_method_config m ON m.id = u.method_config_id
        WHERE u.user_id = ? AND u.status = '${Status.Confirmed}' AND u.is_active = TRUE AND m.is_active = TRUE ORDER BY u.id`,
      [userId],
      manager,
    );
    return rows.map((row) => ({
      id: toNumber(row.id),
      title: toText(row.title),
      methodConfigTitle: toText(row.method_config_title),
      method: toText(row.method),
    }));
  }

  /** How many factors the user has, of any status and method config. */
  async countFactors(userId: string, manager: EntityManager): Promise<number> {
    const [row] = await this.sql.rows<RawRow<'n'>>('SELECT COUNT(*) AS n FROM two_factor_user_config WHERE user_id = ?', [userId], manager);
    return toNumber(row.n);
  }

  /** Whether two-factor is on for the user (the durable marker). */
  async isEnabled(userId: string, manager?: EntityManager): Promise<boolean> {
    return (await this.sql.rows('SELECT user_id FROM two_factor_enabled_user WHERE user_id = ?', [userId], manager)).length === 1;
  }

  /** When two-factor went on for the user, or null while it is off. */
  async enabledAt(userId: string, manager: EntityManager): Promise<number | null> {
    const [row] = await this.sql.rows<RawRow<'enabled_at'>>('SELECT enabled_at FROM two_factor_enabled_user WHERE user_id = ?', [userId], manager);
    return row ? toNumber(row.enabled_at) : null;
  }

  async enable(manager: EntityManager, userId: string, now: number): Promise<void> {
    const sql = this.sql.isMysql
      ? 'INSERT INTO two_factor_enabled_user (user_id, enabled_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE user_id = user_id'
      : 'INSERT INTO two_factor_enabled_user (user_id, enabled_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING';
    await this.sql.rows(sql, [userId, now], manager);
  }

  async disable(manager: EntityManager, userId: string): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_enabled_user WHERE user_id = ?', [userId], manager);
  }

  /** Inserts `item` and sets its new id (raw SQL: TypeORM's insert would overwrite `config` with the raw stored text). */
  async insert(manager: EntityManager, item: UserConfig): Promise<void> {
    const id = await this.sql.insertedId(
      `INSERT INTO two_factor_user_config
         (title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, confirmed_at, config_set_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        item.confirmed_at?.getTime() ?? null,
        item.created_at.getTime(),
        item.created_at.getTime(),
        item.updated_at.getTime(),
      ],
      manager,
    );
    item.id = id!;
  }

  /**
   * Writes the fields `patch` names (and only those) in one UPDATE. A new
   * config is unproven until confirmed: `unproven` clears `confirmed_at`.
   */
  async update(manager: EntityManager, id: number, patch: FactorPatch, unproven = false): Promise<void> {
    const set: Array<[string, unknown]> = [];
    if (patch.title !== undefined) set.push(['title', patch.title]);
    if (patch.status !== undefined) set.push(['status', patch.status]);
    if (patch.config !== undefined) set.push(['config', JSON.stringify(patch.config)], ['config_set_at', patch.updated_at?.getTime() ?? Date.now()]);
    if (patch.is_active !== undefined) set.push(['is_active', this.sql.bool(patch.is_active)]);
    if (patch.is_default !== undefined) set.push(['is_default', this.sql.bool(patch.is_default)]);
    if (patch.replay_guard !== undefined) set.push(['replay_guard', patch.replay_guard]);
    if (patch.updated_at !== undefined) set.push(['updated_at', patch.updated_at.getTime()]);
    if (unproven) set.push(['confirmed_at', null]);
    if (set.length === 0) return;
    const assignments = set.map(([column]) => `${column} = ?`).join(', ');
    await this.sql.rows(`UPDATE two_factor_user_config SET ${assignments} WHERE id = ?`, [...set.map(([, value]) => value), id], manager);
  }

  /** The factor's current config is proven: `confirmed`, and when. */
  async markConfirmed(manager: EntityManager, id: number, now: number): Promise<void> {
    await this.sql.rows(
      `UPDATE two_factor_user_config SET status = '${Status.Confirmed}', confirmed_at = ?, updated_at = ? WHERE id = ?`,
      [now, now, id],
      manager,
    );
  }

  /** 100 consecutive failures: the factor locks. @returns its user, or null when it is gone. */
  async lock(manager: EntityManager, id: number, now: number): Promise<string | null> {
    if (this.sql.isMysql) {
      // MySQL: the UPDATE locks the row; its user is read back in the same transaction.
      const { affected } = await this.sql.write(
        `UPDATE two_factor_user_config SET status = '${Status.Locked}', updated_at = ? WHERE id = ?`,
        [now, id],
        manager,
      );
      if (affected !== 1) return null;
      const [locked] = await this.sql.rows<RawRow<'user_id'>>('SELECT user_id FROM two_factor_user_config WHERE id = ?', [id], manager);
      return locked ? toText(locked.user_id) : null;
    }
    const [row] = await this.sql.rows<RawRow<'user_id'>>(
      `UPDATE two_factor_user_config SET status = '${Status.Locked}', updated_at = ? WHERE id = ? RETURNING user_id`,
      [now, id],
      manager,
    );
    return row ? toText(row.user_id) : null;
  }

  /**
   * Ends a lockout: a locked factor goes back to `confirmed` when its config had
   * been proven, else `in_process`. @returns false when the user has no such factor.
   */
  async unlock(manager: EntityManager, userId: string, id: number, now: number): Promise<boolean> {
    const matched = await this.sql.matched(
      `UPDATE two_factor_user_config
          SET status = CASE WHEN status <> '${Status.Locked}' THEN status
                            WHEN confirmed_at IS NOT NULL THEN '${Status.Confirmed}' ELSE '${Status.InProcess}' END,
              updated_at = ?
        WHERE id = ? AND user_id = ?`,
      'id',
      [now, id, userId],
      manager,
    );
    return matched === 1;
  }

  /** Switches the user's factor off and takes its default flag. @returns false when the user has no such factor. */
  async switchOff(manager: EntityManager, userId: string, id: number, now: number): Promise<boolean> {
    const matched = await this.sql.matched(
      'UPDATE two_factor_user_config SET is_active = FALSE, is_default = FALSE, updated_at = ? WHERE id = ? AND user_id = ?',
      'id',
      [now, id, userId],
      manager,
    );
    return matched === 1;
  }

  /**
   * A right answer's use of the factor that gave the backend a new stored form of it
   * (e.g. a passkey's sign counter), in one statement with when it was used. A use
   * without a new form is recorded by the confirmation's own statements (`ConfirmationStore.markConfirmed`).
   */
  async recordUse(manager: EntityManager, id: number, config: Record<string, unknown>, now: number): Promise<void> {
    await this.sql.rows(
      'UPDATE two_factor_user_config SET config = ?, updated_at = ?, last_used_at = ? WHERE id = ?',
      [JSON.stringify(config), now, now, id],
      manager,
    );
  }

  /** At most one default per user: setting one clears the others. */
  async clearOtherDefaults(manager: EntityManager, item: Pick<UserConfig, 'id' | 'user_id'>): Promise<void> {
    const sql = 'UPDATE two_factor_user_config SET is_default = FALSE WHERE user_id = ? AND id <> ? AND is_default = TRUE';
    await this.sql.rows(sql, [item.user_id, item.id], manager);
  }

  /**
   * Voids the factor's unused confirmations and proofs: its proofs (confirmed,
   * unspent) are deleted, and — unless `moveOn` is false — its challenge number
   * moves on, which voids every pending code (they answer 410 "replaced", see
   * NEWEST_SQL). The lock keeps the number: its pending codes then answer
   * `factor_locked`, and the unlock moves it on. @returns the challenge number, or null when kept.
   */
  async voidConfirmations(manager: EntityManager, id: number, moveOn = true): Promise<number | null> {
    await this.sql.rows(`DELETE FROM two_factor_confirmation WHERE user_config_id = ? AND status = '${Status.Confirmed}'`, [id], manager);
    if (!moveOn) return null;
    if (this.sql.isMysql) {
      // MySQL: LAST_INSERT_ID(expr) hands the new number back with the UPDATE's result.
      const moved = await this.sql.write('UPDATE two_factor_user_config SET challenge_seq = LAST_INSERT_ID(challenge_seq + 1) WHERE id = ?', [id], manager);
      return moved.affected === 1 ? moved.insertId : null;
    }
    const [row] = await this.sql.rows<RawRow<'challenge_seq'>>(
      'UPDATE two_factor_user_config SET challenge_seq = challenge_seq + 1 WHERE id = ? RETURNING challenge_seq',
      [id],
      manager,
    );
    return row ? toNumber(row.challenge_seq) : null;
  }

  /** Ends the factor's run of failures (and a lockout's count). */
  async forgetFailures(manager: EntityManager, id: number): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [userConfigFactorKey(id)], manager);
  }

  /** Deletes the user's factor with its confirmations and failure counter. @returns false when it was not there. */
  async remove(manager: EntityManager, userId: string, id: number): Promise<boolean> {
    await this.sql.rows('DELETE FROM two_factor_confirmation WHERE user_config_id = ? AND user_id = ?', [id, userId], manager);
    const removed = (await this.sql.matched('DELETE FROM two_factor_user_config WHERE id = ? AND user_id = ?', 'id', [id, userId], manager)) === 1;
    if (removed) await this.forgetFailures(manager, id);
    return removed;
  }

  /** The ids of the user's factors. */
  async idsOfUser(manager: EntityManager, userId: string): Promise<number[]> {
    return (await this.sql.rows<RawRow<'id'>>('SELECT id FROM two_factor_user_config WHERE user_id = ? ORDER BY id', [userId], manager)).map((row) =>
      toNumber(row.id),
    );
  }

  /** The factors of a method config, with their users. */
  async ofMethodConfig(manager: EntityManager, methodConfigId: number): Promise<Array<{ id: number; userId: string }>> {
    const rows = await this.sql.rows<RawRow<'id' | 'user_id'>>(
      'SELECT id, user_id FROM two_factor_user_config WHERE method_config_id = ? ORDER BY id',
      [methodConfigId],
      manager,
    );
    return rows.map((row) => ({ id: toNumber(row.id), userId: toText(row.user_id) }));
  }
}
