import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { SecretBox } from '../secrets/secret-box.js';

/**
 * Step-up policy and operation binding (issue 21, docs/guide/step-up-policy.md): what a route
 * demands of a proof, and the rules that judge it — each written once as the SQL fragment of
 * the one conditional DELETE that spends a proof (`ConfirmationStore.consume`) and once as code
 * for the read that explains a refusal afterwards.
 */

/** What an operation's details may hold: a flat object of strings and finite numbers. */
export type OperationDetails = Readonly<Record<string, string | number>>;

/** The bounds of an action and its details (contract §7). */
export const OPERATION_LIMITS = Object.freeze({
  /** An action: 1–64 characters of `a-z`, `0-9`, `_`, `.`, `-`. */
  action: /^[a-z0-9_.-]{1,64}$/,
  /** Keys of `details`. */
  maxKeys: 16,
  /** Characters of a key of `details`. */
  maxKeyLength: 64,
  /** Characters of a string value of `details`. */
  maxValueLength: 256,
});

/** Whether `value` is an action name (`a-z0-9_.-`, 1–64 characters). */
export function isAction(value: unknown): value is string {
  return typeof value === 'string' && OPERATION_LIMITS.action.test(value);
}

/**
 * Whether `value` can be an operation's details: a plain (non-array) object of at most 16 keys
 * (each 1–64 characters), every value a string of at most 256 characters or a finite number.
 */
export function isOperationDetails(value: unknown): value is OperationDetails {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const entries = Object.entries(value);
  if (entries.length > OPERATION_LIMITS.maxKeys) return false;
  return entries.every(
    ([key, item]) =>
      key.length >= 1 &&
      key.length <= OPERATION_LIMITS.maxKeyLength &&
      ((typeof item === 'string' && item.length <= OPERATION_LIMITS.maxValueLength) || (typeof item === 'number' && Number.isFinite(item))),
  );
}

/**
 * The canonical text of an operation: the action and the details with their keys sorted, as JSON.
 * Strings stay as they are (no trimming, no case folding): `120.00` and `120.0` are different
 * operations, and so are `ACME` and `Acme`; a string `"120"` is not the number `120`.
 */
export function canonicalOperation(action: string, details: OperationDetails = {}): string {
  const sorted = Object.keys(details)
    .sort()
    .map((key) => [key, details[key]]);
  return JSON.stringify(['two-factor/operation/v1', action, sorted]);
}

/** The keyed digest stored with a bound confirmation (current key). */
export function operationDigest(secrets: SecretBox, action: string, details?: OperationDetails): string {
  return secrets.hash(canonicalOperation(action, details));
}

/** The digest under every key of the ring (current first), so a proof requested before a key rotation still matches. */
export function operationDigests(secrets: SecretBox, action: string, details?: OperationDetails): string[] {
  return secrets.hashes(canonicalOperation(action, details));
}

/**
 * What a route demands of a proof, resolved for one request (the decorator's `details` function
 * already called). Every field is optional: `{}` is the plain step-up of `@RequireTwoFactor()`.
 */
export interface ProofPolicy {
  /** Method keys that may pass (e.g. `['totp', 'webauthn']`); absent: every registered method. */
  methods?: readonly string[];
  /** Only phishing-resistant methods (those whose descriptor says so: WebAuthn). */
  phishingResistant?: boolean;
  /** A proof confirmed longer ago than this is refused (`proof_too_old`), whatever `proofTtlSeconds` says. */
  maxAgeSeconds?: number;
  /**
   * The operation the proof must have been requested for. Absent: only a plain proof (requested
   * without an action) passes: a proof bound to an operation never passes another route.
   */
  action?: string;
  /** The operation's details; compared through their keyed digest. Absent with an `action`: `{}`. */
  details?: OperationDetails;
}

/** Confirmed recently enough (`?` = the oldest confirmation time allowed). A proof's `updated_at` is when it was confirmed. */
export const CONFIRMED_SINCE_SQL = 'updated_at >= ?';
export function isConfirmedSince(confirmation: Pick<ConfirmationState, 'updated_at'>, since: number): boolean {
  return confirmation.updated_at.getTime() >= since;
}

/** The oldest confirmation time `maxAgeSeconds` allows at `now`. */
export function confirmedSince(maxAgeSeconds: number, now: number): number {
  return now - maxAgeSeconds * 1000;
}

/** A plain proof: requested without an action. */
export const PLAIN_SQL = 'action IS NULL';

/** Bound to this operation (`?` = the action, then each digest of `operationDigests`). */
export function boundSql(digests: number): string {
  return `action = ? AND details_digest IN (${Array.from({ length: digests }, () => '?').join(', ')})`;
}

/** Whether the confirmation was requested for exactly this operation (`digests`: null for a plain route). */
export function matchesOperation(
  confirmation: Pick<ConfirmationState, 'action' | 'details_digest'>,
  action: string | null,
  digests: readonly string[],
): boolean {
  if (action === null) return confirmation.action === null;
  return confirmation.action === action && confirmation.details_digest !== null && digests.includes(confirmation.details_digest);
}
