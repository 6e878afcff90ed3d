import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import { invalidField, NotFoundError, ValidationFailedError } from '../errors/request.errors.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import type { Challenge, UserConfigChange } from '../method-api/backend.js';
import { changeUserConfig } from './backend-binder.js';
import type {
  BoundBackend,
  Caller,
  CheckResult,
  ConfirmedState,
  ConfirmInput,
  MakeBackendInput,
  OnConfirmed,
  RequestConfirmationInput,
  UseOptions,
} from './confirmer.types.js';
import type { AuditTrail } from '../events/audit-trail.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import type { AnswerJudge } from './answer.judge.js';
import type { BackendBinder } from './backend-binder.js';
import type { ConfirmationRequester } from './confirmation.requester.js';
import type { ExpiryStore } from '../persistence/expiry.store.js';
import type { JoinedConfirmation } from '../persistence/joined-confirmation.js';
import type { MethodConfigCache } from './method-config.cache.js';
import { allowedMethods, type ProofRefusal, type ProofService, type SpentProofResult } from './proof.service.js';
import type { ProofPolicy } from '../rules/step-up-policy.js';
import type { UserConfigStore } from '../persistence/user-config.store.js';

/** The injected pieces every ConfirmerEngine shares, whatever its registry. */
export interface ConfirmerParts {
  readonly binder: BackendBinder;
  readonly requester: ConfirmationRequester;
  readonly judge: AnswerJudge;
  readonly proofs: ProofService;
  readonly userConfigs: UserConfigStore;
  readonly methodConfigs: MethodConfigCache;
  readonly expiry: ExpiryStore;
  readonly audit: AuditTrail;
  readonly options: ResolvedTwoFactorOptions;
  /** The confirmer of another registry, from the same factory. */
  confirmerFor(registry: MethodRegistry): ConfirmerEngine;
}

/**
 * The engine behind `ConfirmerService`: the seed's nine operations over one method
 * registry with their INTERNAL results (entities with their private `state`, challenges
 * with their debug code), each handed to the piece that owns it (binding, requesting,
 * judging, proofs). Every state change is one conditional statement whose returned rows
 * decide, so racing callers cannot both win; see CONTRIBUTING.md "SQL per operation" for the
 * statement counts. Not exported: the module's own code uses it; host code gets
 * `ConfirmerService` (public-api/confirmer.service.ts), which maps every result to a public view.
 * Made by `ConfirmerFactory`.
 */
