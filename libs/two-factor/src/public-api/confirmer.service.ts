import type { EntityManager } from 'typeorm';
import type { UserConfigChange } from '../method-api/backend.js';
import type { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import type { BoundBackend, Caller, ConfirmInput, MakeBackendInput, RequestConfirmationInput, UseOptions } from '../confirmations/confirmer.types.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import type { PublicViewMapper } from './public-view.mapper.js';
import type { PublicConfirmation, PublicMethodConfig, PublicSpentProof, PublicUserConfig } from './public-views.js';
import type { UserConfigService } from '../factors/user-config.service.js';
import type { ProofPolicy } from '../rules/step-up-policy.js';
import { TwoFactorSetupError } from '../errors/setup.errors.js';

/** What `check` answers: whether the confirmation is a usable proof now, and its public view. */
export interface CheckResult {
  available: boolean;
  /** Null when there is no such confirmation, or the caller may not see it. */
  confirmation: PublicConfirmation | null;
}

/** What `use` answers: whether this caller spent the proof, and its public view. */
export interface UseResult {
  used: boolean;
  confirmation: PublicConfirmation | null;
}

/** What `changeUserConfig` answers: the private form it stores went onto the instance, never into this result. */
export type PublicUserConfigChangeResult = Omit<UserConfigChange<unknown>, 'config'>;

/**
 * The seed's confirmer (docs/guide/step-up.md, "ConfirmerService"): its nine operations with the seed's meaning,
 * for host code. Every result is a public view (`public-views.ts`): a confirmation
 * never carries its `state` or a code, a user config only the method's public view of
 * its config, a method config never its global config. A debug code is never returned
 * here (only the module's own `confirmation/request/` route shows it, with `debugCodeResponse`).
 *
 * `makeBackend` and `changeUserConfig` are for METHOD AUTHORS (tests of a backend, a
 * host's own enrolment flow): they hand over the method's machinery — the backend and its
 * context with the key ring and the private stored config — not a result to show.
 * Never serialise what they return or the instance `changeUserConfig` writes onto.
 */
export class ConfirmerService {
  constructor(
    private readonly engine: ConfirmerEngine,
    private readonly views: PublicViewMapper,
    private readonly registry: MethodRegistry,
    private readonly stepUp?: UserConfigService,
  ) {}

  /** A confirmer that offers the methods of another, hand-built registry, sharing everything else. */
  withRegistry(registry: MethodRegistry): ConfirmerService {
    return new ConfirmerService(this.engine.withRegistry(registry), this.views, registry, this.stepUp);
  }

  /** The registered method keys. */
  getMethods(): string[] {
    return this.engine.getMethods();
  }

  /** Active method configs of registered methods with a valid global config, by id; `language` translates verbose names. */
  async getMethodConfigs(language?: string): Promise<PublicMethodConfig[]> {
    return (await this.engine.getMethodConfigs()).map((config) => this.views.methodConfigItem(config, language, this.registry));
  }

  /** The user's configs of active, registered methods (any status), as the user may see them. */
  async getUserConfigs(userId: string, language?: string): Promise<PublicUserConfig[]> {
    const configs = await this.engine.getUserConfigs(userId);
    return Promise.all(configs.map((config) => this.views.userConfigItem(config, language, this.registry)));
  }

  /**
   * For method authors: the backend of a method config (or of `userConfig.method_config`),
   * with its global config validated. Its context holds the key ring and the private
   * stored config: use it, never show it. @throws NotFoundError when `shouldRaise` (the default).
   */
  makeBackend(input: MakeBackendInput, shouldRaise?: true): Promise<BoundBackend>;
  makeBackend(input: MakeBackendInput, shouldRaise: boolean): Promise<BoundBackend | null>;
  makeBackend(input: MakeBackendInput, shouldRaise = true): Promise<BoundBackend | null> {
    return this.engine.makeBackend(input, shouldRaise);
  }

  /**
   * For method authors: validates `input` against the method's user-config DTO and, like the
   * seed, writes the new (private) config onto `instance` without saving it. Answers whether
   * it must be confirmed and the one-time enrolment display — never the stored form.
   */
  async changeUserConfig(instance: UserConfig, input: unknown, bound: BoundBackend): Promise<PublicUserConfigChangeResult> {
    const { config: _stored, ...change } = await this.engine.changeUserConfig(instance, input, bound);
    return change;
  }

  /**
   * Issues a confirmation for a user config (the caller's own) or a method config, and
   * sends its code where the method sends one. Answers its public view with the challenge's
   * public part (a masked destination, WebAuthn options). Statements: 2.
   * @throws EmptyConfigError, NotFoundError, WrongConfigError, FactorLockedError, RateLimitedError, DeliveryFailedError
   */
  async requestConfirmation(input: RequestConfirmationInput): Promise<PublicConfirmation> {
    const { confirmation, challenge } = await this.engine.requestConfirmation(input);
    return this.views.confirmation(confirmation, false, challenge);
  }

  /**
   * Judges the user's answer (`data`, e.g. `{code}`; missing → ValidationFailedError, no attempt spent).
   * @throws NotFoundError, WrongConfigError, AlreadyConfirmedError, ConfirmationLockedError,
   * ConfirmationExpiredError, ConfirmationFailedError (with the attempts left).
   */
  async confirm(input: ConfirmInput): Promise<PublicConfirmation> {
    return this.views.confirmation(await this.engine.confirm(input), true);
  }

  /** Whether the confirmation is a usable proof right now. Statements: 1. */
  async check(input: { id: string } & Caller): Promise<CheckResult> {
    const { available, confirmation } = await this.engine.check(input);
    return { available, confirmation: confirmation ? this.views.confirmation(confirmation, available) : null };
  }

  /**
   * Spends an available confirmation; however many callers race, at most one gets `used: true`.
   * `policy` (allowed methods, maximum age, the operation) is part of the same statement; without
   * one only a plain proof (requested without an action) is spent. Statements: 1.
   */
  async use(input: { id: string } & Caller & UseOptions, manager?: EntityManager): Promise<UseResult> {
    const { used, confirmation } = await this.engine.use(input, manager);
    return { used, confirmation: confirmation ? this.views.confirmation(confirmation, false) : null };
  }

  /**
   * Spends a step-up proof of `userId` under a route's policy — what `@RequireTwoFactor(options)`
   * does, for a host's own guard (GraphQL, RPC) or service: get the options with
   * `readTwoFactorPolicy(context)` and the policy with `resolveTwoFactorPolicy(options, request)`,
   * or write the policy yourself. The policy is decided in the statement that spends the proof: a
   * refused proof is not spent. Answers the spent proof (method, factor, `confirmed_at`, action,
   * RFC 8176 `amr`: see `amrClaims`). Factor lists are the module's registry's.
   * @throws TwoFactorRequiredError (no proof, or no usable one; `available`: the user's qualifying
   * factors), TwoFactorEnrollmentRequiredError (the policy restricts methods and the user has none
   * that qualifies), FactorNotAllowedError, ProofTooOldError, ProofActionMismatchError.
   */
  async spendProof(input: { userId: string; id?: string; policy?: ProofPolicy } & Caller): Promise<PublicSpentProof> {
    if (!this.stepUp) throw new TwoFactorSetupError('ConfirmerService.spendProof needs the ConfirmerService that TwoFactorModule provides.');
    const { userId, id, policy, ...caller } = input;
    return this.views.spentProof(await this.stepUp.spendProof(userId, id, caller, policy ?? {}));
  }

  /** Deletes expired confirmations and finished rate windows; returns how many confirmations went. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.engine.purgeExpired(now);
  }
}
