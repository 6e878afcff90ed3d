import { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { CONFIRMATION_PURPOSES, type ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';

/** A column as a driver hands it back: SQLite's 0/1 booleans and JSON as text, PostgreSQL's BIGINTs as strings. */
export type RawValue = string | number | boolean | bigint | null | Record<string, unknown>;

/** A raw row of named columns. */
export type RawRow<K extends string> = { readonly [P in K]: RawValue };

export function toBool(value: RawValue): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function toJson(value: RawValue): Record<string, unknown> {
  if (typeof value === 'string') return value === '' ? {} : JSON.parse(value);
  return value !== null && typeof value === 'object' ? value : {};
}

export function toNumber(value: RawValue): number {
  return Number(value);
}

export function toNullableNumber(value: RawValue): number | null {
  return value === null ? null : Number(value);
}

export function toText(value: RawValue): string {
  return value === null ? '' : String(value);
}

export function toNullableText(value: RawValue): string | null {
  return value === null ? null : String(value);
}

const STATUSES = new Set<string>(Object.values(Status));

/** A stored status; an unknown word is a corrupt row, not something to guess about. */
export function toStatus(value: RawValue): Status {
  const text = toText(value);
  if (!STATUSES.has(text)) throw new Error(`Unknown status "${text}" in a stored row`);
  return text as Status;
}

/** A stored purpose; an unknown word is a corrupt row, never read as any purpose. */
export function toPurpose(value: RawValue): ConfirmationPurpose {
  const text = toText(value);
  if (!(CONFIRMATION_PURPOSES as readonly string[]).includes(text)) throw new Error(`Unknown purpose "${text}" in a stored row`);
  return text as ConfirmationPurpose;
}

/** The confirmation columns, in the order every hand-written statement selects them. */
export const CONFIRMATION_COLUMN_NAMES = [
  'id',
  'method_config_id',
  'user_config_id',
  'challenge_seq',
  'user_id',
  'purpose',
  'status',
  'state',
  'attempts',
  'max_attempts',
  'expires_at',
  'created_at',
  'updated_at',
  'action',
  'details_digest',
  'details',
] as const;

export type ConfirmationRow = RawRow<(typeof CONFIRMATION_COLUMN_NAMES)[number]>;

export const CONFIRMATION_COLUMNS = CONFIRMATION_COLUMN_NAMES.join(', ');

/** The same columns read through the table alias `c`. */
export const CONFIRMATION_COLUMNS_C = CONFIRMATION_COLUMN_NAMES.map((column) => `c.${column}`).join(', ');

export function toConfirmation(row: ConfirmationRow): ConfirmationState {
  return Object.assign(new ConfirmationState(), {
    id: toText(row.id),
    method_config_id: toNumber(row.method_config_id),
    user_config_id: toNullableNumber(row.user_config_id),
    challenge_seq: toNullableNumber(row.challenge_seq),
    user_id: toNullableText(row.user_id),
    purpose: toPurpose(row.purpose),
    status: toStatus(row.status),
    state: toJson(row.state),
    attempts: toNumber(row.attempts),
    max_attempts: toNumber(row.max_attempts),
    expires_at: toDate(row.expires_at),
    created_at: toDate(row.created_at),
    updated_at: toDate(row.updated_at),
    action: toNullableText(row.action),
    details_digest: toNullableText(row.details_digest),
    details: toDetails(row.details),
  });
}

/**
 * The columns a check reads of a confirmation (`ConfirmationStore.readForCheck`): its view and what its
 * availability depends on. Not its state (what judges an answer: a code's hash, a WebAuthn challenge),
 * its details' digest, its factor or its times: a check judges nothing, so none of that leaves the database.
 */
export const CHECKED_COLUMN_NAMES = ['id', 'user_id', 'purpose', 'status', 'attempts', 'max_attempts', 'expires_at', 'action', 'details'] as const;

/** A confirmation as a check reads it. */
export type CheckedState = Pick<ConfirmationState, (typeof CHECKED_COLUMN_NAMES)[number]>;

/** The check's columns read through the table alias `c`. */
export const CHECKED_COLUMNS_C = CHECKED_COLUMN_NAMES.map((column) => `c.${column}`).join(', ');

export function toCheckedState(row: RawRow<(typeof CHECKED_COLUMN_NAMES)[number]>): CheckedState {
  return {
    id: toText(row.id),
    user_id: toNullableText(row.user_id),
    purpose: toPurpose(row.purpose),
    status: toStatus(row.status),
    attempts: toNumber(row.attempts),
    max_attempts: toNumber(row.max_attempts),
    expires_at: toDate(row.expires_at),
    action: toNullableText(row.action),
    details: toDetails(row.details),
  };
}

/** A stored time (milliseconds since the epoch; a BIGINT comes back as a string). */
function toDate(value: RawValue): Date {
  return new Date(toNumber(value));
}

/** The details a confirmation approves, or null. */
function toDetails(value: RawValue): Record<string, string | number> | null {
  return value === null ? null : (toJson(value) as Record<string, string | number>);
}

/** The values of `confirmation` in the order of CONFIRMATION_COLUMN_NAMES, as the database stores them. */
export function confirmationValues(c: ConfirmationState): unknown[] {
  return [
    c.id,
    c.method_config_id,
    c.user_config_id,
    c.challenge_seq,
    c.user_id,
    c.purpose,
    c.status,
    JSON.stringify(c.state),
    c.attempts,
    c.max_attempts,
    c.expires_at.getTime(),
    c.created_at.getTime(),
    c.updated_at.getTime(),
    c.action ?? null,
    c.details_digest ?? null,
    c.details ? JSON.stringify(c.details) : null,
  ];
}
