import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { PublicViewMapper } from '../public-api/public-view.mapper.js';
import type { PublicAdminMethodConfig } from '../public-api/public-views.js';
import { invalidField, NotFoundError, ValidationFailedError } from '../errors/request.errors.js';
import { MethodConfigInUseError } from '../errors/admin.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent, type TwoFactorEventName } from '../events/two-factor.events.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { MethodConfigCache } from '../confirmations/method-config.cache.js';
import { MethodConfigStore, type MethodConfigRow } from '../persistence/method-config.store.js';
import { validateDto } from '../method-api/validate-dto.js';
import { FactorLifecycleService } from '../factors/factor-lifecycle.service.js';

/** Who changes method configs: the admin's user id (null for the host's own code, e.g. a seeder) and address. */
export interface AdminActor {
  adminId?: string | null;
  clientIp?: string;
  /** The language verbose names in the answer are given in, e.g. `de`; English when absent. */
  language?: string;
}

export interface CreateMethodConfigInput {
  /** A registered method key. */
  method: string;
  /** Blank: clients see the method's verbose name. @default '' */
  title?: string;
  /** The global config, validated against the method's global DTO; its defaults fill what is left out. @default {} */
  config?: Record<string, unknown>;
  /** @default true */
  isActive?: boolean;
  /** Making it the default takes the flag from any other. @default false */
  isDefault?: boolean;
}

/** Only the fields given change; `config` replaces the global config whole. */
export type UpdateMethodConfigInput = Partial<Omit<CreateMethodConfigInput, 'method'>>;

export interface RemoveMethodConfigOptions {
  /** Also delete its user configs (and their confirmations). Without it, a method config in use is refused. @default false */
  cascade?: boolean;
}

/**
 * Method configs as admin data: made, changed, switched on and off and deleted
 * with their global config validated first, at most one default, and only for
 * registered methods. Each change forgets this instance's cached active configs
 * at once (other instances re-read within `methodConfigCacheSeconds`) and emits
 * an audit event naming the admin. Answers are admin views (`PublicAdminMethodConfig`),
 * built field by field: the global config is admin data, never an entity.
 */
@Injectable()
export class MethodConfigService {
  constructor(
    private readonly store: MethodConfigStore,
    private readonly registry: MethodRegistry,
    private readonly cache: MethodConfigCache,
    private readonly audit: AuditTrail,
    private readonly views: PublicViewMapper,
    private readonly lifecycle: FactorLifecycleService,
  ) {}

  /** Every method config, active or not, registered or not, by id. */
  async list(language?: string): Promise<PublicAdminMethodConfig[]> {
    return (await this.store.all()).map((config) => this.views.adminMethodConfig(config, language));
  }

  /** How many user configs each method config has. */
  userConfigCounts(): Promise<Map<number, number>> {
    return this.store.userConfigCounts();
  }

  /** @throws NotFoundError */
  async find(id: number, language?: string): Promise<PublicAdminMethodConfig> {
    return this.views.adminMethodConfig(await this.row(id), language);
  }

  /** @throws NotFoundError */
  private async row(id: number): Promise<MethodConfig> {
    const found = Number.isSafeInteger(id) ? await this.store.find(id) : undefined;
    if (!found) throw new NotFoundError('Method config');
    return found;
  }

  /**
   * The global config as it will be stored: validated into the method's DTO, defaults filled in.
   * @throws ValidationFailedError with `method` for an unregistered method, `config.<field>` for each bad field.
   */
  validateGlobalConfig(method: string, config: unknown = {}): Record<string, unknown> {
    const descriptor = this.registry.get(method);
    if (!descriptor) {
      throw new ValidationFailedError([
        invalidField('method', 'validation.method_not_registered', { method, registered: this.registry.keys().join(', ') || 'none' }),
      ]);
    }
    return instanceToPlain(validateDto(descriptor.globalConfigDto, config, 'config'));
  }

  /** @throws ValidationFailedError (unregistered method, bad config or title). */
  async create(input: CreateMethodConfigInput, actor: AdminActor = {}): Promise<PublicAdminMethodConfig> {
    const row: MethodConfigRow = {
      method: input.method,
      title: checkTitle(input.title ?? ''),
      config: this.validateGlobalConfig(input.method, input.config ?? {}),
      is_active: input.isActive ?? true,
      is_default: input.isDefault ?? false,
    };
    const id = await this.store.sql.transaction(async (manager) => {
      const inserted = await this.store.insert(manager, row, Date.now());
      if (row.is_default) await this.store.makeSoleDefault(manager, inserted);
      return inserted;
    });
    return this.changed(id, TwoFactorEvent.MethodConfigCreated, actor);
  }

