import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import type { ConfirmationSummary } from '../../persistence/admin.store.js';
import type { PublicAdminMethodConfig } from '../../public-api/public-views.js';
import { MessageTranslator } from '../../translation/message-translator.js';
import type { MethodDescriptor } from '../../method-api/method-descriptor.js';
import type { ConfirmationPage } from '../../admin/confirmation-admin.service.js';
import type { AdminConfirmationDto, AdminConfirmationPageDto, AdminMethodConfigDto, AdminMethodDto } from './admin-response.dto.js';

/** Builds the admin API's bodies field by field, so that no stored secret or private state can slip into one. */
@Injectable()
export class AdminResponseMapper {
  constructor(private readonly translator: MessageTranslator) {}

  /** A method's verbose name in `language` (`method.<key>.verbose_name`), its descriptor's English as the fallback. */
  private verboseName(method: string, english: string, language: string | undefined): string {
    return this.translator.text(`method.${method}.verbose_name`, {}, language, undefined, english);
  }

  /** The service's admin view with how many user configs the method config has. */
  methodConfig(config: PublicAdminMethodConfig, userConfigs: number): AdminMethodConfigDto {
    return { ...config, user_configs: userConfigs };
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
