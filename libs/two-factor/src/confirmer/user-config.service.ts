import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import { UserConfig } from '../entities/user-config.entity.js';
import { DeviceStore } from '../devices/device.store.js';
import { NotFoundError } from '../errors/request.errors.js';
import { TwoFactorRequiredError, type AvailableFactor } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { MethodRegistry } from '../registry/method-registry.js';
import { userConfigEvent } from './audit-events.js';
import { withUserConfig } from './backend-binder.js';
import { ChallengeIssuer } from './challenge.issuer.js';
import { ConfirmationStore } from './confirmation.store.js';
import { ConfirmerService } from './confirmer.service.js';
import type { BoundBackend, Caller, Issued } from './confirmer.types.js';
import { MethodConfigCache } from './method-config.cache.js';
import { SqlRunner } from './sql-runner.js';
import { UserConfigStore, type UserConfigPatch } from './user-config.store.js';

export interface CreateUserConfigInput {
  methodConfigId: number;
  config: unknown;
  title?: string;
  isActive?: boolean;
  isDefault?: boolean;
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

/** A saved user config, with the confirmation to prove it (if one is needed) and the one-time enrolment data. */
export interface UserConfigChangeResult {
  item: UserConfig;
  confirmation: ConfirmationState | null;
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
    private readonly confirmer: ConfirmerService,
    private readonly registry: MethodRegistry,
    private readonly issuer: ChallengeIssuer,
    private readonly store: UserConfigStore,
    private readonly confirmations: ConfirmationStore,
    private readonly sql: SqlRunner,
    private readonly methodConfigs: MethodConfigCache,
    private readonly audit: AuditTrail,
    private readonly devices: DeviceStore,
  ) {}

  /** The user's configs of active, registered methods. */
  list(userId: string): Promise<UserConfig[]> {
    return this.confirmer.getUserConfigs(userId);
  }

  /** The user's own config `id`, with `method_config` loaded. @throws NotFoundError when missing or someone else's. */
  async findOwn(userId: string, id: number): Promise<UserConfig> {
    const found = await this.store.findOwn(userId, id);
    if (!found?.method_config?.is_active || !this.registry.has(found.method_config.method)) throw new NotFoundError('User config');
    return found;
  }

  /** The user's factors that can prove a step-up: confirmed, active, of an active registered method. Ids and methods only. */
  async availableFactors(userId: string): Promise<AvailableFactor[]> {
    const rows = await this.store.confirmedFactors(userId);
    return rows.filter((row) => this.registry.has(row.method)).map((row) => ({ id: row.id, method: row.method, title: row.title }));
  }

  /**
   * Uses up a step-up proof of `userId`. However many callers race with one
   * proof, one gets through. @throws TwoFactorRequiredError listing the user's available factors.
   */
  async spendProof(userId: string, proofId: string | undefined, caller: Caller = {}): Promise<ConfirmationState> {
    if (proofId) {
      const { confirmation } = await this.confirmer.use({ ...caller, id: proofId, userId, requireFactor: true });
      if (confirmation) return confirmation;
    }
    throw new TwoFactorRequiredError(await this.availableFactors(userId));
  }

  /** Inside a change's transaction: spends the proof when the user has factors to prove with. */
  private async stepUp(manager: EntityManager, userId: string, factors: AvailableFactor[], stepUp: StepUp, caller: Caller): Promise<void> {
    if (factors.length === 0) return;
    const spent = stepUp.proofId ? await this.confirmer.use({ ...caller, id: stepUp.proofId, userId, requireFactor: true }, manager) : { used: false };
    if (!spent.used) throw new TwoFactorRequiredError(factors);
  }

  /** The backend of a user config, for its public view and its hooks. */
  bind(userConfig: UserConfig, caller: Caller = {}): Promise<BoundBackend> {
    return this.confirmer.makeBackend({ ...caller, userConfig });
  }

  /**
   * Enrols the user in a method config. When the backend wants the new value
   * proven, the config starts `in_process` with a confirmation issued for it.
   */
  async create(userId: string, input: CreateUserConfigInput, caller: Caller = {}, stepUp: StepUp = {}): Promise<UserConfigChangeResult> {
    const methodConfig = await this.methodConfigs.find(input.methodConfigId);
    if (!methodConfig || !this.registry.has(methodConfig.method)) throw new NotFoundError('Method config');
    // Adding a factor needs proof from an existing one: else a stolen session could enrol its own and pass every step-up.
    const factors = await this.availableFactors(userId);
    const now = new Date();
    const item = Object.assign(new UserConfig(), {
      title: input.title ?? '',
      method_config_id: methodConfig.id,
      user_id: userId,
      is_active: input.isActive ?? true,
      is_default: input.isDefault ?? false,
      replay_guard: 0,
      challenge_seq: 0,
      created_at: now,
      updated_at: now,
    });
    const bound = await this.confirmer.makeBackend({ ...caller, userId, methodConfig });
    const change = await this.confirmer.changeUserConfig(item, input.config, bound);
    item.status = change.needsConfirmation ? Status.InProcess : Status.Confirmed;
    if (change.needsConfirmation) item.challenge_seq = 1;

    const issued = await this.sql.transaction(async (manager) => {
      await this.stepUp(manager, userId, factors, stepUp, caller);
      await this.store.insert(manager, item);
      // A factor added: remembered devices must pass the second step again.
      await this.devices.removeAll(userId, manager);
      if (item.is_default) await this.store.clearOtherDefaults(manager, item);
      return change.needsConfirmation ? this.issueFor(manager, item, bound) : null;
    });
    item.method_config = methodConfig;
    this.audit.emit(TwoFactorEvent.UserConfigCreated, userConfigEvent(item, caller));
    return this.finish(item, issued, change.enrollment);
  }

