import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import type { ConfirmationSummary } from '../../confirmer/admin.store.js';
import type { MethodConfig } from '../../entities/method-config.entity.js';
import { Status } from '../../entities/status.js';
import { ResponseMapper } from '../../http/response.mapper.js';
import { MessageTranslator } from '../../i18n/message-translator.js';
import type { MethodDescriptor } from '../../registry/method-descriptor.js';
import { MethodRegistry } from '../../registry/method-registry.js';
import type { ConfirmationPage } from '../confirmation-admin.service.js';
import type { AdminUserConfigView } from '../user-config-admin.service.js';
import type { AdminConfirmationDto, AdminConfirmationPageDto, AdminMethodConfigDto, AdminMethodDto, AdminUserConfigDto } from './admin-response.dto.js';

/** Builds the admin API's bodies field by field, so that no stored secret or private state can slip into one. */
@Injectable()
export class AdminResponseMapper {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly mapper: ResponseMapper,
    private readonly translator: MessageTranslator,
  ) {}

  /** A method's verbose name in `language` (`method.<key>.verbose_name`), its descriptor's English as the fallback. */
  private verboseName(method: string, english: string, language: string | undefined): string {
    return this.translator.text(`method.${method}.verbose_name`, {}, language, undefined, english);
  }

  methodConfig(config: MethodConfig, userConfigs: number, language?: string): AdminMethodConfigDto {
    const descriptor = this.registry.get(config.method);
    return {
      id: config.id,
      title: config.title,
      method: config.method,
      verbose_name: this.verboseName(config.method, descriptor?.verboseName ?? config.method, language),
      is_registered: descriptor !== undefined,
      is_active: config.is_active,
      is_default: config.is_default,
      config: config.config,
      user_configs: userConfigs,
      created_at: config.created_at.toISOString(),
      updated_at: config.updated_at.toISOString(),
    };
  }

  method(descriptor: MethodDescriptor, language?: string): AdminMethodDto {
    const defaults = descriptor.globalConfigDto ? instanceToPlain(new descriptor.globalConfigDto()) : {};
    return {
      key: descriptor.key,
      verbose_name: this.verboseName(descriptor.key, descriptor.verboseName, language),
      global_config_schema: withDefaults(descriptor.globalConfigSchema, defaults),
      user_config_schema: descriptor.userConfigSchema,
      global_config_defaults: defaults,
    };
  }

  userConfig(view: AdminUserConfigView, language?: string): AdminUserConfigDto {
    const { userConfig: item } = view;
    const methodConfig = item.method_config!;
    return {
      id: item.id,
      user_id: item.user_id,
      title: item.title,
      status: item.status,
      method_config_id: item.method_config_id,
      method_config: this.mapper.methodConfigRef(methodConfig, language),
      config: view.publicConfig,
      is_active: item.is_active,
      is_default: item.is_default,
      is_available: item.status === Status.Confirmed && item.is_active && methodConfig.is_active && this.registry.has(methodConfig.method),
      consecutive_failures: view.failures,
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
    };
  }

  confirmationPage(page: ConfirmationPage, now = Date.now()): AdminConfirmationPageDto {
    return { items: page.items.map((item) => this.confirmation(item, now)), total: page.total, page: page.page, page_size: page.pageSize };
  }

  private confirmation(item: ConfirmationSummary, now: number): AdminConfirmationDto {
    return {
      id: item.id,
      method: item.method,
      method_config_id: item.method_config_id,
      user_config_id: item.user_config_id,
      user_id: item.user_id,
      status: item.status,
      attempts: item.attempts,
      attempts_left: Math.max(0, item.max_attempts - item.attempts),
      is_expired: item.expires_at.getTime() <= now,
      expires_at: item.expires_at.toISOString(),
      created_at: item.created_at.toISOString(),
      updated_at: item.updated_at.toISOString(),
    };
  }
}

/** The schema with each known default written in as `default`, so a form starts from it. */
function withDefaults(schema: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const filled = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, defaults[name] === undefined ? property : { ...property, default: defaults[name] }]),
  );
  return { ...schema, properties: filled };
}
