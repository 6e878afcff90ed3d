import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { CheckedState } from '../persistence/rows.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import type { ConfirmationPurpose } from '../entities/purpose.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import type { OperationDetails, ProofPolicy } from '../rules/step-up-policy.js';
import type { MethodDescriptor } from '../method-api/method-descriptor.js';
import type { BackendContext, Challenge, TwoFactorBackend } from '../method-api/backend.js';

/** Who is asking, as every operation needs to know. */
export interface Caller {
  /** The signed-in user, or null/undefined when anonymous. */
  userId?: string | null;
  clientIp?: string;
  /** The language texts for this caller are rendered in (a sent code's email or SMS), e.g. `de`; English when absent. */
  language?: string;
  /** Passed to the backend as `ctx.extra`. */
  extra?: Record<string, unknown>;
}

export interface RequestConfirmationInput extends Caller {
  methodConfigId?: number;
  userConfigId?: number;
  /** What the client sent along for the backend (e.g. an address to verify). */
  data?: Record<string, unknown>;
  /**
   * What the confirmation is for, fixed now and stored with it (see `ConfirmationPurpose`).
   * By default `enrollment` for one of the user's factors that is not confirmed yet
   * (re-sending its enrolment code), else `step_up`. The module's sign-in passes `sign_in`.
   * Never take it from a client.
   */
  purpose?: ConfirmationPurpose;
  /**
   * The operation this confirmation approves (dynamic linking, docs/guide/step-up-policy.md): a
   * short name of `a-z0-9_.-` (1–64 characters). Its proof then passes only a route bound to this
   * action (`@RequireTwoFactor({ action })`) with the same `details`, and no other route.
   * Only for a step-up confirmation (of a confirmed factor, or method-level).
   */
  action?: string;
  /**
   * What is approved (with `action`): a flat object of at most 16 keys, values strings of at most
   * 256 characters or finite numbers. Stored as a keyed digest (what judges) and as given (what
   * `check` shows); sent codes name it, a WebAuthn challenge is bound to it. @default {}
   */
  details?: OperationDetails;
}

export interface ConfirmInput extends Caller {
  id: string;
  /** What the user typed, e.g. `{ code: '123456' }`. */
  data: Record<string, unknown>;
  /** When set, the confirmation must have been issued for this user config. */
  userConfigId?: number;
  /**
   * The path judging it (default `step_up`): a confirmation issued for another
   * purpose is "not found" here and nothing about it changes. The module's
   * enrolment passes `enrollment`, its sign-in `sign_in`. Never take it from a client.
   */
  purpose?: ConfirmationPurpose;
}

/** Options of `use`. */
export interface UseOptions {
  /**
   * Accept only a confirmation issued for one of the caller's own available user
   * configs — a real second factor — not a method-level one. Step-up checks use this.
   * (Whatever the options, only `step_up` confirmations are proofs: never a sign-in or enrolment one.)
   */
  requireFactor?: boolean;
  /**
   * What the route demands of the proof (allowed methods, maximum age, the operation it must
   * approve), decided in the same statement that spends it. Without it, as `{}`: any method, any
   * age within `proofTtlSeconds`, and only a plain proof (one requested without an action).
   */
  policy?: ProofPolicy;
}

/** A confirmed confirmation, as `confirm` answers it. */
export type ConfirmedState = ConfirmationState & {
  /** Confirmed with a single-use code of a set (backup codes): how many codes of the set are left after this one. */
  remaining?: number;
};

export interface CheckResult {
  available: boolean;
  /** Null when there is no such confirmation, or the caller may not see it. What a check reads of it: never its state. */
  confirmation: CheckedState | null;
}

export interface UseResult {
  used: boolean;
  confirmation: ConfirmationState | null;
}

/** A backend together with the context it works in. */
export interface BoundBackend {
  descriptor: MethodDescriptor;
  backend: TwoFactorBackend;
  context: BackendContext;
}

/** What binding needs of a method config (a `MethodConfig` entity is one). */
export type MethodConfigBinding = Pick<MethodConfig, 'id' | 'method' | 'title' | 'config'>;

/** What binding needs of a user config (a `UserConfig` entity is one). */
export type UserConfigBinding = Pick<UserConfig, 'id' | 'user_id' | 'status' | 'config' | 'replay_guard'>;

export interface MakeBackendInput extends Caller {
  methodConfig?: MethodConfig;
  userConfig?: UserConfig;
}

/** A challenge the backend issued, with the confirmation row that holds it. */
export interface Issued {
  confirmation: ConfirmationState;
  challenge: Challenge;
}

/** Work to run inside the transaction that confirms, e.g. marking an enrolment confirmed. */
export type OnConfirmed = (manager: EntityManager, confirmation: ConfirmationState) => Promise<void>;
