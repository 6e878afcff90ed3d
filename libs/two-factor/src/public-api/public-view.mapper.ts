import { Injectable } from '@nestjs/common';
import type { Challenge } from '../method-api/backend.js';
import type { SpentProof, UserConfigChangeResult } from '../factors/user-config.service.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { BackendBinder } from '../confirmations/backend-binder.js';
import { attemptsLeft } from '../rules/confirmation.rules.js';
import type { ConfirmedState } from '../confirmations/confirmer.types.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import type { RememberedDevice } from '../entities/remembered-device.entity.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import { NotFoundError } from '../errors/request.errors.js';
import { toPublicFactor, type PublicFactor } from '../factors/public-factor.js';
import { MessageTranslator } from '../translation/message-translator.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import type {
  PublicAdminMethodConfig,
  PublicAdminUserConfig,
  PublicConfirmation,
  PublicDevice,
  PublicSpentProof,
  PublicMethodConfig,
  PublicMethodConfigRef,
  PublicUserConfig,
  PublicUserConfigChange,
} from './public-views.js';

/** What a confirmation's view is built from: a full one, or a check's narrower read (never its state). */
export type ConfirmationView = Pick<
  ConfirmedState,
  'id' | 'status' | 'expires_at' | 'attempts' | 'max_attempts' | 'purpose' | 'action' | 'details' | 'remaining'
>;

/**
 * The one place where an entity becomes what host code and clients may see: each
 * public view is built field by field, so a new column can never leak by accident, and
 * a user config's `config` is always the backend's public view. The module's controllers
 * answer with these, and its exported services return them.
 */