  /**
   * Creates an active method config of `method` with its default global config
   * (`MethodDescriptor.defaultGlobalConfig`, completed by the DTO's defaults) unless
   * one of that method exists, active or not: never touches what an admin made.
   * @returns the new config; null when one existed or the method is never seeded.
   * @throws ValidationFailedError when the default does not validate (a method whose global config needs the host's values).
   */
  async seedDefault(method: string): Promise<PublicAdminMethodConfig | null> {
    const descriptor = this.registry.get(method);
    if (!descriptor || descriptor.defaultGlobalConfig === null) return null;
    const row: MethodConfigRow = {
      method,
      // Blank: clients see the method's verbose name, translated.
      title: '',
      config: this.validateGlobalConfig(method, descriptor.defaultGlobalConfig ?? {}),
      is_active: true,
      is_default: false,
    };
    const id = await this.store.sql.transaction((manager) => this.store.insertIfNone(manager, row, Date.now()));
    return id === null ? null : this.changed(id, TwoFactorEvent.MethodConfigCreated, {});
  }

  /**
   * Changes title, config, activity or default flag. A config change is validated
   * against the method's DTO; activating re-validates the stored config.
   * @throws NotFoundError, ValidationFailedError
   */
  async update(id: number, input: UpdateMethodConfigInput, actor: AdminActor = {}): Promise<PublicAdminMethodConfig> {
    const current = await this.row(id);
    const patch: Partial<MethodConfigRow> = {};
    if (input.title !== undefined) patch.title = checkTitle(input.title);
    if (input.config !== undefined) patch.config = this.validateGlobalConfig(current.method, input.config);
    // An active method config must be one clients can use: registered, with a valid config.
    else if (input.isActive === true) this.validateGlobalConfig(current.method, current.config);
    if (input.isActive !== undefined) patch.is_active = input.isActive;
    if (input.isDefault !== undefined) patch.is_default = input.isDefault;
    await this.store.sql.transaction(async (manager) => {
      if (!(await this.store.update(manager, id, patch, Date.now()))) throw new NotFoundError('Method config');
      if (patch.is_default) await this.store.makeSoleDefault(manager, id);
      // Its factors become unavailable: a lifecycle transition for each (devices, pending sign-ins and codes revoked).
      if (patch.is_active === false && current.is_active) await this.lifecycle.methodConfigChangedInside(manager, 'method_config_deactivate', id);
    });
    // Switching alone is its own event; anything else (title, config, default) is a change.
    const switchedOnly = Object.keys(patch).length === 1 && patch.is_active !== undefined;
    const event = !switchedOnly
      ? TwoFactorEvent.MethodConfigChanged
      : patch.is_active
        ? TwoFactorEvent.MethodConfigActivated
        : TwoFactorEvent.MethodConfigDeactivated;
    return this.changed(id, event, actor);
  }

  /** Offers the method config again. @throws NotFoundError, ValidationFailedError (unregistered method, invalid stored config) */
  activate(id: number, actor: AdminActor = {}): Promise<PublicAdminMethodConfig> {
    return this.update(id, { isActive: true }, actor);
  }

  /**
   * Stops offering the method config: its user configs stay but are unavailable,
   * and its confirmations can no longer be confirmed, checked or used. @throws NotFoundError
   */
  deactivate(id: number, actor: AdminActor = {}): Promise<PublicAdminMethodConfig> {
    return this.update(id, { isActive: false }, actor);
  }

  /**
   * Deletes a method config. One that still has user configs is refused unless
   * `cascade` is set, which deletes them (and every confirmation) with it.
   * @returns how many user configs were deleted with it.
   * @throws NotFoundError, MethodConfigInUseError
   */
  async remove(id: number, options: RemoveMethodConfigOptions = {}, actor: AdminActor = {}): Promise<number> {
    const current = await this.row(id);
    const deleted = await this.store.sql.transaction(async (manager) => {
      const inUse = (await this.store.userConfigCounts(manager)).get(id) ?? 0;
      if (inUse > 0 && options.cascade !== true) throw new MethodConfigInUseError(inUse);
      // Each factor goes through the lifecycle (devices, pending sign-ins and codes of its user revoked).
      const removed = inUse > 0 ? await this.lifecycle.methodConfigChangedInside(manager, 'method_config_cascade_delete', id) : 0;
      if (!(await this.store.remove(manager, id))) throw new NotFoundError('Method config');
      return removed;
    });
    this.cache.invalidate();
    this.emit(TwoFactorEvent.MethodConfigDeleted, current, actor, deleted);
    return deleted;
  }

  /** Re-reads the row after a change, forgets the cache, and records who did it. */
  private async changed(id: number, event: TwoFactorEventName, actor: AdminActor): Promise<PublicAdminMethodConfig> {
    this.cache.invalidate();
    const saved = await this.row(id);
    this.emit(event, saved, actor);
    return this.views.adminMethodConfig(saved, actor.language);
  }

  private emit(name: TwoFactorEventName, config: MethodConfig, actor: AdminActor, count?: number): void {
    this.audit.emit(name, {
      userId: null,
      adminId: actor.adminId ?? null,
      clientIp: actor.clientIp,
      method: config.method,
      methodConfigId: config.id,
      ...(count === undefined ? {} : { count }),
    });
  }
}

function checkTitle(title: unknown): string {
  if (typeof title !== 'string' || title.length > 255) throw new ValidationFailedError([invalidField('title', 'validation.title_too_long')]);
  return title;
}
