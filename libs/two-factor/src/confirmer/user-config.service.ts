import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { Status } from '../entities/status.js';
import { UserConfig } from '../entities/user-config.entity.js';
import { revokeUserDevices } from '../devices/device.service.js';
import { NotFoundError } from '../errors/request.errors.js';
import { TwoFactorRequiredError, type AvailableFactor } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { Challenge } from './backend.js';
import { ConfirmerService, type BoundBackend, type Caller } from './confirmer.service.js';
import { MethodConfigCache } from './method-config.cache.js';
import { SqlRunner } from './sql-runner.js';

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

type Issued = { confirmation: ConfirmationState; challenge: Challenge };

/**
 * A user's own factors: enrol, prove, change, remove. Every change that writes
 * more than one row runs in one transaction; sending a code happens only after
 * it commits.
 */
@Injectable()
export class UserConfigService {
  constructor(
    private readonly confirmer: ConfirmerService,
    private readonly sql: SqlRunner,
    private readonly methodConfigs: MethodConfigCache,
    private readonly audit: AuditTrail,
  ) {}

  /** The user's configs of active, registered methods. */
  list(userId: string): Promise<UserConfig[]> {
    return this.confirmer.getUserConfigs(userId);
  }

  /** The user's own config `id`, with `method_config` loaded. @throws NotFoundError when missing or someone else's. */
  async findOwn(userId: string, id: number): Promise<UserConfig> {
    const found = Number.isSafeInteger(id)
      ? await this.sql.exclusive(() =>
          this.sql.dataSource.getRepository(UserConfig).findOne({ where: { id, user_id: userId }, relations: { method_config: true } }),
        )
      : null;
    if (!found || !found.method_config!.is_active || !this.confirmer.registry.has(found.method_config!.method)) {
      throw new NotFoundError('User config');
    }
    return found;
  }

  /** The user's factors that can prove a step-up: confirmed, active, of an active registered method. Ids and methods only. */
  async availableFactors(userId: string): Promise<AvailableFactor[]> {
    const rows = await this.sql.rows(
      `SELECT u.id, u.title, m.method FROM two_factor_user_config u JOIN two_factor_method_config m ON m.id = u.method_config_id
        WHERE u.user_id = ? AND u.status = '${Status.Confirmed}' AND u.is_active = TRUE AND m.is_active = TRUE ORDER BY u.id`,
      [userId],
    );
    return rows.filter((row) => this.confirmer.registry.has(row.method)).map((row) => ({ id: Number(row.id), method: row.method, title: row.title }));
  }

