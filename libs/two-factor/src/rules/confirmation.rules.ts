import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';

/**
 * The rules of a confirmation's life, each written once in both its forms: as
 * SQL for the conditional statement that decides (alias-free, on
 * two_factor_confirmation), and as code for the read that explains a refusal.
 * A test that weakens one form fails: the races in the suites decide by the SQL,
 * the error codes by the code.
 */

/** Expired: at or past `expires_at` (`?` = now). */
export const UNEXPIRED_SQL = 'expires_at > ?';
export function isExpired(confirmation: Pick<ConfirmationState, 'expires_at'>, now: number): boolean {
  return confirmation.expires_at.getTime() <= now;
}

/** Attempts left: wrong answers so far below the confirmation's own maximum. */
export const ATTEMPTS_LEFT_SQL = 'attempts < max_attempts';
export function attemptsLeft(confirmation: Pick<ConfirmationState, 'attempts' | 'max_attempts'>): number {
  return Math.max(0, confirmation.max_attempts - confirmation.attempts);
}

/** Open for an answer: pending, with attempts left, unexpired (`?` = now). */
export const OPEN_SQL = `status = '${Status.InProcess}' AND ${ATTEMPTS_LEFT_SQL} AND ${UNEXPIRED_SQL}`;

/** The newest challenge of its factor: a method-level one always is; a user-bound one carries the factor's current number. */
export const NEWEST_SQL =
  '(user_config_id IS NULL OR challenge_seq = (SELECT u.challenge_seq FROM two_factor_user_config u WHERE u.id = two_factor_confirmation.user_config_id))';
export function isNewest(confirmation: Pick<ConfirmationState, 'challenge_seq'>, factor: { challenge_seq: number } | null): boolean {
  return factor === null || confirmation.challenge_seq === factor.challenge_seq;
}

/**
 * Its own path: a confirmation is confirmed (or counts a wrong answer) only by a
 * call made for the purpose it was issued for (`?` = the path's purpose, see `ConfirmationPurpose`).
 */
export const PURPOSE_SQL = 'purpose = ?';
export function isFor(confirmation: Pick<ConfirmationState, 'purpose'>, purpose: ConfirmationPurpose): boolean {
  return confirmation.purpose === purpose;
}

/**
 * A usable proof: a step-up confirmation, confirmed and unexpired (`?` = now).
 * A sign-in or enrolment confirmation never is, whatever its status.
 */
export const PROOF_SQL = `purpose = '${ConfirmationPurpose.StepUp}' AND status = '${Status.Confirmed}' AND ${UNEXPIRED_SQL}`;
export function isProof(confirmation: Pick<ConfirmationState, 'purpose' | 'status' | 'expires_at'>, now: number): boolean {
  return confirmation.purpose === ConfirmationPurpose.StepUp && confirmation.status === Status.Confirmed && !isExpired(confirmation, now);
}

/**
 * What `check` shows: step-up and enrolment confirmations (their own client
 * requested them); a sign-in confirmation belongs to its pending sign-in, and a
 * session alone learns nothing about it — "not found", like a missing one.
 */
export function isCheckable(confirmation: Pick<ConfirmationState, 'purpose'>): boolean {
  return confirmation.purpose !== ConfirmationPurpose.SignIn;
}
