import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import { UserConfig } from '../entities/user-config.entity.js';
import { NotFoundError, ValidationFailedError } from '../errors/request.errors.js';
import { FactorNotAllowedError, ProofActionMismatchError, ProofTooOldError, TwoFactorRequiredError, type AvailableFactor } from '../errors/step-up.errors.js';
import { TwoFactorEnrollmentRequiredError } from '../errors/sign-in.errors.js';
import type { ProofPolicy } from '../rules/step-up-policy.js';
import { factorTitle } from './factor-title.js';
import type { FactorTransition } from './factor-lifecycle.js';
import { toPublicFactor, type PublicFactor } from './public-factor.js';
import { FactorLifecycleService } from './factor-lifecycle.service.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { userConfigEvent } from '../confirmations/audit-events.js';
import { withUserConfig } from '../confirmations/backend-binder.js';
import { ChallengeIssuer } from '../confirmations/challenge.issuer.js';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import type { BoundBackend, Caller, Issued } from '../confirmations/confirmer.types.js';
import { MethodConfigCache } from '../confirmations/method-config.cache.js';
import { UserConfigStore } from '../persistence/user-config.store.js';
import type { FactorPatch } from '../persistence/factor.store.js';

export interface CreateUserConfigInput {
  methodConfigId: number;
  config: unknown;
  title?: string;
  isActive?: boolean;
  isDefault?: boolean;
}

/** A spent step-up proof: the confirmation as it was, its method, and what it says about the factor (RFC 8176 `amr`). */
export interface SpentProof {
  confirmation: ConfirmationState;
  method: string;
  amr: string[];
  phishing_resistant: boolean;
}

/** A step-up proof: the id of a confirmed confirmation of one of the user's own available factors. */
export interface StepUp {
  proofId?: string;
}

export interface UpdateUserConfigInput {
  config?: unknown;
  title?: string;
  isActive?: boolean;
  isDefault?: boolean;
}

/**
 * A saved user config as the user may see it, with the id of the confirmation to
 * prove it (if one is needed) and the one-time enrolment data (shown once, then gone).
 */
export interface UserConfigChangeResult {
  item: PublicFactor;
  confirmationId: string | null;
  enrollment: Record<string, unknown> | null;
}

/**
 * A user's own factors: enrol, prove, change, remove. Every change that writes
 * more than one row runs in one transaction; sending a code happens only after
 * it commits.
 */
