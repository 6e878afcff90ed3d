import { TwoFactorEvent, type TwoFactorEventName } from '../events/two-factor.events.js';

/**
 * The one table of a user config's life (issue 18). Every change to a factor's
 * status, active flag, config, default flag or existence is one of these
 * transitions, applied by `FactorLifecycleService` inside one transaction; no
 * other code writes those columns (the statements live in `factor.store.ts`,
 * which only this folder imports).
 *
 * - `proof`: `protected` — when the user is protected (two-factor on, or an
 *   available factor), the caller must spend a step-up proof of one of the
 *   user's factors that were available before the change; `unproven-free` — as
 *   `protected`, except for a factor whose config was never proven (an abandoned
 *   enrolment or re-key), which can go without one; `unvouched` — only when the
 *   factor's config was set before two-factor went on for the user (so without
 *   a proof) and another factor is available now; `never` — the admin or the
 *   engine acts, or nothing becomes usable.
 * - `revokes`: the user's remembered devices and pending sign-ins are deleted
 *   and the factor's unused confirmations and proofs voided (its proofs deleted,
 *   its challenge number moved on so pending codes answer 410), in the same transaction.
 * - `event`: the audit event emitted after the commit.
 */
export interface TransitionRule {
  readonly by: 'user' | 'admin' | 'engine';
  readonly proof: 'protected' | 'unproven-free' | 'unvouched' | 'never';
  readonly revokes: boolean;
  readonly event: TwoFactorEventName | null;
}

export const FACTOR_TRANSITIONS = {
  /** The user adds a factor (`in_process` until proven, or `confirmed` when the method needs no proof). */
  enrol: { by: 'user', proof: 'protected', revokes: true, event: TwoFactorEvent.UserConfigCreated },
  /**
   * The user answers the confirmation issued for the factor's current config: `confirmed`, two-factor on.
   * `unvouched`: a proof only when the config was set before two-factor went on (then without one).
   */
  confirm: { by: 'user', proof: 'unvouched', revokes: true, event: TwoFactorEvent.UserConfigConfirmed },
  /** The user gives the factor a new config, in any status: `in_process` (or `confirmed` when the method needs no proof), failures forgotten. */
  rekey: { by: 'user', proof: 'protected', revokes: true, event: TwoFactorEvent.UserConfigChanged },
  /** The user switches a factor back on. */
  activate: { by: 'user', proof: 'protected', revokes: true, event: TwoFactorEvent.UserConfigChanged },
  /** The user switches a factor off; the last available one, with a proof, turns two-factor off. */
  deactivate: { by: 'user', proof: 'protected', revokes: true, event: TwoFactorEvent.UserConfigChanged },
  /** The user moves the default flag (to or from this factor). */
  set_default: { by: 'user', proof: 'protected', revokes: true, event: TwoFactorEvent.UserConfigChanged },
  /** The user changes the title only: nothing about the factor's strength changes. */
  rename: { by: 'user', proof: 'never', revokes: false, event: TwoFactorEvent.UserConfigChanged },
  /** The user deletes a factor; the last available one, with a proof, turns two-factor off. */
  remove: { by: 'user', proof: 'unproven-free', revokes: true, event: TwoFactorEvent.UserConfigDeleted },
  /** 100 consecutive wrong codes: `locked`; its proofs go, its pending codes answer `factor_locked` (the unlock voids them). */
  lock: { by: 'engine', proof: 'never', revokes: true, event: TwoFactorEvent.UserConfigDisabled },
  /** A right answer whose backend stores a new form of the factor (e.g. a WebAuthn sign counter): a use, not a change. */
  record_use: { by: 'engine', proof: 'never', revokes: false, event: null },
  /** An admin ends a lockout: the factor is back as it was (`confirmed` when it had been proven), failures cleared. */
  admin_unlock: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.AdminUserConfigUnlocked },
  /** An admin switches a factor off (lost device). Two-factor stays on. */
  admin_deactivate: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.AdminUserConfigDeactivated },
  /** An admin deletes a factor. Two-factor stays on, even when it was the last. */
  admin_remove: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.AdminUserConfigDeleted },
  /** An admin removes two-factor for the user: every factor deleted, two-factor off; the password alone signs in again. */
  admin_remove_two_factor: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.AdminTwoFactorRemoved },
  /** An admin switches a method config off: each of its factors is unavailable from then on. */
  method_config_deactivate: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.MethodConfigDeactivated },
  /** An admin deletes a method config with cascade: each of its factors is deleted. Two-factor stays on. */
  method_config_cascade_delete: { by: 'admin', proof: 'never', revokes: true, event: TwoFactorEvent.MethodConfigDeleted },
  /**
   * Issue 22: the user adds a factor inside a pending sign-in whose enrolment a recovery (its wait over) or an
   * admin's access code opened. No proof (the open enrolment stands for it) and no revocation yet: the factor
   * stays `in_process`, usable for nothing, until `recovery_complete`.
   */
  recovery_enrol: { by: 'user', proof: 'never', revokes: false, event: TwoFactorEvent.UserConfigCreated },
  /**
   * Issue 22: the factor enrolled inside the pending sign-in is proven: `confirmed`, every other factor of the
   * user deleted, two-factor on, devices and pending sign-ins revoked — in the transaction that completes the sign-in.
   */
  recovery_complete: { by: 'user', proof: 'never', revokes: true, event: TwoFactorEvent.RecoveryCompleted },
} as const satisfies Record<string, TransitionRule>;

export type FactorTransition = keyof typeof FACTOR_TRANSITIONS;

/** The rule of a transition. */
export function ruleOf(transition: FactorTransition): TransitionRule {
  return FACTOR_TRANSITIONS[transition];
}

/**
 * Whether the transition must spend a proof: only a protected user (two-factor
 * on, or an available factor) is asked, and `unproven-free` lets a never-proven factor go.
 */
export function needsProof(transition: FactorTransition, facts: { protectedUser: boolean; factorProven: boolean; configVouched?: boolean }): boolean {
  const { proof } = ruleOf(transition);
  if (proof === 'never' || !facts.protectedUser) return false;
  if (proof === 'unvouched') return facts.configVouched === false;
  return proof === 'protected' || facts.factorProven;
}
