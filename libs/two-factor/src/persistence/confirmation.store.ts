import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import type { SingleUseClaim } from '../method-api/backend.js';
import { NEWEST_SQL, OPEN_SQL, PROOF_SQL, PURPOSE_SQL } from '../rules/confirmation.rules.js';
import { boundSql, CONFIRMED_SINCE_SQL, PLAIN_SQL } from '../rules/step-up-policy.js';
import { FACTOR_KEY_SQL, factorKeySql, WINDOW_IS_OURS_SQL, type FailureWindow } from '../rules/failure-policy.js';
import { toChecked, toJoined, type CheckedConfirmation, type CheckedRow, type JoinedConfirmation, type JoinedRow } from './joined-confirmation.js';
import {
  CHECKED_COLUMNS_C,
  CONFIRMATION_COLUMN_NAMES,
  CONFIRMATION_COLUMNS,
  CONFIRMATION_COLUMNS_C,
  confirmationValues,
  toConfirmation,
  toNumber,
  toText,
  type ConfirmationRow,
  type RawRow,
} from './rows.js';
import { SqlRunner } from './sql-runner.js';

/** MySQL/MariaDB's factor key expression (CONCAT: `||` is OR there). */
const FACTOR_KEY_SQL_MYSQL = factorKeySql(true);

/** The columns of a joined read (`JoinedRow`): the confirmation `c`'s own, then its method config's, user config's and counter's. */
export const JOINED_COLUMNS = `${CONFIRMATION_COLUMNS_C},
              mc.method AS mc_method, mc.title AS mc_title, mc.config AS mc_config, mc.is_active AS mc_is_active,
              uc.id AS uc_id, uc.user_id AS uc_user_id, uc.status AS uc_status, uc.config AS uc_config,
              uc.is_active AS uc_is_active, uc.replay_guard AS uc_replay_guard, uc.challenge_seq AS uc_challenge_seq,
              f.key AS f_key, f.count AS f_count, f.last_failed_at AS f_last_failed_at`;

/**
 * What the confirmation `c` of a joined read is joined with, by dialect. `join` is how its method config
 * joins: `JOIN` when `c` is the read's own table; `LEFT JOIN` when `c` is itself left-joined (it may be missing).
 */
export function joinedTables(join: 'JOIN' | 'LEFT JOIN', mysql: boolean): string {
  return `${configTables(join)}
         LEFT JOIN two_factor_failure_counter f ON f.key = ${mysql ? FACTOR_KEY_SQL_MYSQL : FACTOR_KEY_SQL}`;
}

/** The confirmation `c`'s method config `mc` and user config `uc` (a method-level confirmation has none). */
function configTables(join: 'JOIN' | 'LEFT JOIN'): string {
  return `${join} two_factor_method_config mc ON mc.id = c.method_config_id
         LEFT JOIN two_factor_user_config uc ON uc.id = c.user_config_id`;
}

/** `readJoined`'s text, by dialect (worked out once: the confirm runs it on every call; a check has its own, narrower read below). */
const READ_JOINED_SQL = { other: readJoinedSql(false), mysql: readJoinedSql(true) };
function readJoinedSql(mysql: boolean): string {
  return `SELECT ${JOINED_COLUMNS}
         FROM two_factor_confirmation c
         ${joinedTables('JOIN', mysql)}
        WHERE c.id = ?`;
}

/**
 * `readForCheck`'s text: what a check shows of the confirmation (CHECKED_COLUMN_NAMES) and the four facts
 * it asks of its configs, no more. A check never judges an answer, so it reads neither the confirmation's
 * state nor either config (the factor's seed is in the user config's), nor the replay guard or the failure
 * counter: one join fewer, and nothing that judges an answer leaves the database.
 */
const READ_FOR_CHECK_SQL = `SELECT ${CHECKED_COLUMNS_C},
              mc.method AS mc_method, mc.is_active AS mc_is_active,
              uc.id AS uc_id, uc.status AS uc_status, uc.is_active AS uc_is_active
         FROM two_factor_confirmation c
         ${configTables('JOIN')}
        WHERE c.id = ?`;

/*
 * The texts of the statements every request, confirm and sign-in runs, written once: a text built per call is a
 * new string whose hash each lookup by text (the prepared statement, the span) works out again.
 */
