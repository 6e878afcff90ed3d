import { TwoFactorError } from './two-factor.error.js';

/** A factor the caller could prove with: ids and method only, nothing secret. */
export interface AvailableFactor {
  id: number;
  method: string;
  title: string;
}

/** The action needs a fresh confirmation of one of the user's factors (header X-Two-Factor-Confirmation). */
export class TwoFactorRequiredError extends TwoFactorError {
  constructor(readonly available: AvailableFactor[]) {
    super('two_factor_required', { key: 'error.two_factor_required.message' }, { available });
  }
}

/** The factor failed too often and is locked until the user enrols it again (changes its config, or removes and re-creates it). */
export class FactorLockedError extends TwoFactorError {
  constructor() {
    super('factor_locked', { key: 'error.factor_locked.message' });
  }
}

/**
 * The proof is valid, but its factor's method may not pass this route (`@RequireTwoFactor({ methods })`
 * or `phishingResistant`). Nothing was spent: `details.available` lists the user's factors that may.
 */
export class FactorNotAllowedError extends TwoFactorError {
  constructor(readonly available: AvailableFactor[]) {
    super('factor_not_allowed', { key: 'error.factor_not_allowed.message' }, { available });
  }
}

/** The proof was confirmed longer ago than the route's `maxAgeSeconds`. Nothing was spent: confirm again. */
export class ProofTooOldError extends TwoFactorError {
  constructor(readonly maxAgeSeconds: number) {
    super('proof_too_old', { key: 'error.proof_too_old.message', params: { max_age_seconds: maxAgeSeconds } }, { max_age_seconds: maxAgeSeconds });
  }
}

/**
 * The proof was requested for another operation — another action, other details, or none on a
 * bound route (or an action on a plain route). Nothing was spent. `details.action`: the action this
 * route approves (null for a plain route).
 */
export class ProofActionMismatchError extends TwoFactorError {
  constructor(readonly action: string | null) {
    super('proof_action_mismatch', { key: 'error.proof_action_mismatch.message' }, { action });
  }
}
