import { Injectable } from '@nestjs/common';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { MethodConfigCache } from './method-config.cache.js';

/** What a proof of one factor says about how the user authenticated (see `rules/amr.ts`). */
export interface FactorAmr {
  amr: string[];
  phishing_resistant: boolean;
}

/**
 * The RFC 8176 values of a method config's factors: its descriptor's `amr` (a list, or a
 * function of the method config's global config, read through the cache), and whether the
 * method resists phishing.
 */
@Injectable()
export class FactorAmrResolver {
  constructor(private readonly methodConfigs: MethodConfigCache) {}

  /** The values of a factor of `methodConfigId`, its method read through the cache (none known for a method config gone since). */
  async ofMethodConfig(registry: MethodRegistry, methodConfigId: number): Promise<FactorAmr & { method: string | null }> {
    const method = (await this.methodConfigs.find(methodConfigId))?.method;
    if (method === undefined) return { method: null, amr: [], phishing_resistant: false };
    const factor = await this.of(registry, method, methodConfigId);
    return { method, amr: factor.amr, phishing_resistant: factor.phishing_resistant };
  }

  async of(registry: MethodRegistry, method: string, methodConfigId: number): Promise<FactorAmr> {
    const descriptor = registry.get(method);
    const declared = descriptor?.amr ?? [];
    let amr: readonly string[];
    if (typeof declared === 'function') {
      // A method config deactivated since is not in the cache: its global config is then unknown, and only what holds for any config is claimed.
      const config = (await this.methodConfigs.find(methodConfigId))?.config ?? {};
      amr = declared(config);
    } else amr = declared;
    return { amr: [...new Set(amr)], phishing_resistant: descriptor?.phishingResistant === true };
  }
}