  /**
   * Confirms the user's config with the confirmation issued for it, in one
   * transaction: the confirmation is spent and the config becomes `confirmed`.
   * @throws NotFoundError, WrongConfigError and every error of `ConfirmerService.confirm`.
   */
  async confirm(userId: string, input: { id: number; confirmationId: string; data: Record<string, unknown> }, caller: Caller = {}): Promise<UserConfig> {
    const item = await this.findOwn(userId, input.id);
    const confirm = { ...caller, userId, id: input.confirmationId, data: input.data, userConfigId: item.id, purpose: ConfirmationPurpose.Enrollment };
    await this.confirmer.confirm(confirm, async (manager, confirmation) => {
      await this.store.markConfirmed(manager, item.id);
      await this.confirmations.spend(confirmation.id, manager);
    });
    this.audit.emit(TwoFactorEvent.UserConfigConfirmed, userConfigEvent(item, caller));
    // Re-read rather than patch in memory: a backend's claim may have moved replay_guard, which public views show.
    return this.findOwn(userId, item.id);
  }

  /**
   * Changes title, activity, default flag and/or config. A config change the
   * backend wants proven puts the factor back to `in_process` and issues a new
   * confirmation, which voids every older pending one.
   */
  async update(userId: string, id: number, input: UpdateUserConfigInput, caller: Caller = {}, stepUp: StepUp = {}): Promise<UserConfigChangeResult> {
    const item = await this.findOwn(userId, id);
    const weakens =
      input.config !== undefined || (input.isActive === false && item.is_active) || (input.isDefault !== undefined && input.isDefault !== item.is_default);
    const factors = item.status === Status.Confirmed && weakens ? await this.availableFactors(userId) : [];
    const patch: UserConfigPatch = { updated_at: new Date() };
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
      if (reprove) patch.status = Status.InProcess;
    }
    const issued = await this.sql.transaction(async (manager) => {
      await this.stepUp(manager, userId, factors, stepUp, caller);
      await this.store.update(manager, item.id, patch);
      // Deactivating a factor removes it from sign-in: remembered devices must pass the second step again.
      if (input.isActive === false && item.is_active) await this.devices.removeAll(userId, manager);
      // Enrolling anew (a new config) ends a lockout and its run of failures.
      if (input.config !== undefined) await this.store.forgetFailures(manager, item.id);
      Object.assign(item, patch);
      if (patch.is_default) await this.store.clearOtherDefaults(manager, item);
      // A new value, or a fresh single-use guard (new backup codes), voids every confirmation in flight:
      // one judged against the old set must not claim a slot of the new one.
      if (!reprove && patch.replay_guard !== 0) return null;
      item.challenge_seq = await this.store.nextChallenge(manager, item.id);
      return reprove && bound ? this.issueFor(manager, item, bound) : null;
    });
    this.audit.emit(TwoFactorEvent.UserConfigChanged, userConfigEvent(item, caller));
    return this.finish(item, issued, enrollment);
  }

  /** Deletes the user's config; its confirmations go with it (foreign key cascade). A confirmed one needs a step-up proof. */
  async remove(userId: string, id: number, caller: Caller = {}, stepUp: StepUp = {}): Promise<void> {
    const item = await this.findOwn(userId, id);
    const factors = item.status === Status.Confirmed ? await this.availableFactors(userId) : [];
    await this.sql.transaction(async (manager) => {
      await this.stepUp(manager, userId, factors, stepUp, caller);
      if (!(await this.store.remove(manager, id, userId))) throw new NotFoundError('User config');
      await this.store.forgetFailures(manager, id);
      await this.devices.removeAll(userId, manager);
    });
    this.audit.emit(TwoFactorEvent.UserConfigDeleted, userConfigEvent(item, caller));
  }

  /** Issues and stores the confirmation for `item`'s current value inside the transaction. */
  private issueFor(manager: EntityManager, item: UserConfig, bound: BoundBackend): Promise<Issued> {
    return this.issuer.issue(withUserConfig(bound, item), ConfirmationPurpose.Enrollment, item.challenge_seq, undefined, manager);
  }

  private async finish(item: UserConfig, issued: Issued | null, enrollment: Record<string, unknown> | undefined): Promise<UserConfigChangeResult> {
    if (issued) await this.issuer.deliver(issued);
    return { item, confirmation: issued?.confirmation ?? null, enrollment: enrollment ?? null };
  }
}
