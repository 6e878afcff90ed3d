import { Injectable, Logger } from '@nestjs/common';
import type { UserConfig } from '../entities/user-config.entity.js';
import { NotFoundError } from '../errors/request.errors.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { MessageTranslator } from '../translation/message-translator.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { BoundOperation, UserConfigChange, UserConfigView } from '../method-api/backend.js';
import { BackendResolver } from './backend-resolver.js';
import type { BoundBackend, Caller, MethodConfigBinding, UserConfigBinding } from './confirmer.types.js';
import { GlobalConfigCache } from './global-config.cache.js';
import { RateLimiter } from './rate-limiter.js';
import { UserConfigStore } from '../persistence/user-config.store.js';
import { validateDto } from '../method-api/validate-dto.js';

/** What to bind: a method config, and the user config it works on (if any). */
export interface BindInput extends Caller {
  methodConfig: MethodConfigBinding;
  userConfig?: UserConfigBinding | null;
  /** In `requestConfirmation`: the operation the confirmation will approve. */
  operation?: BoundOperation;
}

/**
 * The caller's fields with what to bind, each named, not spread: the confirm and request paths build this on
 * every request, and the sign-in confirm's profile put 1% of its CPU on the spread this replaced.
 */
export function bindInputOf(caller: Caller, methodConfig: MethodConfigBinding, userConfig?: UserConfigBinding | null, operation?: BoundOperation): BindInput {
  return { userId: caller.userId, clientIp: caller.clientIp, language: caller.language, extra: caller.extra, methodConfig, userConfig, operation };
}

/**
 * Binds a method's backend to a method config (its global config validated) and,
 * optionally, a user config: the context every backend hook receives. The
 * registry is an argument, so one binder serves the module's registry and any other.
 */
@Injectable()
export class BackendBinder {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly globalConfigs: GlobalConfigCache,
    private readonly backends: BackendResolver,
    private readonly secrets: SecretBox,
    private readonly limits: RateLimiter,
    private readonly translator: MessageTranslator,
    private readonly userConfigs: UserConfigStore,
  ) {}

  /** Whether `registry` offers this method config: its method is registered and its global config valid. */
  isOffered(registry: MethodRegistry, methodConfig: MethodConfigBinding): boolean {
    const descriptor = registry.get(methodConfig.method);
    return descriptor !== undefined && this.globalConfigs.of(descriptor, methodConfig).valid;
  }

  /** @throws NotFoundError when the method is not registered or its global config is invalid (the log says which). */
  async bind(registry: MethodRegistry, input: BindInput): Promise<BoundBackend> {
    const bound = await this.tryBind(registry, input);
    if (!bound) throw new NotFoundError('Method config');
    return bound;
  }

  /** As `bind`, with null for a method config that is not offered. */
  async tryBind(registry: MethodRegistry, input: BindInput): Promise<BoundBackend | null> {
    const { methodConfig } = input;
    const descriptor = registry.get(methodConfig.method);
    if (!descriptor) return null;
    const global = this.globalConfigs.of(descriptor, methodConfig);
    if (!global.valid) {
      // An admin's mistake, not the client's: the method config is simply not offered, and the log says why.
      this.logger.warn(`Method config ${methodConfig.id} ("${descriptor.key}") has an invalid global config and is not offered: ${global.reason}`);
      return null;
    }
    return {
      descriptor,
      backend: await this.backends.resolve(descriptor.backend),
      // One literal with every key: the user config's view is built in it, not copied in by a second spread (1% of a sign-in confirm).
      context: {
        methodConfig: { id: methodConfig.id, method: methodConfig.method, title: methodConfig.title, config: global.config },
        userConfig: input.userConfig ? userConfigView(input.userConfig) : undefined,
        userId: input.userId ?? null,
        secrets: this.secrets,
        limits: this.limits,
        clientIp: input.clientIp,
        extra: input.extra,
        language: input.language,
        text: (key, params) => this.translator.text(key, params, input.language),
        enrolled: input.userId ? () => this.enrolledConfigs(String(input.userId), methodConfig.method) : undefined,
        operation: input.operation,
      },
    };
  }

  /** The user's stored configs of `method` (any status, of active method configs). */
  private async enrolledConfigs(userId: string, method: string): Promise<Record<string, unknown>[]> {
    return (await this.userConfigs.listOwn(userId)).filter((config) => config.method_config?.method === method).map((config) => config.config);
  }
}

/** The same backend and method config, now working on `userConfig` (as it is in memory). */
export function withUserConfig(bound: BoundBackend, userConfig: UserConfigBinding): BoundBackend {
  return { ...bound, context: { ...bound.context, userConfig: userConfigView(userConfig) } };
}

/** What a backend sees of a user config. */
function userConfigView(userConfig: UserConfigBinding): UserConfigView<UserConfigBinding['config']> {
  return { id: userConfig.id, userId: userConfig.user_id, status: userConfig.status, config: userConfig.config, replayGuard: userConfig.replay_guard };
}

/**
 * Validates `input` against the method's user-config DTO and asks the backend
 * what to store and whether the change must be confirmed. Like the seed, it
 * writes the new config onto `instance` and does not save it.
 */
export async function changeUserConfig(instance: UserConfig, input: unknown, bound: BoundBackend): Promise<UserConfigChange<Record<string, unknown>>> {
  const submitted = validateDto(bound.descriptor.userConfigDto, input, 'config');
  const current = instance.id ? instance.config : undefined;
  const change = await bound.backend.changeUserConfig(submitted, current, bound.context);
  instance.config = change.config;
  if (change.resetReplayGuard) instance.replay_guard = 0;
  return change;
}
