import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent, type TwoFactorEventName } from '../events/two-factor.events.js';
import { AdminStore } from '../persistence/admin.store.js';
import { FactorLifecycleService } from '../factors/factor-lifecycle.service.js';
import { PublicViewMapper } from '../public-api/public-view.mapper.js';
import type { PublicAdminUserConfig } from '../public-api/public-views.js';
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
    private readonly lifecycle: FactorLifecycleService,
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
   * factor is given back as it was — `confirmed` when its config had been proven,
   * else `in_process`. The user's remembered devices and pending sign-ins are
   * revoked and the factor's pending codes voided (lifecycle `admin_unlock`).
   * @throws NotFoundError when the user has no such user config.
   */
  async unlock(userId: string, id: number, actor: AdminActor = {}): Promise<AdminUserConfigView> {
    await this.change('admin_unlock', userId, id, actor);
    return this.view(userId, id, actor);
  }

  /**
   * Switches the factor off (e.g. a lost phone); the user can no longer confirm
   * with it. Two-factor stays on: the password alone is still not a sign-in
   * (see `removeTwoFactor`). @throws NotFoundError
   */
  async deactivate(userId: string, id: number, actor: AdminActor = {}): Promise<AdminUserConfigView> {
    await this.change('admin_deactivate', userId, id, actor);
    return this.view(userId, id, actor);
  }

  /** Deletes the factor with its confirmations. Two-factor stays on, even for the last one. @throws NotFoundError */
  async remove(userId: string, id: number, actor: AdminActor = {}): Promise<void> {
    await this.change('admin_remove', userId, id, actor);
  }

  /**
   * Removes two-factor for the user: every factor goes, with its confirmations,
   * the user's remembered devices and pending sign-ins; the password alone signs
   * the user in again. The only way an admin puts a user on the password alone;
   * audited (`two_factor.admin.two_factor.removed`), and hosts notify the user on that event.
   * @returns how many factors were deleted.
   */
  removeTwoFactor(userId: string, actor: AdminActor = {}): Promise<number> {
    return this.lifecycle.removeTwoFactor(userId, { userId, adminId: actor.adminId ?? null, clientIp: actor.clientIp });
  }

  private async change(transition: 'admin_unlock' | 'admin_deactivate' | 'admin_remove', userId: string, id: number, actor: AdminActor): Promise<void> {
    const event = { userId, adminId: actor.adminId ?? null, clientIp: actor.clientIp, userConfigId: id };
    if (!(await this.lifecycle.adminChange(transition, userId, id, event))) throw new NotFoundError('User config');
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
