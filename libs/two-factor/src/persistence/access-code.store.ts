import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlRunner } from './sql-runner.js';

/**
 * The statements on temporary access codes (issue 22). One code per user: issuing
 * replaces the user's code. Using it is one conditional UPDATE (unused, unexpired, this
 * user's, this hash) that binds it to the pending sign-in, so two uses racing give one;
 * completing the enrolment deletes it.
 */
@Injectable()
export class AccessCodeStore {
  constructor(readonly sql: SqlRunner) {}

  /** Stores the user's new code, replacing any earlier one (used or not). */
  async issue(userId: string, codeHash: string, issuedBy: string | null, now: number, expiresAt: number): Promise<void> {
    await this.sql.transaction(async (manager) => {
      await this.sql.rows('DELETE FROM two_factor_access_code WHERE user_id = ?', [userId], manager);
      await this.sql.rows(
        'INSERT INTO two_factor_access_code (user_id, code_hash, issued_by, sign_in_hash, used_at, expires_at, created_at) VALUES (?, ?, ?, NULL, NULL, ?, ?)',
        [userId, codeHash, issuedBy, expiresAt, now],
        manager,
      );
    });
  }

  /** Whether the user has an unused, unexpired code (a locked-out user may then still get a pending sign-in). */
  async hasUsable(userId: string, now: number): Promise<boolean> {
    const rows = await this.sql.rows('SELECT user_id FROM two_factor_access_code WHERE user_id = ? AND used_at IS NULL AND expires_at > ?', [userId, now]);
    return rows.length === 1;
  }

  /**
   * Uses the user's code whose hash is one of `hashes` for the pending sign-in `signInHash`: one UPDATE …
   * RETURNING, only while it is unused and unexpired. The used code is kept until `keepUntil` (when that
   * sign-in can no longer complete: its enrolment needs the code) and purged by its `expires_at` then.
   * @returns whether this call used it.
   */
  async use(userId: string, hashes: string[], signInHash: string, now: number, keepUntil: number): Promise<boolean> {
    const matched = await this.sql.matched(
      `UPDATE two_factor_access_code SET sign_in_hash = ?, used_at = ?, expires_at = ?
        WHERE user_id = ? AND code_hash IN (${SqlRunner.list(hashes.length)}) AND used_at IS NULL AND expires_at > ?`,
      'user_id',
      [signInHash, now, keepUntil, userId, ...hashes, now],
    );
    return matched === 1;
  }

  /** Whether a code of the user opened the pending sign-in `signInHash`. */
  async opened(userId: string, signInHash: string, manager?: EntityManager): Promise<boolean> {
    const rows = await this.sql.rows('SELECT user_id FROM two_factor_access_code WHERE user_id = ? AND sign_in_hash = ?', [userId, signInHash], manager);
    return rows.length === 1;
  }

  /** Completes the enrolment the code opened, inside its transaction: deletes the code bound to `signInHash`. The returned row decides. */
  async complete(userId: string, signInHash: string, manager: EntityManager): Promise<boolean> {
    const matched = await this.sql.matched(
      'DELETE FROM two_factor_access_code WHERE user_id = ? AND sign_in_hash = ?',
      'user_id',
      [userId, signInHash],
      manager,
    );
    return matched === 1;
  }

  /**
   * Deletes expired unused codes and used codes whose sign-in can no longer complete (`use` moved their
   * `expires_at` there): by the `expires_at` index, never a read of every user's code.
   */
  async purge(now: number): Promise<number> {
    return this.sql.matched('DELETE FROM two_factor_access_code WHERE expires_at <= ?', 'user_id', [now]);
  }
}
