import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlRunner } from './sql-runner.js';
import { Status } from '../entities/status.js';
import { ConfirmationStore, JOINED_COLUMNS, joinedTables } from './confirmation.store.js';
import { toJoined, type JoinedConfirmation, type JoinedRow } from './joined-confirmation.js';
import type { RawRow } from './rows.js';
import { RECOVERY_COLUMNS, RecoveryStore, toRecoveryRow, type RecoveryRow } from './recovery.store.js';

/** A pending sign-in as the service needs it. */
export interface PendingSignInRow {
  token_hash: string;
  user_id: string;
  confirmation_id: string | null;
}

/** What completing a sign-in with a factor did besides the claim: the user's recovery it cancelled, if one was running. */
export interface SignInCompletion {
  cancelled: RecoveryRow | null;
}

/** A pending sign-in with the confirmation attached to it, as its second step judges it. */
export interface PendingSignInWithConfirmation {
  pending: PendingSignInRow;
  /** The attached confirmation read with everything that decides its fate; null when none is attached or it is gone. */
  joined: JoinedConfirmation | null;
}

/** `findWithConfirmation`'s text, by dialect: the pending sign-in and its confirmation's joined read in one statement. */
const FIND_WITH_CONFIRMATION_SQL = { other: findWithConfirmationSql(false), mysql: findWithConfirmationSql(true) };
function findWithConfirmationSql(mysql: boolean): string {
  return `SELECT s.token_hash AS s_token_hash, s.user_id AS s_user_id, s.confirmation_id AS s_confirmation_id, ${JOINED_COLUMNS}
         FROM two_factor_sign_in s
         LEFT JOIN two_factor_confirmation c ON c.id = s.confirmation_id
         ${joinedTables('LEFT JOIN', mysql)}
        WHERE s.token_hash = ? AND s.expires_at > ?`;
}

/** The claim's condition (see `claim`), one text for its own statement and the completion's CTE. */
const CLAIM_WHERE = `token_hash = ? AND confirmation_id = ? AND expires_at > ?
          AND EXISTS (SELECT 1 FROM two_factor_user_config u
                       WHERE u.id = ? AND u.user_id = two_factor_sign_in.user_id AND u.status = '${Status.Confirmed}' AND u.is_active = TRUE)`;
/** The claim's own statement, and PostgreSQL's completion in one (texts written once, as `ConfirmationStore`'s are). */
const CLAIM_SQL = `DELETE FROM two_factor_sign_in WHERE ${CLAIM_WHERE}`;
const COMPLETE_SQL_POSTGRES = `WITH claimed AS (DELETE FROM two_factor_sign_in WHERE ${CLAIM_WHERE} RETURNING user_id),
              spent AS (DELETE FROM two_factor_confirmation WHERE id = ? AND EXISTS (SELECT 1 FROM claimed)),
              cancelled AS (DELETE FROM two_factor_recovery WHERE user_id IN (SELECT user_id FROM claimed) RETURNING ${RECOVERY_COLUMNS})
         SELECT cancelled.* FROM claimed LEFT JOIN cancelled ON TRUE`;

/**
 * The statements on pending sign-ins. Attaching a confirmation and completing
 * are conditional UPDATE/DELETE … RETURNING (on MySQL/MariaDB: decided by the rows
 * they matched), so an expired or completed sign-in can do neither, however many requests race.
 */
@Injectable()
export class SignInStore {
  constructor(
    readonly sql: SqlRunner,
    private readonly confirmations: ConfirmationStore,
    private readonly recoveries: RecoveryStore,
  ) {}

  /** Stores a new pending sign-in, and drops the user's expired ones while at it. */
  async insert(tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_sign_in WHERE user_id = ? AND expires_at <= ?', [userId, now]);
    await this.sql.rows('INSERT INTO two_factor_sign_in (token_hash, user_id, confirmation_id, expires_at, created_at) VALUES (?, ?, NULL, ?, ?)', [
      tokenHash,
      userId,
      expiresAt,
      now,
    ]);
  }

  /** The unexpired pending sign-in with this token hash. */
  async find(tokenHash: string, now: number): Promise<PendingSignInRow | undefined> {
    const [row] = await this.sql.rows<PendingSignInRow>(
      'SELECT token_hash, user_id, confirmation_id FROM two_factor_sign_in WHERE token_hash = ? AND expires_at > ?',
      [tokenHash, now],
    );
    return row;
  }