  /**
   * Uses up a step-up proof of `userId`. However many callers race with one
   * proof, one gets through. @throws TwoFactorRequiredError listing the user's available factors.
   */
  async spendProof(userId: string, proofId: string | undefined, caller: Caller = {}): Promise<ConfirmationState> {
    if (proofId) {
      const { used, confirmation } = await this.confirmer.use({ ...caller, id: proofId, userId, requireFactor: true });
      if (used) return confirmation!;
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
    return this.confirmer.makeBackend({ ...caller, userConfig }) as Promise<BoundBackend>;
  }

  /**
   * Enrols the user in a method config. When the backend wants the new value
   * proven, the config starts `in_process` with a confirmation issued for it.
   */
  async create(userId: string, input: CreateUserConfigInput, caller: Caller = {}, stepUp: StepUp = {}): Promise<UserConfigChangeResult> {
    const methodConfig = await this.methodConfigs.find(input.methodConfigId);
    if (!methodConfig || !this.confirmer.registry.has(methodConfig.method)) throw new NotFoundError('Method config');
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
    const bound = (await this.confirmer.makeBackend({ ...caller, userId, methodConfig }))!;
    const change = await this.confirmer.changeUserConfig(item, input.config, bound);
    item.status = change.needsConfirmation ? Status.InProcess : Status.Confirmed;
    if (change.needsConfirmation) item.challenge_seq = 1;

    const issued = await this.sql.transaction(async (manager) => {
      await this.stepUp(manager, userId, factors, stepUp, caller);
      await this.insertRow(manager, item);
      // A factor added: remembered devices must pass the second step again (issue 12).
      await revokeUserDevices(this.sql, userId, manager);
      if (item.is_default) await this.clearOtherDefaults(manager, item);
      return change.needsConfirmation ? this.issueFor(manager, item, bound) : null;
    });
    item.method_config = methodConfig;
    this.audit.emit(TwoFactorEvent.UserConfigCreated, this.eventOf(item, caller));
    return this.finish(item, issued, change.enrollment);
  }

  /**
   * Confirms the user's config with the confirmation issued for it, in one
   * transaction: the confirmation is spent and the config becomes `confirmed`.
   * @throws NotFoundError, WrongConfigError and every error of `ConfirmerService.confirm`.
   */
  async confirm(userId: string, input: { id: number; confirmationId: string; data: Record<string, unknown> }, caller: Caller = {}): Promise<UserConfig> {
    const item = await this.findOwn(userId, input.id);
    await this.confirmer.confirm(
      { ...caller, userId, id: input.confirmationId, data: input.data, userConfigId: item.id },
      async (manager, confirmation) => {
        await this.sql.rows(`UPDATE two_factor_user_config SET status = '${Status.Confirmed}', updated_at = ? WHERE id = ?`, [Date.now(), item.id], manager);
        await this.sql.rows('DELETE FROM two_factor_confirmation WHERE id = ?', [confirmation.id], manager);
      },
    );
    this.audit.emit(TwoFactorEvent.UserConfigConfirmed, this.eventOf(item, caller));
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
    const patch: Partial<UserConfig> = { updated_at: new Date() };
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
      await manager.getRepository(UserConfig).update({ id: item.id }, patch as never);
      // Deactivating a factor removes it from sign-in: remembered devices must pass the second step again.
      if (input.isActive === false && item.is_active) await revokeUserDevices(this.sql, userId, manager);
      // Enrolling anew (a new config) ends a lockout and its run of failures.
      if (input.config !== undefined) await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [`uc:${item.id}`], manager);
      Object.assign(item, patch);
      if (patch.is_default) await this.clearOtherDefaults(manager, item);
      // A new value, or a fresh single-use guard (new backup codes), voids every confirmation in flight:
      // one judged against the old set must not claim a slot of the new one.
      if (!reprove && patch.replay_guard !== 0) return null;
      const [row] = await this.sql.rows('UPDATE two_factor_user_config SET challenge_seq = challenge_seq + 1 WHERE id = ? RETURNING challenge_seq', [item.id], manager);
      item.challenge_seq = Number(row.challenge_seq);
      return reprove ? this.issueFor(manager, item, bound!) : null;
    });
    this.audit.emit(TwoFactorEvent.UserConfigChanged, this.eventOf(item, caller));
    return this.finish(item, issued, enrollment);
  }

  /** Deletes the user's config; its confirmations go with it (foreign key cascade). A confirmed one needs a step-up proof. */
  async remove(userId: string, id: number, caller: Caller = {}, stepUp: StepUp = {}): Promise<void> {
    const item = await this.findOwn(userId, id);
    const factors = item.status === Status.Confirmed ? await this.availableFactors(userId) : [];
    await this.sql.transaction(async (manager) => {
      await this.stepUp(manager, userId, factors, stepUp, caller);
      const rows = await this.sql.rows('DELETE FROM two_factor_user_config WHERE id = ? AND user_id = ? RETURNING id', [id, userId], manager);
      if (rows.length !== 1) throw new NotFoundError('User config');
      await this.sql.rows('DELETE FROM two_factor_failure_counter WHERE key = ?', [`uc:${id}`], manager);
      await revokeUserDevices(this.sql, userId, manager);
    });
    this.audit.emit(TwoFactorEvent.UserConfigDeleted, this.eventOf(item, caller));
  }

  /** Issues and stores the confirmation for `item`'s current value inside the transaction. */
  private async issueFor(manager: EntityManager, item: UserConfig, bound: BoundBackend): Promise<Issued> {
    const issued = await this.confirmer.issue(this.confirmer.rebind(bound, item), item.challenge_seq, undefined, manager);
    await this.confirmer.insert(issued.confirmation, manager);
    return issued;
  }

  private async finish(item: UserConfig, issued: Issued | null, enrollment: Record<string, unknown> | undefined): Promise<UserConfigChangeResult> {
    if (issued) await this.confirmer.deliver(issued);
    return { item, confirmation: issued?.confirmation ?? null, enrollment: enrollment ?? null };
  }

  /** Inserts `item` and sets its new id (raw SQL: TypeORM's insert would overwrite `config` with the raw stored text). */
  private async insertRow(manager: EntityManager, item: UserConfig): Promise<void> {
    const [row] = await this.sql.rows(
      `INSERT INTO two_factor_user_config (title, method_config_id, user_id, status, config, is_active, is_default, replay_guard, challenge_seq, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [item.title, item.method_config_id, item.user_id, item.status, JSON.stringify(item.config), this.sql.bool(item.is_active), this.sql.bool(item.is_default), item.replay_guard, item.challenge_seq, item.created_at.getTime(), item.updated_at.getTime()],
      manager,
    );
    item.id = Number(row.id);
  }

  private eventOf(item: UserConfig, caller: Caller) {
    return { userId: item.user_id, clientIp: caller.clientIp, methodConfigId: item.method_config_id, userConfigId: item.id, method: item.method_config?.method };
  }

  /** At most one default per user: setting one clears the others. */
  private async clearOtherDefaults(manager: EntityManager, item: UserConfig): Promise<void> {
    await this.sql.rows('UPDATE two_factor_user_config SET is_default = FALSE WHERE user_id = ? AND id <> ? AND is_default = TRUE', [item.user_id, item.id], manager);
  }
}
