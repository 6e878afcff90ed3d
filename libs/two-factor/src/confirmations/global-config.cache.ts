import { Injectable } from '@nestjs/common';
import type { MethodDescriptor } from '../method-api/method-descriptor.js';
import type { MethodConfigBinding } from './confirmer.types.js';
import { validateDto } from '../method-api/validate-dto.js';

/** A method config's global config: validated into its DTO, or why not. */
export type GlobalConfig = { valid: true; config: object } | { valid: false; reason: string };

/** Distinct config texts kept per method; beyond, the cache starts afresh (admins rarely have this many). */
const MAX_ENTRIES = 1000;

/**
 * Global configs validated once per distinct config text (validation is on every
 * confirm's path). Results are frozen, since backends share them; kept per
 * descriptor, so two registries with the same key never share an entry.
 */
@Injectable()
export class GlobalConfigCache {
  private readonly byDescriptor = new WeakMap<MethodDescriptor, Map<string, GlobalConfig>>();

  of(descriptor: MethodDescriptor, methodConfig: MethodConfigBinding): GlobalConfig {
    let cache = this.byDescriptor.get(descriptor);
    if (!cache) this.byDescriptor.set(descriptor, (cache = new Map()));
    const text = `${methodConfig.id}:${JSON.stringify(methodConfig.config ?? {})}`;
    let result = cache.get(text);
    if (!result) {
      result = validate(descriptor, methodConfig);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(text, result);
    }
    return result;
  }
}

function validate(descriptor: MethodDescriptor, methodConfig: MethodConfigBinding): GlobalConfig {
  try {
    return { valid: true, config: Object.freeze(validateDto(descriptor.globalConfigDto, methodConfig.config ?? {}, 'config')) };
  } catch (error) {
    return { valid: false, reason: String((error as Error).message) };
  }
}
