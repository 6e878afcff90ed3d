import { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { Status } from '../entities/status.js';

/** Raw rows come back with SQLite's 0/1 booleans, JSON as text and PostgreSQL's BIGINTs as strings. */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function toJson(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return value === '' ? {} : JSON.parse(value);
  return (value as Record<string, unknown>) ?? {};
}

export function toNumber(value: unknown): number {
  return Number(value);
}

/** The confirmation columns, in the order every hand-written statement selects them. */
export const CONFIRMATION_COLUMNS =
  'id, method_config_id, user_config_id, challenge_seq, user_id, status, state, attempts, max_attempts, expires_at, created_at, updated_at';

/** The same columns read through the table alias `c`. */
export const CONFIRMATION_COLUMNS_C = CONFIRMATION_COLUMNS.split(', ').map((column) => `c.${column}`).join(', ');

export function toConfirmation(row: Record<string, any>): ConfirmationState {
  return Object.assign(new ConfirmationState(), {
    id: row.id,
    method_config_id: toNumber(row.method_config_id),
    user_config_id: row.user_config_id === null ? null : toNumber(row.user_config_id),
    challenge_seq: row.challenge_seq === null ? null : toNumber(row.challenge_seq),
    user_id: row.user_id ?? null,
    status: row.status as Status,
    state: toJson(row.state),
    attempts: toNumber(row.attempts),
    max_attempts: toNumber(row.max_attempts),
    expires_at: new Date(toNumber(row.expires_at)),
    created_at: new Date(toNumber(row.created_at)),
    updated_at: new Date(toNumber(row.updated_at)),
  });
}