export class ConfirmerEngine {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly parts: ConfirmerParts,
  ) {}

  /** A confirmer that offers the methods of another, hand-built registry, sharing everything else. */
  withRegistry(registry: MethodRegistry): ConfirmerEngine {
    return this.parts.confirmerFor(registry);
  }

  /** The registered method keys. */
  getMethods(): string[] {
    return this.registry.keys();
  }

  /** Active method configs of registered methods with a valid global config, by id. */
  async getMethodConfigs(): Promise<MethodConfig[]> {
    return (await this.parts.methodConfigs.active()).filter((config) => this.parts.binder.isOffered(this.registry, config));
  }

  /** The user's configs of active, registered methods (any status), with `method_config` loaded. */
  async getUserConfigs(userId: string): Promise<UserConfig[]> {
    return (await this.parts.userConfigs.listOwn(userId)).filter((config) => config.method_config && this.registry.has(config.method_config.method));
  }

  /**
   * The backend of a method config (taken from `userConfig.method_config` when only
   * the user config is given), with its global config validated into the method's DTO.
   * @returns null when the method is not registered or its config is invalid, if `shouldRaise` is false.
   * @throws NotFoundError when `shouldRaise` (the default) and no backend can be made.
   */
  makeBackend(input: MakeBackendInput, shouldRaise?: true): Promise<BoundBackend>;
  makeBackend(input: MakeBackendInput, shouldRaise: boolean): Promise<BoundBackend | null>;
  async makeBackend(input: MakeBackendInput, shouldRaise = true): Promise<BoundBackend | null> {
    const methodConfig = input.methodConfig ?? input.userConfig?.method_config;
    if (!methodConfig) {
      if (shouldRaise) throw new NotFoundError('Method config');
      return null;
    }
    const bindInput = { ...input, methodConfig };
    return shouldRaise ? this.parts.binder.bind(this.registry, bindInput) : this.parts.binder.tryBind(this.registry, bindInput);
  }

  /**
   * Validates `input` against the method's user-config DTO and asks the backend
   * what to store and whether the change must be confirmed. Like the seed, it
   * writes the new config onto `instance` and does not save it.
   */
  changeUserConfig(instance: UserConfig, input: unknown, bound: BoundBackend): Promise<UserConfigChange<Record<string, unknown>>> {
    return changeUserConfig(instance, input, bound);
  }

  /**
   * Issues a confirmation for a user config (the caller's own) or a method config.
   * A user-config request voids every older pending code of that factor. Its purpose
   * (`input.purpose`) is fixed now: by default `enrollment` for a factor not confirmed
   * yet, else `step_up` (see `ConfirmationPurpose`). Statements: 2.
   * @throws EmptyConfigError when neither id is given; NotFoundError for an unknown,
   * inactive or someone else's config; WrongConfigError when the two ids disagree.
   */
  requestConfirmation(input: RequestConfirmationInput): Promise<{ confirmation: ConfirmationState; challenge: Challenge }> {
    return this.parts.requester.request(this.registry, input);
  }

  /**
   * Judges the user's answer. On success the confirmation becomes `confirmed`
   * (a one-time proof valid for `proofTtlSeconds`); on a wrong code its attempt
   * counter grows, and at `maxAttempts` it locks. Only a confirmation issued for
   * `input.purpose` (default `step_up`) is judged: another is "not found". Statements: 3 on success for a
   * factor's confirmation (the third records its use), 2 for a method-level one.
   * @throws NotFoundError, WrongConfigError, AlreadyConfirmedError, ConfirmationLockedError,
   * ConfirmationExpiredError, ConfirmationFailedError (with the attempts left).
   * `read`: the confirmation as the module's own caller already read it with another row (the sign-in's
   * second step), so the judge does not read it again; the same visibility rule applies. Never a host's.
   */
  confirm(input: ConfirmInput, onConfirmed?: OnConfirmed, read?: JoinedConfirmation | null): Promise<ConfirmedState> {
    // Checked before anything is read or counted: a confirm without an answer spends no attempt, whoever calls.
    assertAnswer(input.data);
    return this.parts.judge.confirm(this.registry, input, onConfirmed, read);
  }

  /** Whether the confirmation is a usable proof right now (a sign-in confirmation is not shown: `confirmation: null`). Statements: 1. */
  check(input: { id: string } & Caller): Promise<CheckResult> {
    return this.parts.proofs.check(this.registry, input);
  }

  /**
   * Spends an available step-up proof (never a sign-in or enrolment confirmation); however many callers
   * race, at most one gets `used: true`. `input.policy` is decided in the same statement (see
   * `ProofService.use`); without one only a plain proof is spent. Statements: 1.
   */
  use(input: { id: string } & Caller & UseOptions, manager?: EntityManager): Promise<SpentProofResult> {
    return this.parts.proofs.use(this.registry, input, manager);
  }

  /** Why `use` with the same input spent nothing (one SELECT, nothing changes): see `ProofService.refusal`. */
  refusal(input: { id: string } & Caller & UseOptions): Promise<ProofRefusal> {
    return this.parts.proofs.refusal(this.registry, input);
  }

  /** The registered methods `policy` lets pass. */
  allowedMethods(policy: ProofPolicy): string[] {
    return allowedMethods(this.registry, policy);
  }

  /**
   * Deletes expired confirmations (locked ones included: they keep their expiry)
   * and finished rate windows, `purgeBatchSize` rows per statement so that no
   * statement holds its locks for long. Returns how many confirmations went.
   */
  async purgeExpired(now = Date.now()): Promise<number> {
    const batch = this.parts.options.purgeBatchSize;
    const total = await this.parts.expiry.purge('two_factor_confirmation', now, batch);
    await this.parts.expiry.purge('two_factor_rate_counter', now, batch);
    this.parts.audit.emit(TwoFactorEvent.ConfirmationsPurged, { userId: null, count: total });
    return total;
  }
}

/** `data` is the user's answer (`{code: …}`, an assertion): an object, else 400 `validation_failed`. */
function assertAnswer(data: unknown): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ValidationFailedError([invalidField('data', 'validation.answer_missing')]);
}
