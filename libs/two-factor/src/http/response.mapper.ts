import type { Challenge } from '../confirmer/backend.js';
import { Injectable } from '@nestjs/common';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { attemptsLeft } from '../confirmer/confirmation.rules.js';
import type { UserConfigChangeResult } from '../confirmer/user-config.service.js';
import type { PublicFactor } from '../factors/public-factor.js';
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
    private readonly translator: MessageTranslator,
  ) {}

  /** `language`: the caller's (`Caller.language`); the verbose name is translated as `method.<key>.verbose_name`. */
  methodConfigRef(config: Pick<MethodConfig, 'id' | 'title' | 'method' | 'is_default'>, language?: string): MethodConfigRefDto {
    const english = this.registry.get(config.method)?.verboseName ?? config.method;
    const verboseName = this.translator.text(`method.${config.method}.verbose_name`, {}, language, undefined, english);
    return { id: config.id, title: config.title || verboseName, method: config.method, verbose_name: verboseName, is_default: config.is_default };
  }

  methodConfigItem(config: MethodConfig, language?: string): MethodConfigItemDto {
    return { ...this.methodConfigRef(config, language), config_schema: this.registry.get(config.method)?.userConfigSchema ?? {} };
  }

  /** A factor's response body from its public view (`UserConfigService` never hands out the stored config). */
  userConfigItem(item: PublicFactor, language?: string): UserConfigItemDto {
    return {
      id: item.id,
      title: item.title,
      status: item.status,
      method_config_id: item.method_config_id,
      method_config: this.methodConfigRef(item.method_config, language),
      config: item.config,
      is_active: item.is_active,
      is_default: item.is_default,
      is_available: item.is_available,
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
    };
  }

  userConfigChange(result: UserConfigChangeResult, language?: string): UserConfigChangeDto {
    return {
      item: this.userConfigItem(result.item, language),
      confirmation_id: result.confirmationId,
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
