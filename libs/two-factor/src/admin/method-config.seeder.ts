import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TwoFactorError } from '../errors/two-factor.error.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { MethodConfigService } from './method-config.service.js';

/**
 * `seedMethodConfigs`: at startup, an active method config for every registered
 * method that has none, so a fresh app can enrol at once. Runs before the host's
 * own bootstrap hooks (the module is deeper in the tree), so a host seeder that
 * also skips existing methods finds these.
 */
@Injectable()
export class MethodConfigSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly methodConfigs: MethodConfigService,
    private readonly registry: MethodRegistry,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.seedMethodConfigs) return;
    for (const method of this.registry.all()) {
      try {
        const seeded = await this.methodConfigs.seedDefault(method.key);
        if (seeded) this.logger.log(`Seeded an active "${method.key}" method config with its default global config (seedMethodConfigs).`);
      } catch (error) {
        // A method whose global config needs the host's values, or a database not migrated yet: the app still starts.
        const reason = error instanceof TwoFactorError ? `its default global config is not valid (${error.code})` : String((error as Error)?.message ?? error);
        this.logger.warn(`Could not seed a "${method.key}" method config: ${reason}. Create one with MethodConfigService or the admin API.`);
      }
    }
  }
}
