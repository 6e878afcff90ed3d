import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent, type TwoFactorEventName } from '../events/two-factor.events.js';
import { AdminStore } from '../confirmer/admin.store.js';
import { PublicViewMapper } from '../public/public-view.mapper.js';
import type { PublicAdminUserConfig } from '../public/public-views.js';
import type { AdminActor } from './method-config.service.js';

/** A user's factor as an admin sees it: the backend's public view only, never a seed, hash or code. */
export type AdminUserConfigView = PublicAdminUserConfig;

/**
 * An admin's help for users: see their factors, end a lockout, switch off or
 * delete a lost device. No step-up proof of the user is asked: the admin acts
 * for them, and every action is an audit event naming the admin.
 */
@Injectable()
export class UserConfigAdminService {
  constructor(
    private readonly store: AdminStore,
    private readonly views: PublicViewMapper,
    private readonly audit: AuditTrail,
  ) {}

  /** All of the user's factors, of any method config, active or not. */
  async list(userId: string, actor: AdminActor = {}): Promise<AdminUserConfigView[]> {
    const userConfigs = await this.store.userConfigs(userId);
    const failures = await this.store.failures(userConfigs.map((userConfig) => userConfig.id));
    const views = await Promise.all(userConfigs.map((userConfig) => this.views.adminUserConfig(userConfig, failures.get(userConfig.id) ?? 0, actor.language)));
    this.emit(TwoFactorEvent.AdminUserConfigsListed, userId, actor, { count: views.length });
    return views;
  }

  /**
   * Ends a lockout or cooldown: the factor's failures are forgotten and a locked
   * factor goes back to `in_process`. The user then proves it once more with a
   * code (`confirmation/request` with the user config, then `user-config/own/confirm`),
   * as after a config change: the module does not know whether a locked factor had
   * ever been proven, and an unproven one must not become a factor by an unlock.
   * @throws NotFoundError when the user has no such user config.
   */
  async unlock(userId: string, id: number, actor: AdminActor = {}): Promise<AdminUserConfigView> {
    if (!Number.isSafeInteger(id) || !(await this.store.unlock(userId, id))) throw new NotFoundError('User config');
    this.emit(TwoFactorEvent.AdminUserConfigUnlocked, userId, actor, { userConfigId: id });
    return this.view(userId, id, actor);
  }

  /** Switches the factor off (e.g. a lost phone); the user can no longer confirm with it. @throws NotFoundError */
  async deactivate(userId: string, id: number, actor: AdminActor = {}): Promise<AdminUserConfigView> {
    if (!Number.isSafeInteger(id) || !(await this.store.deactivate(userId, id))) throw new NotFoundError('User config');
    this.emit(TwoFactorEvent.AdminUserConfigDeactivated, userId, actor, { userConfigId: id });
    return this.view(userId, id, actor);
  }

  /** Deletes the factor with its confirmations. @throws NotFoundError */
  async remove(userId: string, id: number, actor: AdminActor = {}): Promise<void> {
    if (!Number.isSafeInteger(id) || !(await this.store.remove(userId, id))) throw new NotFoundError('User config');
    this.emit(TwoFactorEvent.AdminUserConfigDeleted, userId, actor, { userConfigId: id });
  }

  private async view(userId: string, id: number, actor: AdminActor): Promise<AdminUserConfigView> {
    const userConfig = (await this.store.userConfigs(userId)).find((candidate) => candidate.id === id);
    if (!userConfig) throw new NotFoundError('User config');
    const failures = await this.store.failures([id]);
    return this.views.adminUserConfig(userConfig, failures.get(id) ?? 0, actor.language);
  }

  private emit(name: TwoFactorEventName, userId: string, actor: AdminActor, facts: { userConfigId?: number; count?: number }): void {
    this.audit.emit(name, { userId, adminId: actor.adminId ?? null, clientIp: actor.clientIp, ...facts });
  }
}