const INSERT_CONFIRMATION_SQL = `INSERT INTO two_factor_confirmation (${CONFIRMATION_COLUMNS}) VALUES (${SqlRunner.list(CONFIRMATION_COLUMN_NAMES.length)})`;
/** The flip to confirmed (see `flipToConfirmed`). */
const FLIP_SQL = `UPDATE two_factor_confirmation SET status = '${Status.Confirmed}', expires_at = ?, updated_at = ?
        WHERE id = ? AND ${PURPOSE_SQL} AND ${OPEN_SQL} AND ${NEWEST_SQL}`;
const FLIP_RETURNING_SQL = `${FLIP_SQL} RETURNING ${CONFIRMATION_COLUMNS}`;
/** PostgreSQL: the flip and the use it records in one statement (a data-modifying CTE; the use only when the flip matched). */
const FLIP_RECORDING_USE_SQL = `WITH flipped AS (${FLIP_RETURNING_SQL}),
          used AS (UPDATE two_factor_user_config SET last_used_at = ? WHERE id = (SELECT user_config_id FROM flipped))
          SELECT ${CONFIRMATION_COLUMNS} FROM flipped`;

/** What else confirming does, atomically with the flip. */
export interface ConfirmedAlso {
  /** The backend's single-use claim on the user config's guard (none for a method-level confirmation). */
  claim?: { userConfigId: number | null; claim: SingleUseClaim };
  /** The factor's failure counter to reset, when it has failures. */
  resetKey: string | null;
  /** The failure window the judge read (`windowParams`). */
  window: number[];
  /**
   * Records the use on the confirmation's own factor (`last_used_at`) with the flip, for an answer
   * with no claim (a claim's statement records it) and no new stored form (the lifecycle's `record_use` writes that).
   */
  recordUse?: boolean;
  onConfirmed?: (manager: EntityManager, confirmation: ConfirmationState) => Promise<void>;
}

/** Locks a factor inside the wrong answer's transaction (the factor lifecycle's `lock`). */
export type LockFactor = (manager: EntityManager, userConfigId: number) => Promise<void>;

/**
 * Why a right answer did not confirm: `closed` — the confirmation was locked,
 * expired, replaced or confirmed meanwhile; `claim-spent` — the backend's
 * single-use slot (TOTP step, backup code) was already taken: a replay;
 * `window-taken` — another answer on the factor claimed its failure window.
 */
export type ConfirmRefusal = 'closed' | 'claim-spent' | 'window-taken';

/** `replayGuard`: the factor's single-use guard after this answer's claim (only when there was one). */
export type ConfirmOutcome = { confirmed: ConfirmationState; replayGuard?: number } | { refused: ConfirmRefusal };

/** What a wrong answer came to: judged (and what it left behind), or not judged and why. */
export type WrongAnswer =
  | {
      judged: true;
      attemptsLeft: number;
      /** Consecutive failures on the factor, this one included (0 for anonymous confirmations). */
      failures: number;
    }
  /** Not judged, and why (see ConfirmRefusal; a wrong answer claims no single-use slot). */
  | { judged: false; reason: Exclude<ConfirmRefusal, 'claim-spent'> };

export type { JoinedConfirmation, MethodConfigFacts, UserConfigFacts } from './joined-confirmation.js';

/**
 * Every statement that reads or changes confirmations and their factors'
 * counters. Each change is a conditional UPDATE/DELETE … RETURNING: the row it
 * returns (or not) decides, never a read followed by a write, so racing
 * callers and app instances cannot both win. On MySQL/MariaDB (no RETURNING)
 * the same conditional statement decides by the rows it matched, and a row
 * it needs is read in the same transaction (see SqlRunner).
 */
@Injectable()
export class ConfirmationStore {
  constructor(private readonly sql: SqlRunner) {}

  /** One SELECT: the confirmation with everything that decides its fate. */
  async readJoined(id: string): Promise<JoinedConfirmation | undefined> {
    const [row] = await this.sql.rows<JoinedRow>(this.sql.isMysql ? READ_JOINED_SQL.mysql : READ_JOINED_SQL.other, [id.toLowerCase()]);
    return row && toJoined(row);
  }

  /** One SELECT: the confirmation with what `check` asks of it (whether it is a usable proof now). */
  async readForCheck(id: string): Promise<CheckedConfirmation | undefined> {
    const [row] = await this.sql.rows<CheckedRow>(READ_FOR_CHECK_SQL, [id.toLowerCase()]);
    return row && toChecked(row);
  }

