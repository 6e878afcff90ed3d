import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlRunner } from './sql-runner.js';

/** A recovery as the sign-in needs it. */
export interface RecoveryRow {
  id: string;
  user_id: string;
  not_before: number;
  expires_at: number;
}

/** The columns of a RecoveryRow, as every recovery statement (and the sign-in's completion) returns them. */
export const RECOVERY_COLUMNS = 'id, user_id, not_before, expires_at';

/** A recovery as its columns came back (`RECOVERY_COLUMNS`, or the same names from a CTE that deleted it). */
export function toRecoveryRow(raw: Record<string, unknown>): RecoveryRow {
  return { id: String(raw.id), user_id: String(raw.user_id), not_before: Number(raw.not_before), expires_at: Number(raw.expires_at) };
}

/**
 * The statements on self-service recoveries (issue 22). Each rule is decided by one
 * conditional statement: the unique user id decides a race of two starts; the cancel
 * code's DELETE decides a cancel; completing DELETEs the recovery only once its wait is
 * over and while it has not expired, in the transaction that confirms the new factor.
 */
@Injectable()
export class RecoveryStore {
  constructor(readonly sql: SqlRunner) {}

  /**
   * Starts a recovery for `userId` unless one is running: drops the user's expired one, then
   * one INSERT … ON CONFLICT DO NOTHING. @returns false when one was running (the conflict decided).
   */
  async start(row: RecoveryRow & { cancel_hash: string; created_at: number }, now: number): Promise<boolean> {
    if (this.sql.isMysql) return this.startMysql(row, now);
    return this.sql.transaction(async (manager) => {
      await this.sql.rows('DELETE FROM two_factor_recovery WHERE user_id = ? AND expires_at <= ?', [row.user_id, now], manager);
      const inserted = await this.sql.rows(
        `INSERT INTO two_factor_recovery (id, user_id, cancel_hash, not_before, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO NOTHING RETURNING id`,
        [row.id, row.user_id, row.cancel_hash, row.not_before, row.expires_at, row.created_at],
        manager,
      );
      return inserted.length === 1;
    });
  }

  /**
   * start on MySQL/MariaDB: the expired one goes in a statement of its own (in one transaction with the
   * INSERT, the DELETE's gap lock on the user id would deadlock two racing starts), then a plain INSERT:
   * the unique user id decides, and its duplicate key (only that statement fails) means one is running.
   */
  private async startMysql(row: RecoveryRow & { cancel_hash: string; created_at: number }, now: number): Promise<boolean> {
    await this.sql.rows('DELETE FROM two_factor_recovery WHERE user_id = ? AND expires_at <= ?', [row.user_id, now]);
    const values = [row.id, row.user_id, row.cancel_hash, row.not_before, row.expires_at, row.created_at];
    try {
      await this.sql.write('INSERT INTO two_factor_recovery (id, user_id, cancel_hash, not_before, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)', values);
      return true;
    } catch (error) {
      if (isDuplicateKey(error, 'IDX_two_factor_recovery_user')) return false;
      throw error;
    }
  }

  /** The user's unexpired recovery, waiting or ready. */
  async find(userId: string, now: number, manager?: EntityManager): Promise<RecoveryRow | null> {
    const [row] = await this.sql.rows(`SELECT ${RECOVERY_COLUMNS} FROM two_factor_recovery WHERE user_id = ? AND expires_at > ?`, [userId, now], manager);
    return row ? toRecoveryRow(row) : null;
  }

  /** Cancels the unexpired recovery whose cancel code hashes to one of `hashes`: one DELETE … RETURNING. */
  async cancelByCode(hashes: string[], now: number): Promise<RecoveryRow | null> {
    if (this.sql.isMysql) return this.deleteReturning(`cancel_hash IN (${SqlRunner.list(hashes.length)}) AND expires_at > ?`, [...hashes, now]);
    const [row] = await this.sql.rows(
      `DELETE FROM two_factor_recovery WHERE cancel_hash IN (${SqlRunner.list(hashes.length)}) AND expires_at > ? RETURNING ${RECOVERY_COLUMNS}`,
      [...hashes, now],
    );
    return row ? toRecoveryRow(row) : null;
  }

  /** Cancels the user's recovery, inside the transaction of a sign-in completed with a factor. */
  async cancelForUser(userId: string, manager: EntityManager): Promise<RecoveryRow | null> {
    if (this.sql.isMysql) return this.deleteReturning('user_id = ?', [userId], manager);
    const [row] = await this.sql.rows(`DELETE FROM two_factor_recovery WHERE user_id = ? RETURNING ${RECOVERY_COLUMNS}`, [userId], manager);
    return row ? toRecoveryRow(row) : null;
  }

  /**
   * Completes the user's recovery, inside the transaction that confirms the new factor: deleted only
   * when its wait is over and it has not expired (nor been cancelled meanwhile). The returned row decides.
   */
  async complete(userId: string, now: number, manager: EntityManager): Promise<RecoveryRow | null> {
    if (this.sql.isMysql) return this.deleteReturning('user_id = ? AND not_before <= ? AND expires_at > ?', [userId, now, now], manager);
    const [row] = await this.sql.rows(
      `DELETE FROM two_factor_recovery WHERE user_id = ? AND not_before <= ? AND expires_at > ? RETURNING ${RECOVERY_COLUMNS}`,
      [userId, now, now],
      manager,
    );
    return row ? toRecoveryRow(row) : null;
  }

  /** Deletes expired recoveries; returns how many went. */
  async purge(now: number): Promise<number> {
    return this.sql.matched('DELETE FROM two_factor_recovery WHERE expires_at <= ?', 'id', [now]);
  }

  /**
   * MySQL/MariaDB's `DELETE … RETURNING`: a locking read (FOR UPDATE) of the row, then the DELETE
   * under the same condition in the same transaction; the DELETE's matched row decides.
   */
  private deleteReturning(where: string, params: unknown[], manager?: EntityManager): Promise<RecoveryRow | null> {
    return this.sql.within(manager, async (m) => {
      const [row] = await this.sql.rows(`SELECT ${RECOVERY_COLUMNS} FROM two_factor_recovery WHERE ${where} FOR UPDATE`, params, m);
      if (!row) return null;
      const { affected } = await this.sql.write(`DELETE FROM two_factor_recovery WHERE ${where}`, params, m);
      return affected === 1 ? toRecoveryRow(row) : null;
    });
  }
}

/** MySQL/MariaDB's duplicate-key error (mysql2's `ER_DUP_ENTRY`, inside TypeORM's QueryFailedError) on the unique index `index`. */
function isDuplicateKey(error: unknown, index: string): boolean {
  const driver = (error as { driverError?: { code?: unknown; sqlMessage?: unknown } })?.driverError;
  return driver?.code === 'ER_DUP_ENTRY' && String(driver.sqlMessage ?? '').includes(index);
}
