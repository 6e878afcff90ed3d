import type { TwoFactorMessageKey, TwoFactorMessageParams } from '../i18n/messages.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Status } from '../entities/status.js';
import type { RateLimits } from './rate-limits.js';

/** A method config as its backend sees it: the global config already validated into its DTO. */
export interface MethodConfigView<G> {
  id: number;
  method: string;
  title: string;
  config: G;
}

/** A user config as its backend sees it: `config` is the backend's own stored (private) form. */
export interface UserConfigView<S> {
  id: number;
  userId: string;
  status: Status;
  config: S;
  replayGuard: number;
}

/** What every backend hook receives. */
export interface BackendContext<G = any, S = any> {
  methodConfig: MethodConfigView<G>;
  /** Absent for method-level confirmations and for enrolment of a new user config. */
  userConfig?: UserConfigView<S>;
  /** The signed-in user, or null for an anonymous request. */
  userId: string | null;
  /** Keyed hashing and encryption: use it for every code and secret you store. */
  secrets: SecretBox;
  /** Request and send limits kept in the database (e.g. per-destination caps against SMS pumping). */
  limits: RateLimits;
  clientIp?: string;
  /** The id the new confirmation will have (in `requestConfirmation`). */
  confirmationId?: string;
  /** Anything the caller of `ConfirmerService` passed along. */
  extra?: Record<string, unknown>;
  /**
   * The signed-in user's stored configs of this method (e.g. the passkeys already
   * registered, for `excludeCredentials`); absent for anonymous requests.
   */
  enrolled?: () => Promise<S[]>;
  /** The caller's language (the request's, or what the host passed to `ConfirmerService`), e.g. `de`; absent for English. */
  language?: string;
  /** A catalogue text in `language` through the host's `translate` option, or its English default. */
  text?: (key: TwoFactorMessageKey, params?: TwoFactorMessageParams) => string;
}

/** Result of `changeUserConfig`: what to store and whether the new value must be proven. */
export interface UserConfigChange<S> {
  /** The private form to store (hashes, encrypted seeds): never shown to clients. */
  config: S;
  /** True when the user must prove control of the new value before it counts. */
  needsConfirmation: boolean;
  /** One-time data to show the user now and never again (QR code, backup codes). */
  enrollment?: Record<string, unknown>;
  /** Start the single-use guard (`replayGuard`) afresh, e.g. for a new set of backup codes. */
  resetReplayGuard?: boolean;
}

/** Result of `requestConfirmation`: the private state to keep until the user answers. */
export interface Challenge {
  /** Backend-private state: store code *hashes* here (`ctx.secrets.hash`), never plain codes. */
  state: Record<string, unknown>;
  /** True when a code was sent out (email, SMS): its lifetime is capped at 10 minutes. */
  sent?: boolean;
  /** Shorter lifetime than the module's default, if the method wants one. */
  ttlSeconds?: number;
  /**
   * Sends the code (email, SMS) once the confirmation is safely stored. Called
   * after the transaction commits, so no message leaves for a row that does not
   * exist and no network call holds a transaction open.
   */
  deliver?: () => Promise<void>;
  /** The plain code, only so the module's opt-in debug response can show it in development. */
  debugCode?: string;
  /**
   * Public data the client needs to answer (WebAuthn request options, a masked
   * destination), returned as `challenge` by `confirmation/request/`. Never the
   * expected answer, a code or anything from `state` that is not public.
   */
  public?: Record<string, unknown>;
}

/**
 * A claim on the user config's single-use guard, applied atomically with the
 * confirmation: `after` passes only if the guard is below `value` (then sets it:
 * TOTP time steps); `bit` passes only if bit `index` is clear (then sets it: backup codes).
 */
export type SingleUseClaim = { kind: 'after'; value: number } | { kind: 'bit'; index: number };

/** What `confirm` answers: plain true/false, or an object that may also claim a single-use slot. */
export type Verdict = boolean | VerdictObject;

export interface VerdictObject {
  ok: boolean;
  claim?: SingleUseClaim;
  /**
   * On success, the user config's new stored (private) form, written in the same
   * transaction as the confirmation (e.g. the credential a WebAuthn registration proved).
   */
  config?: Record<string, unknown>;
  /**
   * A stable word for why the answer was refused — or, on a success whose claim
   * turns out to be spent, why that refusal matters (e.g. `counter_regressed`).
   * Carried by the `confirmation.failed` audit event; never shown to the client.
   */
  reason?: string;
}

/**
 * The class that does a method's work: turn a submitted config into a stored one,
 * issue a challenge, judge an answer. Subclasses are Nest providers, so they may
 * inject the host app's services (a mailer, a config service).
 *
 * `G` is the global config DTO, `U` what the user submits, `S` what is stored.
 */
export abstract class TwoFactorBackend<G = any, U = any, S = any> {
  /**
   * Turns what the user submitted into what is stored, and says whether it needs
   * confirming. `current` is the stored config being changed, or undefined on enrolment.
   */
  abstract changeUserConfig(input: U, current: S | undefined, ctx: BackendContext<G, S>): Promise<UserConfigChange<S>> | UserConfigChange<S>;

  /** Issues a challenge: generates and hashes a code; sending goes in the returned `deliver`. `data` is what the client sent along, if anything. */
  abstract requestConfirmation(data: Record<string, unknown> | undefined, ctx: BackendContext<G, S>): Promise<Challenge> | Challenge;

  /** Judges the user's answer against the stored state. Compare in constant time (`ctx.secrets.verify`). */
  abstract confirm(state: Record<string, unknown>, data: Record<string, unknown>, ctx: BackendContext<G, S>): Promise<Verdict> | Verdict;

  /** The view of a stored config that clients may see. Never include secrets. @default `{}` */
  publicConfig(_stored: S, _ctx: BackendContext<G, S>): Record<string, unknown> {
    return {};
  }

  /**
   * For a method whose factor is a set of single-use codes (backup codes): how many are left,
   * with `ctx.userConfig.replayGuard` as the guard after a use. A right answer's result and its
   * `two_factor.confirmation.confirmed` event carry it as `remaining`. @default null (no countable set)
   */
  remaining(_stored: S, _ctx: BackendContext<G, S>): number | null {
    return null;
  }
}