  /** The factor's run of failures, for method-level confirmations (user configs read it with their challenge number). */
  async failures(key: string): Promise<FailureWindow | undefined> {
    const [row] = await this.sql.rows<RawRow<'count' | 'last_failed_at'>>('SELECT count, last_failed_at FROM two_factor_failure_counter WHERE key = ?', [key]);
    return row && { key, count: toNumber(row.count), lastFailedAt: toNumber(row.last_failed_at) };
  }

  /** Inserts an issued confirmation (inside the open transaction, if any). */
  async insert(confirmation: ConfirmationState, manager?: EntityManager): Promise<void> {
    const values = confirmationValues(confirmation);
    await this.sql.rows(INSERT_CONFIRMATION_SQL, values, manager);
  }

  async remove(id: string): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_confirmation WHERE id = ?', [id]);
  }

  /** Spends a confirmation inside the open transaction (an enrolment that it proved). */
  async spend(id: string, manager: EntityManager): Promise<void> {
    await this.sql.rows('DELETE FROM two_factor_confirmation WHERE id = ?', [id], manager);
  }

  /**
   * Flips a confirmation to confirmed — only when issued for `purpose` (the path
   * judging it), while it is open for an answer and its factor's newest — and
   * makes it a proof until `proofExpiresAt`; with `recordUse`, the same flip
   * records the use on its factor. Null when it lost a race.
   */
  private async flipToConfirmed(
    id: string,
    purpose: ConfirmationPurpose,
    now: number,
    proofExpiresAt: number,
    recordUse: boolean,
    manager?: EntityManager,
  ): Promise<ConfirmationState | null> {
    const params = [proofExpiresAt, now, id, purpose, now];
    const flipped = async (sql: string, values: unknown[], m?: EntityManager) => {
      const [row] = await this.sql.rows<ConfirmationRow>(sql, values, m);
      return row ? toConfirmation(row) : null;
    };
    // PostgreSQL: one statement, the use written only when the flip matched.
    if (this.sql.dialect === 'postgres' && recordUse) return flipped(FLIP_RECORDING_USE_SQL, [...params, now], manager);
    if (!this.sql.isMysql && !recordUse) return flipped(FLIP_RETURNING_SQL, params, manager);
    // SQLite recording the use, and MySQL (its UPDATE decides by its matched row and locks it; the row is read back): one transaction.
    return this.sql.within(manager, async (m) => {
      const confirmation = !this.sql.isMysql
        ? await flipped(FLIP_RETURNING_SQL, params, m)
        : (await this.sql.write(FLIP_SQL, params, m)).affected === 1
          ? await this.read(id, m)
          : null;
      if (confirmation && recordUse && confirmation.user_config_id !== null) {
        await this.sql.rows('UPDATE two_factor_user_config SET last_used_at = ? WHERE id = ?', [now, confirmation.user_config_id], m);
      }
      return confirmation;
    });
  }

  /**
   * Confirms: flips the row (`flipToConfirmed`) and, in the same transaction when
   * there is more to do, applies the single-use claim, ends the factor's run of
   * failures if its window is still the one read, and runs `onConfirmed`.
   * Nothing changes unless all of them succeed; the outcome says which lost its race.
   */
  async markConfirmed(id: string, purpose: ConfirmationPurpose, now: number, proofExpiresAt: number, also: ConfirmedAlso): Promise<ConfirmOutcome> {
    const { claim, resetKey, window, onConfirmed } = also;
    const recordUse = also.recordUse === true && !claim;
    if (!claim && !onConfirmed && !resetKey) {
      const confirmed = await this.flipToConfirmed(id, purpose, now, proofExpiresAt, recordUse);
      return confirmed ? { confirmed } : { refused: 'closed' };
    }
    let refused: ConfirmRefusal = 'closed';
    let replayGuard: number | null = null;
    const confirmed = await this.sql.transactionUnlessNull(async (manager) => {
      if (claim) replayGuard = claim.userConfigId === null ? null : await this.claim(manager, claim.userConfigId, claim.claim, now);
      if (claim && replayGuard === null) {
        refused = 'claim-spent';
        return null;
      }
      const flipped = await this.flipToConfirmed(id, purpose, now, proofExpiresAt, recordUse, manager);
      if (!flipped) return null;
      if (resetKey && !(await this.resetFailures(resetKey, window, manager))) {
        refused = 'window-taken';
        return null;
      }
      await onConfirmed?.(manager, flipped);
      return flipped;
    });
    if (!confirmed) return { refused };
    return replayGuard === null ? { confirmed } : { confirmed, replayGuard };
  }

  /**
   * Applies a backend's single-use claim to the user config's guard and, in the same
   * statement, records the use (`last_used_at`: the claim is the factor's record of a
   * right answer). @returns the guard after the claim, or null when already spent.
   * MySQL: the UPDATE's matched row decides; the guard comes back as LAST_INSERT_ID(guard).
   */
  private async claim(manager: EntityManager, userConfigId: number, claim: SingleUseClaim, now: number): Promise<number | null> {
    if (this.sql.isMysql) {
      const { affected, insertId } =
        claim.kind === 'after'
          ? await this.sql.write(
              'UPDATE two_factor_user_config SET replay_guard = LAST_INSERT_ID(?), last_used_at = ? WHERE id = ? AND replay_guard < ?',
              [claim.value, now, userConfigId, claim.value],
              manager,
            )
          : await this.sql.write(
              'UPDATE two_factor_user_config SET replay_guard = LAST_INSERT_ID(replay_guard | ?), last_used_at = ? WHERE id = ? AND (replay_guard & ?) = 0',
              [2 ** claim.index, now, userConfigId, 2 ** claim.index],
              manager,
            );
      return affected === 1 ? insertId : null;
    }
    const [row] =
      claim.kind === 'after'
        ? await this.sql.rows<RawRow<'replay_guard'>>(
            'UPDATE two_factor_user_config SET replay_guard = ?, last_used_at = ? WHERE id = ? AND replay_guard < ? RETURNING replay_guard',
            [claim.value, now, userConfigId, claim.value],
            manager,
          )
        : await this.sql.rows<RawRow<'replay_guard'>>(
            'UPDATE two_factor_user_config SET replay_guard = replay_guard | ?, last_used_at = ? WHERE id = ? AND (replay_guard & ?) = 0 RETURNING replay_guard',
            [2 ** claim.index, now, userConfigId, 2 ** claim.index],
            manager,
          );
    return row ? toNumber(row.replay_guard) : null;
  }

  /**
   * A success ends the run of consecutive failures on this factor (and only this one),
   * if the factor's window is still the one the judge read. @returns false when another guess took it.
   */
  private async resetFailures(key: string, window: number[], manager: EntityManager): Promise<boolean> {
    if (this.sql.isMysql) {
      const sql = `UPDATE two_factor_failure_counter SET count = 0 WHERE key = ? AND ${WINDOW_IS_OURS_SQL('two_factor_failure_counter')}`;
      return (await this.sql.write(sql, [key, ...window], manager)).affected === 1;
    }
    const rows = await this.sql.rows(
      `UPDATE two_factor_failure_counter SET count = 0 WHERE key = ? AND ${WINDOW_IS_OURS_SQL('two_factor_failure_counter')} RETURNING key`,
      [key, ...window],
      manager,
    );
    return rows.length === 1;
  }

  /**
   * Counts one wrong answer, only while the confirmation is open and was issued
   * for `purpose` (the path judging it) — the counter
   * itself decides who was judged — and in the same transaction one more
   * consecutive failure on the factor `key`, only if its window (`window`, see
   * `FailureWindow`) is still the one the judge read; at `lockAt` failures the
   * user config locks (`lock.apply`, the factor lifecycle's). A guess that is not judged changes nothing.
   */
  async recordWrongAnswer(
    id: string,
    purpose: ConfirmationPurpose,
    key: string | null,
    window: number[],
    userConfigId: number | null,
    lock: { at: number; apply: LockFactor },
  ): Promise<WrongAnswer> {
    const now = Date.now();
    let refused: WrongAnswer = { judged: false, reason: 'closed' };
    if (this.sql.isMysql) return this.recordWrongAnswerMysql(id, purpose, key, window, userConfigId, lock, now);
    const judged = await this.sql.transactionUnlessNull<WrongAnswer>(async (manager) => {
      const [attempt] = await this.sql.rows<RawRow<'attempts' | 'max_attempts'>>(
        `UPDATE two_factor_confirmation
            SET attempts = attempts + 1,
                status = CASE WHEN attempts + 1 >= max_attempts THEN '${Status.Locked}' ELSE status END,
                updated_at = ?
          WHERE id = ? AND ${PURPOSE_SQL} AND ${OPEN_SQL}
          RETURNING attempts, max_attempts`,
        [now, id, purpose, now],
        manager,
      );
      if (!attempt) return null;
      let failures = 0;
      if (key !== null) {
        const [counter] = await this.sql.rows<RawRow<'count'>>(
          `INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 1, ?)
           ON CONFLICT (key) DO UPDATE SET count = two_factor_failure_counter.count + 1, last_failed_at = ?
             WHERE ${WINDOW_IS_OURS_SQL('two_factor_failure_counter')}
           RETURNING count`,
          [key, now, now, ...window],
          manager,
        );
        if (!counter) {
          refused = { judged: false, reason: 'window-taken' };
          return null;
        }
        failures = toNumber(counter.count);
        if (userConfigId !== null && failures >= lock.at) await lock.apply(manager, userConfigId);
      }
      return { judged: true, attemptsLeft: toNumber(attempt.max_attempts) - toNumber(attempt.attempts), failures };
    });
    return judged ?? refused;
  }

  /**
   * recordWrongAnswer on MySQL/MariaDB, the same decisions in the same transaction: the
   * attempt's UPDATE decides by its matched row (status is assigned first: MySQL assigns left
   * to right, so `attempts + 1` must be read before attempts moves); the failure counter's row is
   * made sure of (an upsert that changes nothing when it exists), then its conditional UPDATE
   * claims the window by its matched row and hands the new count back through LAST_INSERT_ID.
   */
  private async recordWrongAnswerMysql(
    id: string,
    purpose: ConfirmationPurpose,
    key: string | null,
    window: number[],
    userConfigId: number | null,
    lock: { at: number; apply: LockFactor },
    now: number,
  ): Promise<WrongAnswer> {
    let refused: WrongAnswer = { judged: false, reason: 'closed' };
    const judged = await this.sql.transactionUnlessNull<WrongAnswer>(async (manager) => {
      const { affected } = await this.sql.write(
        `UPDATE two_factor_confirmation
            SET status = CASE WHEN attempts + 1 >= max_attempts THEN '${Status.Locked}' ELSE status END,
                attempts = attempts + 1,
                updated_at = ?
          WHERE id = ? AND ${PURPOSE_SQL} AND ${OPEN_SQL}`,
        [now, id, purpose, now],
        manager,
      );
      if (affected !== 1) return null;
      const [attempt] = await this.sql.rows<RawRow<'attempts' | 'max_attempts'>>(
        'SELECT attempts, max_attempts FROM two_factor_confirmation WHERE id = ?',
        [id],
        manager,
      );
      let failures = 0;
      if (key !== null) {
        await this.sql.write(
          'INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 0, 0) ON DUPLICATE KEY UPDATE count = count',
          [key],
          manager,
        );
        const counted = await this.sql.write(
          `UPDATE two_factor_failure_counter SET count = LAST_INSERT_ID(count + 1), last_failed_at = ?
            WHERE key = ? AND ${WINDOW_IS_OURS_SQL('two_factor_failure_counter')}`,
          [now, key, ...window],
          manager,
        );
        if (counted.affected !== 1) {
          refused = { judged: false, reason: 'window-taken' };
          return null;
        }
        failures = counted.insertId;
        if (userConfigId !== null && failures >= lock.at) await lock.apply(manager, userConfigId);
      }
      return { judged: true, attemptsLeft: toNumber(attempt.max_attempts) - toNumber(attempt.attempts), failures };
    });
    return judged ?? refused;
  }

  /** A confirmation row as stored now (MySQL: read back after the write that locked it). */
  private async read(id: string, manager: EntityManager): Promise<ConfirmationState | null> {
    const [row] = await this.sql.rows<ConfirmationRow>(`SELECT ${CONFIRMATION_COLUMNS} FROM two_factor_confirmation WHERE id = ?`, [id], manager);
    return row ? toConfirmation(row) : null;
  }

  /**
   * Deletes a confirmation that is usable right now and returns it with its method's key, in one
   * statement: a proof (a step-up confirmation: never a sign-in or enrolment one), visible to `userId`,
   * its method config active and of one of `methods`, its user config (if any) active and confirmed;
   * with `ownFactorOnly`, issued for one of `userId`'s own user configs; and what `terms` demand:
   * confirmed at or after `confirmedSince`, and requested for exactly `action` with one of `digests`
   * (or, with `action` null, for no action at all). A proof that fails any term is not touched.
   */
  async consume(
    id: string,
    userId: string | null,
    methods: string[],
    ownFactorOnly: boolean,
    manager?: EntityManager,
    terms: ProofTerms = PLAIN_PROOF,
  ): Promise<{ confirmation: ConfirmationState; method: string } | null> {
    if (methods.length === 0) return null;
    const { where, params } = usableProofCondition(id, userId, methods, ownFactorOnly, terms);
    if (this.sql.isMysql) return this.consumeMysql(where, params, manager);
    const [row] = await this.sql.rows<ConfirmationRow & RawRow<'spent_method'>>(
      `DELETE FROM two_factor_confirmation
        WHERE ${where}
        RETURNING ${CONFIRMATION_COLUMNS},
          (SELECT m.method FROM two_factor_method_config m WHERE m.id = two_factor_confirmation.method_config_id) AS spent_method`,
      params,
      manager,
    );
    return row ? { confirmation: toConfirmation(row), method: toText(row.spent_method) } : null;
  }

  /**
   * consume on MySQL/MariaDB: a locking read (FOR UPDATE) of the usable row that meets the condition,
   * then the DELETE under the same condition in the same transaction; the DELETE's matched row decides.
   */
  private consumeMysql(
    where: string,
    params: unknown[],
    manager: EntityManager | undefined,
  ): Promise<{ confirmation: ConfirmationState; method: string } | null> {
    return this.sql.within(manager, async (m) => {
      const [row] = await this.sql.rows<ConfirmationRow & RawRow<'spent_method'>>(
        `SELECT ${CONFIRMATION_COLUMNS},
                (SELECT mc.method FROM two_factor_method_config mc WHERE mc.id = two_factor_confirmation.method_config_id) AS spent_method
           FROM two_factor_confirmation WHERE ${where} FOR UPDATE`,
        params,
        m,
      );
      if (!row) return null;
      const { affected } = await this.sql.write(`DELETE FROM two_factor_confirmation WHERE ${where}`, params, m);
      return affected === 1 ? { confirmation: toConfirmation(row), method: toText(row.spent_method) } : null;
    });
  }
}