@Injectable()
export class PublicViewMapper {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly binder: BackendBinder,
    private readonly translator: MessageTranslator,
  ) {}

  /** A method's verbose name in `language` (`method.<key>.verbose_name`), its descriptor's English as the fallback. */
  verboseName(method: string, language?: string, registry: MethodRegistry = this.registry): string {
    const english = registry.get(method)?.verboseName ?? method;
    return this.translator.text(`method.${method}.verbose_name`, {}, language, undefined, english);
  }

  /** `language`: the caller's (`Caller.language`); the verbose name is translated as `method.<key>.verbose_name`. */
  methodConfigRef(
    config: Pick<MethodConfig, 'id' | 'title' | 'method' | 'is_default'>,
    language?: string,
    registry: MethodRegistry = this.registry,
  ): PublicMethodConfigRef {
    const verboseName = this.verboseName(config.method, language, registry);
    return { id: config.id, title: config.title || verboseName, method: config.method, verbose_name: verboseName, is_default: config.is_default };
  }

  methodConfigItem(config: MethodConfig, language?: string, registry: MethodRegistry = this.registry): PublicMethodConfig {
    return { ...this.methodConfigRef(config, language, registry), config_schema: registry.get(config.method)?.userConfigSchema ?? {} };
  }

  /** The backend's public view of a stored user config, or null when no backend can be made for it. */
  async publicConfig(item: UserConfig, registry: MethodRegistry = this.registry): Promise<Record<string, unknown> | null> {
    const methodConfig = item.method_config;
    if (!methodConfig) return null;
    const bound = await this.binder.tryBind(registry, { methodConfig, userConfig: item });
    return bound ? bound.backend.publicConfig(item.config, bound.context) : null;
  }

  /** A stored user config as its user sees it (through its backend's public view). */
  async userConfigItem(item: UserConfig, language?: string, registry: MethodRegistry = this.registry): Promise<PublicUserConfig> {
    const methodConfig = item.method_config;
    if (!methodConfig) throw new NotFoundError('Method config');
    // The backend's public view of the stored config: the only form of `config` a response may hold.
    const bound = await this.binder.bind(registry, { methodConfig, userConfig: item });
    return this.factorItem(toPublicFactor(item, methodConfig, bound), language, registry);
  }

  /** A factor's public view (`UserConfigService`'s results) in the REST API's shape. */
  factorItem(item: PublicFactor, language?: string, registry: MethodRegistry = this.registry): PublicUserConfig {
    return {
      id: item.id,
      title: item.title,
      nickname: item.nickname,
      status: item.status,
      method_config_id: item.method_config_id,
      method_config: this.methodConfigRef(item.method_config, language, registry),
      config: item.config,
      is_active: item.is_active,
      is_default: item.is_default,
      is_available: item.is_available,
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
      last_used_at: item.last_used_at?.toISOString() ?? null,
    };
  }

  /** An enrolment or change: the factor, the confirmation to prove it with (its id only), and the one-time enrolment display. */
  userConfigChange(result: UserConfigChangeResult, language?: string): PublicUserConfigChange {
    return {
      item: this.factorItem(result.item, language),
      confirmation_id: result.confirmationId,
      enrollment: result.enrollment,
    };
  }

  /**
   * `challenge`: given for a request's answer (its public part only, never its state or debug code);
   * `remaining`: in a confirm's answer with a backup code, how many codes of the set are left.
   */
  confirmation(confirmation: ConfirmationView, available: boolean, challenge?: Challenge): PublicConfirmation {
    // Built field by field in the answer's order, not from spreads: this runs on every check and confirm.
    const view: PublicConfirmation = {
      id: confirmation.id,
      status: confirmation.status,
      is_available: available,
      expires_at: confirmation.expires_at.toISOString(),
      attempts_left: attemptsLeft(confirmation),
    };
    if (challenge) view.challenge = this.challenge(challenge);
    if (typeof confirmation.remaining === 'number') view.remaining = confirmation.remaining;
    // A sign-in confirmation never approves an operation: its view keeps the shape it always had.
    if (confirmation.purpose !== ConfirmationPurpose.SignIn) {
      view.action = confirmation.action ?? null;
      view.details = confirmation.details ? { ...confirmation.details } : null;
    }
    return view;
  }

  /** A spent step-up proof: its view, the factor's method and RFC 8176 values, and when it was confirmed. */
  spentProof(spent: SpentProof): PublicSpentProof {
    const { confirmation } = spent;
    // The confirmation's view with the proof's fields added to it, in the order a spread would give: V8 builds
    // `{ ...view, method, … }` on a slow path (about 8 µs here, 2% of a step-up), assignments on the fresh view
    // cost a few hundred ns.
    const view = this.confirmation(confirmation, false) as PublicSpentProof;
    view.method = spent.method;
    view.user_config_id = confirmation.user_config_id;
    // A proof is never written after it is confirmed: its last change is its confirmation.
    view.confirmed_at = confirmation.updated_at.toISOString();
    view.action = confirmation.action ?? null;
    view.details = confirmation.details ? { ...confirmation.details } : null;
    view.amr = [...spent.amr];
    view.phishing_resistant = spent.phishing_resistant;
    return view;
  }

  /** The public part of a challenge (never its state), or null when the method has none. */
  challenge(challenge: Challenge): Record<string, unknown> | null {
    return challenge.public ?? null;
  }

  /** Never the token or its hash. */
  device(device: RememberedDevice): PublicDevice {
    return {
      id: device.id,
      label: device.label,
      created_at: device.created_at.toISOString(),
      last_used_at: device.last_used_at.toISOString(),
      expires_at: device.expires_at.toISOString(),
    };
  }

  /** A user's factor for an admin: the public view of its config and its run of failures. */
  async adminUserConfig(item: UserConfig, failures: number, language?: string): Promise<PublicAdminUserConfig> {
    const methodConfig = item.method_config;
    if (!methodConfig) throw new NotFoundError('Method config');
    return {
      id: item.id,
      user_id: item.user_id,
      title: item.title,
      nickname: item.title || null,
      status: item.status,
      method_config_id: item.method_config_id,
      method_config: this.methodConfigRef(methodConfig, language),
      config: await this.publicConfig(item),
      is_active: item.is_active,
      is_default: item.is_default,
      is_available: item.status === Status.Confirmed && item.is_active && methodConfig.is_active && this.registry.has(methodConfig.method),
      consecutive_failures: failures,
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
      last_used_at: item.last_used_at?.toISOString() ?? null,
    };
  }

  /** A method config for an admin: its global config is admin data (the admin API shows it too). */
  adminMethodConfig(config: MethodConfig, language?: string): PublicAdminMethodConfig {
    return {
      id: config.id,
      title: config.title,
      method: config.method,
      verbose_name: this.verboseName(config.method, language),
      is_registered: this.registry.has(config.method),
      is_active: config.is_active,
      is_default: config.is_default,
      config: config.config,
      created_at: config.created_at.toISOString(),
      updated_at: config.updated_at.toISOString(),
    };
  }
}
