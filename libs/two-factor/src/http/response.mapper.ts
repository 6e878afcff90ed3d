import type { Challenge } from '../confirmer/backend.js';
import { Injectable } from '@nestjs/common';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import { BackendBinder } from '../confirmer/backend-binder.js';
import { attemptsLeft } from '../confirmer/confirmation.rules.js';
import type { UserConfigChangeResult } from '../confirmer/user-config.service.js';
import { NotFoundError } from '../errors/request.errors.js';
import { MessageTranslator } from '../i18n/message-translator.js';
import { MethodRegistry } from '../registry/method-registry.js';
import type { ConfirmationDto, MethodConfigItemDto, MethodConfigRefDto, UserConfigChangeDto, UserConfigItemDto } from './dto/responses.dto.js';

/**
 * Builds response bodies field by field from entities, so that a new column can
 * never leak into a response by accident, and a user config's `config` is always
 * the backend's public view.
 */
@Injectable()
export class ResponseMapper {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly binder: BackendBinder,
    private readonly translator: MessageTranslator,
  ) {}

  /** `language`: the caller's (`Caller.language`); the verbose name is translated as `method.<key>.verbose_name`. */
  methodConfigRef(config: MethodConfig, language?: string): MethodConfigRefDto {
    const english = this.registry.get(config.method)?.verboseName ?? config.method;
    const verboseName = this.translator.text(`method.${config.method}.verbose_name`, {}, language, undefined, english);
    return { id: config.id, title: config.title || verboseName, method: config.method, verbose_name: verboseName, is_default: config.is_default };
  }

  methodConfigItem(config: MethodConfig, language?: string): MethodConfigItemDto {
    return { ...this.methodConfigRef(config, language), config_schema: this.registry.get(config.method)?.userConfigSchema ?? {} };
  }

  async userConfigItem(item: UserConfig, language?: string): Promise<UserConfigItemDto> {
    const methodConfig = item.method_config;
    if (!methodConfig) throw new NotFoundError('Method config');
    // The backend's public view of the stored config: the only form of `config` a response may hold.
    const bound = await this.binder.bind(this.registry, { methodConfig, userConfig: item });
    return {
      id: item.id,
      title: item.title,
      status: item.status,
      method_config_id: item.method_config_id,
      method_config: this.methodConfigRef(methodConfig, language),
      config: bound.backend.publicConfig(item.config, bound.context),
      is_active: item.is_active,
      is_default: item.is_default,
      is_available: item.status === Status.Confirmed && item.is_active && methodConfig.is_active,
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
    };
  }

  async userConfigChange(result: UserConfigChangeResult, language?: string): Promise<UserConfigChangeDto> {
    return {
      item: await this.userConfigItem(result.item, language),
      confirmation_id: result.confirmation?.id ?? null,
      enrollment: result.enrollment,
    };
  }

  confirmation(confirmation: ConfirmationState, available: boolean): ConfirmationDto {
    return {
      id: confirmation.id,
      status: confirmation.status,
      is_available: available,
      expires_at: confirmation.expires_at.toISOString(),
      attempts_left: attemptsLeft(confirmation),
    };
  }

  /** The public part of a challenge (never its state), or null when the method has none. */
  challenge(challenge: Challenge): Record<string, unknown> | null {
    return challenge.public ?? null;
  }
}