@Injectable()
export class UserConfigService {
  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly registry: MethodRegistry,
    private readonly issuer: ChallengeIssuer,
    private readonly store: UserConfigStore,
    private readonly methodConfigs: MethodConfigCache,
    private readonly audit: AuditTrail,
    private readonly lifecycle: FactorLifecycleService,
  ) {}

  /** The user's factors of active, registered methods, as the user may see them. */
  async list(userId: string): Promise<PublicFactor[]> {
    return Promise.all((await this.confirmer.getUserConfigs(userId)).map((item) => this.publicView(item)));
  }

  /** The user's own factor `id`, as the user may see it. @throws NotFoundError when missing or someone else's. */
  async findOwn(userId: string, id: number): Promise<PublicFactor> {
    return this.publicView(await this.own(userId, id));
  }

  /** The public view of a stored factor (`method_config` loaded). */
  private async publicView(item: UserConfig): Promise<PublicFactor> {
    const methodConfig = item.method_config;
    if (!methodConfig) throw new NotFoundError('Method config');
    return toPublicFactor(item, methodConfig, await this.confirmer.makeBackend({ methodConfig, userConfig: item }));
  }

  /** The user's own stored config `id`, with `method_config` loaded. @throws NotFoundError when missing or someone else's. */
  private async own(userId: string, id: number): Promise<UserConfig> {
    const found = await this.store.findOwn(userId, id);
    if (!found?.method_config?.is_active || !this.registry.has(found.method_config.method)) throw new NotFoundError('User config');
    return found;
  }

  /** The user's factors that can prove a step-up: confirmed, active, of an active registered method. Ids and methods only. */
  availableFactors(userId: string): Promise<AvailableFactor[]> {
    return this.lifecycle.availableFactors(userId);
  }

  /**
   * Uses up a step-up proof of `userId` that meets `policy` (allowed methods, maximum age, the
   * operation it approves; `{}`: any factor, a plain proof), decided by the one statement that
   * spends it: a proof that fails the policy is not spent. However many callers race with one
   * proof, one gets through.
   * @throws FactorNotAllowedError, ProofTooOldError, ProofActionMismatchError for a proof of this
   * user that fails the policy (read after the statement, to explain it); TwoFactorRequiredError
   * listing the user's factors that qualify, or TwoFactorEnrollmentRequiredError (the method
   * configs that would) when the policy restricts methods and none of the user's qualifies.
   */
  async spendProof(userId: string, proofId: string | undefined, caller: Caller = {}, policy: ProofPolicy = {}): Promise<SpentProof> {
    if (proofId) {
      // Named, not spread: this runs for every guarded request.
      const use = { clientIp: caller.clientIp, language: caller.language, extra: caller.extra, id: proofId, userId, requireFactor: true, policy };
      const spent = await this.confirmer.use(use);
      if (spent.used && spent.confirmation && spent.method !== undefined) {
        return { confirmation: spent.confirmation, method: spent.method, amr: spent.amr ?? [], phishing_resistant: spent.phishing_resistant === true };
      }
      const refusal = await this.confirmer.refusal(use);
      if (refusal === 'proof_action_mismatch') throw new ProofActionMismatchError(policy.action ?? null);
      if (refusal === 'proof_too_old') throw new ProofTooOldError(policy.maxAgeSeconds!);
      if (refusal === 'factor_not_allowed') throw new FactorNotAllowedError(await this.qualifyingFactors(userId, policy));
    }
    throw new TwoFactorRequiredError(await this.qualifyingFactors(userId, policy));
  }

  /**
   * The user's available factors that `policy` lets pass. @throws TwoFactorEnrollmentRequiredError,
   * listing the method configs that would qualify, when the policy restricts methods and none does.
   */
  private async qualifyingFactors(userId: string, policy: ProofPolicy): Promise<AvailableFactor[]> {
    const allowed = this.confirmer.allowedMethods(policy);
    const factors = (await this.availableFactors(userId)).filter((factor) => allowed.includes(factor.method));
    const restricted = policy.methods !== undefined || policy.phishingResistant === true;
    if (factors.length > 0 || !restricted) return factors;
    const methods = (await this.confirmer.getMethodConfigs())
      .filter((config) => allowed.includes(config.method))
      .map((config) => ({
        method_config_id: config.id,
        method: config.method,
        title: factorTitle(undefined, config.title, this.registry.get(config.method)?.verboseName ?? config.method),
      }));
    throw new TwoFactorEnrollmentRequiredError(methods);
  }

  /** The backend of a user config, for its public view and its hooks. */
  bind(userConfig: UserConfig, caller: Caller = {}): Promise<BoundBackend> {
    return this.confirmer.makeBackend({ ...caller, userConfig });
  }

  /**
   * Enrols the user in a method config. When the backend wants the new value
   * proven, the config starts `in_process` with a confirmation issued for it.
   */
  async create(
    userId: string,
    input: CreateUserConfigInput,
    caller: Caller = {},
    stepUp: StepUp = {},
    /** `recovery_enrol`: inside a pending sign-in whose enrolment is open (issue 22): no proof, and the method must prove the new value. */
    transition: 'enrol' | 'recovery_enrol' = 'enrol',
  ): Promise<UserConfigChangeResult> {
    const methodConfig = await this.methodConfigs.find(input.methodConfigId);
    if (!methodConfig || !this.registry.has(methodConfig.method)) throw new NotFoundError('Method config');
    const now = new Date();
    const item = Object.assign(new UserConfig(), {
      title: input.title ?? '',
      method_config_id: methodConfig.id,
      user_id: userId,
      is_active: input.isActive ?? true,
      is_default: input.isDefault ?? false,
      replay_guard: 0,
      challenge_seq: 0,
      confirmed_at: null as Date | null,
      config_set_at: now as Date | null,
      last_used_at: null as Date | null,
      created_at: now,
      updated_at: now,
    });
    const bound = await this.confirmer.makeBackend({ ...caller, userId, methodConfig });
    const change = await this.confirmer.changeUserConfig(item, input.config, bound);
    // Only a proven factor may replace every other one: a method that proves nothing cannot complete a recovery.
    if (transition === 'recovery_enrol' && !change.needsConfirmation) {
      throw new ValidationFailedError([{ field: 'method_config_id', message: 'This method proves nothing: enrol one that sends or checks a code.' }]);
    }
    item.status = change.needsConfirmation ? Status.InProcess : Status.Confirmed;
    if (change.needsConfirmation) item.challenge_seq = 1;
    // Adding a factor needs proof from an existing one (the lifecycle's table): else a stolen session could enrol its own.
    const issued = await this.lifecycle.applyForUser(
      [transition],
      { userId, proofId: stepUp.proofId, caller },
      null,
      async ({ manager, store }) => {
        // A method that needs no proof of the value (none built in) gives a factor that is confirmed, hence proven, at once.
        if (!change.needsConfirmation) item.confirmed_at = now;
        await store.insert(manager, item);
        if (!change.needsConfirmation) await store.enable(manager, userId, now.getTime());
        if (item.is_default) await store.clearOtherDefaults(manager, item);
        return change.needsConfirmation ? this.issueFor(manager, item, bound) : null;
      },
      () => userConfigEvent(Object.assign(item, { method_config: methodConfig }), caller),
    );
    item.method_config = methodConfig;
    return this.finish(item, issued, change.enrollment);
  }

  /**
   * Confirms the user's config with the confirmation issued for it, in one
   * transaction: the confirmation is spent and the config becomes `confirmed`
   * (the lifecycle's `confirm`: two-factor on, devices and pending sign-ins revoked).
   * @throws NotFoundError, WrongConfigError and every error of `ConfirmerService.confirm`.
   */
  async confirm(
    userId: string,
    input: { id: number; confirmationId: string; data: Record<string, unknown> },
    caller: Caller = {},
    stepUp: StepUp = {},
  ): Promise<PublicFactor> {
    const item = await this.own(userId, input.id);
    const confirm = { ...caller, userId, id: input.confirmationId, data: input.data, userConfigId: item.id, purpose: ConfirmationPurpose.Enrollment };
    await this.confirmer.confirm(confirm, (manager) => this.lifecycle.confirmInside(manager, item, { proofId: stepUp.proofId, caller }));
    this.audit.emit(TwoFactorEvent.UserConfigConfirmed, userConfigEvent(item, caller));
    // Re-read rather than patch in memory: a backend's claim may have moved replay_guard, which public views show.
    return this.findOwn(userId, item.id);
  }

  /**
   * Changes title, activity, default flag and/or config — each a transition of
   * the lifecycle's table, which decides the proof and the revocations. A config
   * change the backend wants proven puts the factor back to `in_process` and
   * issues a new confirmation; every older one is void.
   */
  async update(userId: string, id: number, input: UpdateUserConfigInput, caller: Caller = {}, stepUp: StepUp = {}): Promise<UserConfigChangeResult> {
    const item = await this.own(userId, id);
    const transitions: FactorTransition[] = [];
    if (input.config !== undefined) transitions.push('rekey');
    if (input.isActive !== undefined && input.isActive !== item.is_active) transitions.push(input.isActive ? 'activate' : 'deactivate');
    if (input.isDefault !== undefined && input.isDefault !== item.is_default) transitions.push('set_default');
    transitions.push('rename');
    const patch: FactorPatch = { updated_at: new Date() };
    if (input.title !== undefined) patch.title = input.title;
    if (input.isActive !== undefined) patch.is_active = input.isActive;
    if (input.isDefault !== undefined) patch.is_default = input.isDefault;
    let bound: BoundBackend | undefined;
    let enrollment: Record<string, unknown> | undefined;
    let reprove = false;
    if (input.config !== undefined) {
      bound = await this.bind(item, { ...caller, userId });
      const change = await this.confirmer.changeUserConfig(item, input.config, bound);
      patch.config = item.config;
      if (change.resetReplayGuard) patch.replay_guard = 0;
      enrollment = change.enrollment;
      reprove = change.needsConfirmation;
      // A new config is unproven until confirmed, whatever the factor's status was (locked included).
      patch.status = reprove ? Status.InProcess : Status.Confirmed;
    }
    const proven = item.confirmed_at !== null && item.confirmed_at !== undefined;
    const issued = await this.lifecycle.applyForUser(
      transitions,
      { userId, proofId: stepUp.proofId, caller },
      { id: item.id, proven },
      async ({ manager, store, challengeSeq }) => {
        await store.update(manager, item.id, patch, input.config !== undefined && reprove);
        // Enrolling anew (a new config) ends a lockout and its run of failures.
        if (input.config !== undefined) await store.forgetFailures(manager, item.id);
        if (input.config !== undefined && !reprove) await store.markConfirmed(manager, item.id, Date.now());
        Object.assign(item, patch);
        if (challengeSeq !== null) item.challenge_seq = challengeSeq;
        if (patch.is_default) await store.clearOtherDefaults(manager, item);
        return reprove && bound ? this.issueFor(manager, item, bound) : null;
      },
      () => userConfigEvent(item, caller),
    );
    return this.finish(item, issued, enrollment);
  }

  /**
   * Deletes the user's config with its confirmations. A proven one needs a
   * step-up proof when the user is protected; removing the last factor with a
   * proof turns two-factor off.
   */
  async remove(userId: string, id: number, caller: Caller = {}, stepUp: StepUp = {}): Promise<void> {
    const item = await this.own(userId, id);
    const proven = item.confirmed_at !== null && item.confirmed_at !== undefined;
    await this.lifecycle.removeForUser({ userId, proofId: stepUp.proofId, caller }, { id, proven }, () => userConfigEvent(item, caller));
  }

  /** Issues and stores the confirmation for `item`'s current value inside the transaction. */
  private issueFor(manager: EntityManager, item: UserConfig, bound: BoundBackend): Promise<Issued> {
    return this.issuer.issue(withUserConfig(bound, item), ConfirmationPurpose.Enrollment, item.challenge_seq, undefined, manager);
  }

  private async finish(item: UserConfig, issued: Issued | null, enrollment: Record<string, unknown> | undefined): Promise<UserConfigChangeResult> {
    if (issued) await this.issuer.deliver(issued);
    return { item: await this.publicView(item), confirmationId: issued?.confirmation.id ?? null, enrollment: enrollment ?? null };
  }
}