/**
 * The condition of `consume` (see there) and its parameters: one text for every dialect's statements.
 * The factor is looked up by its key (a correlated EXISTS): as `user_config_id IN (SELECT … all usable
 * factors)` PostgreSQL and SQLite built the whole set on every use, a scan of every user's factors.
 * The row is reached by its primary key only: "the caller's own" is `user_id IS NOT NULL` beside
 * `(user_id IS NULL OR user_id = ?)`, not a second `user_id = ?`, which PostgreSQL could plan as a
 * scan of the user's index (a generic plan made while the table had no statistics: every one of the
 * user's confirmations read on each step-up, 3 ms once the bench's user had a few thousand).
 */
function usableProofCondition(
  id: string,
  userId: string | null,
  methods: string[],
  ownFactorOnly: boolean,
  terms: ProofTerms,
): { where: string; params: unknown[] } {
  const bound = terms.action !== null;
  const where = `id = ? AND ${PROOF_SQL}
          AND (user_id IS NULL OR user_id = ?)
          AND method_config_id IN (SELECT m.id FROM two_factor_method_config m WHERE m.is_active = TRUE AND m.method IN (${SqlRunner.list(methods.length)}))
          AND (user_config_id IS NULL OR EXISTS (SELECT 1 FROM two_factor_user_config u
                WHERE u.id = two_factor_confirmation.user_config_id AND u.is_active = TRUE AND u.status = '${Status.Confirmed}'))
          ${ownFactorOnly ? 'AND user_id IS NOT NULL AND user_config_id IS NOT NULL' : ''}
          ${terms.confirmedSince !== undefined ? `AND ${CONFIRMED_SINCE_SQL}` : ''}
          AND ${bound ? boundSql(terms.digests.length) : PLAIN_SQL}`;
  const params = [
    id.toLowerCase(),
    Date.now(),
    userId,
    ...methods,
    ...(terms.confirmedSince !== undefined ? [terms.confirmedSince] : []),
    ...(bound ? [terms.action, ...terms.digests] : []),
  ];
  return { where, params };
}

/**
 * What a route demands of a proof beyond being one, as `consume` matches it: the oldest
 * confirmation time allowed (absent: any within the proof's lifetime), and the operation —
 * `action` null for a plain proof only, else that action with one of `digests` (the keyed digest
 * of its canonical details under each key of the ring).
 */
export interface ProofTerms {
  confirmedSince?: number;
  action: string | null;
  digests: string[];
}

/** A plain proof of any age within its lifetime: what `use` demands without a policy. */
export const PLAIN_PROOF: ProofTerms = Object.freeze({ action: null, digests: [] }) as ProofTerms;
