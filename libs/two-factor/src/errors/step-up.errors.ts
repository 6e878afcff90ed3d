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