  /**
   * The unexpired pending sign-in with this token hash and, in the same statement, the confirmation attached
   * to it as `ConfirmationStore.readJoined` reads one: the second step's two reads in one round trip.
   */
  async findWithConfirmation(tokenHash: string, now: number): Promise<PendingSignInWithConfirmation | undefined> {
    const [row] = await this.sql.rows<JoinedRow & RawRow<'s_token_hash' | 's_user_id' | 's_confirmation_id'>>(
      this.sql.isMysql ? FIND_WITH_CONFIRMATION_SQL.mysql : FIND_WITH_CONFIRMATION_SQL.other,
      [tokenHash, now],
    );
    if (!row) return undefined;
    const attached = row.s_confirmation_id === null ? null : String(row.s_confirmation_id);
    const pending = { token_hash: String(row.s_token_hash), user_id: String(row.s_user_id), confirmation_id: attached };
    // No confirmation attached, or the attached one is gone (purged, or deleted with its factor): the joined columns are null.
    return { pending, joined: row.id === null || row.mc_method === null ? null : toJoined(row) };
  }

  /** Makes `confirmationId` the one confirmation that can complete the sign-in; false when it expired or completed meanwhile. */
  async attach(tokenHash: string, confirmationId: string, now: number): Promise<boolean> {
    const matched = await this.sql.matched('UPDATE two_factor_sign_in SET confirmation_id = ? WHERE token_hash = ? AND expires_at > ?', 'token_hash', [
      confirmationId,
      tokenHash,
      now,
    ]);
    return matched === 1;
  }

  /**
   * Claims the sign-in (`complete`'s first step off PostgreSQL): deletes it, only while it is unexpired,
   * still waits for `confirmationId`, and that confirmation's factor is still the user's
   * confirmed, active factor. The returned row decides who signs in: one caller at most.
   */
  private async claim(tokenHash: string, confirmationId: string, userConfigId: number, now: number, manager: EntityManager): Promise<boolean> {
    const matched = await this.sql.matched(CLAIM_SQL, 'user_id', [tokenHash, confirmationId, now, userConfigId], manager);
    return matched === 1;
  }

  /**
   * Completes a sign-in with a factor, inside the transaction that confirmed `confirmationId`: the
   * claim (`claim`) decides, and only with it the confirmation is spent and the user's running
   * recovery cancelled (issue 22: a sign-in with a factor is the owner's). On PostgreSQL one statement
   * (data-modifying CTEs that act only on the claimed row); elsewhere the three in turn.
   * @returns null when the claim lost (then nothing else was done).
   */
  async complete(
    tokenHash: string,
    confirmationId: string,
    userConfigId: number,
    userId: string,
    now: number,
    manager: EntityManager,
  ): Promise<SignInCompletion | null> {
    if (this.sql.isPostgres) {
      const [row] = await this.sql.rows(COMPLETE_SQL_POSTGRES, [tokenHash, confirmationId, now, userConfigId, confirmationId], manager);
      if (!row) return null;
      return { cancelled: row.id === null ? null : toRecoveryRow(row) };
    }
    if (!(await this.claim(tokenHash, confirmationId, userConfigId, now, manager))) return null;
    await this.confirmations.spend(confirmationId, manager);
    return { cancelled: await this.recoveries.cancelForUser(userId, manager) };
  }

  /**
   * Completes a sign-in whose enrolment a recovery or an access code opened (issue 22): deletes it, only while
   * it is unexpired and still waits for `confirmationId` (the new factor's enrolment confirmation). One caller at most.
   */
  async claimEnrollment(tokenHash: string, confirmationId: string, now: number, manager: EntityManager): Promise<boolean> {
    const matched = await this.sql.matched(
      'DELETE FROM two_factor_sign_in WHERE token_hash = ? AND confirmation_id = ? AND expires_at > ?',
      'user_id',
      [tokenHash, confirmationId, now],
      manager,
    );
    return matched === 1;
  }

  /** Gives an unexpired pending sign-in a new end (an access code opened its enrolment, which takes longer than a code). */
  async extend(tokenHash: string, expiresAt: number, now: number): Promise<boolean> {
    const matched = await this.sql.matched('UPDATE two_factor_sign_in SET expires_at = ? WHERE token_hash = ? AND expires_at > ?', 'token_hash', [
      expiresAt,
      tokenHash,
      now,
    ]);
    return matched === 1;
  }

  /** Deletes every pending sign-in of the user, inside the factor lifecycle's transaction: a factor changed. */
  async removeAll(userId: string, manager: EntityManager): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_sign_in WHERE user_id = ?', [userId], manager);
  }

  /** Deletes expired pending sign-ins; returns how many went. */
  async purge(now: number): Promise<number> {
    return this.sql.matched('DELETE FROM two_factor_sign_in WHERE expires_at <= ?', 'token_hash', [now]);
  }
}
