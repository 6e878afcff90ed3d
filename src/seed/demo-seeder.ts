import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MethodConfigService, MethodRegistry } from '../../libs/two-factor/src/index.js';

/** Global configs the demo seeds for the built-in methods; any other method gets its defaults. */
const SEED_CONFIGS: Record<string, Record<string, unknown>> = {
  dummy: { code: 'dummy-method' },
  totp: { issuer: 'two-factor demo', digits: 6, algorithm: 'SHA1', window: 1, period: 30 },
  backup_codes: { count: 10 },
  email: { digits: 6, ttl_seconds: 600, subject: 'Your demo verification code', resend_cooldown_seconds: 60, max_sends_per_destination_per_hour: 5 },
  sms: { digits: 6, ttl_seconds: 300, allowed_countries: [], max_sends_per_number_per_day: 10, max_sends_per_prefix_per_day: 100 },
};

/**
 * Seeds one active method config per registered method, once (a method that
 * already has one is left alone), through MethodConfigService: the same
 * validation an admin's change gets, so a bad seed fails at startup.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly methodConfigs: MethodConfigService,
    private readonly registry: MethodRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeded = new Set((await this.methodConfigs.list()).map((config) => config.method));
    for (const method of this.registry.all()) {
      if (seeded.has(method.key)) continue;
      await this.methodConfigs.create({ method: method.key, title: method.verboseName, config: SEED_CONFIGS[method.key] ?? {}, isActive: true, isDefault: method.key === 'dummy' });
      this.logger.log(`Seeded an active "${method.key}" method config.`);
    }
  }
}
