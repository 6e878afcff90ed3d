import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MethodConfig, MethodRegistry } from 'nestjs-two-factor';

/** Global configs the demo seeds for the built-in methods; any other method gets `{}`. */
const SEED_CONFIGS: Record<string, Record<string, unknown>> = {
  dummy: { code: 'dummy-method' },
  totp: { issuer: 'two-factor demo', digits: 6, algorithm: 'SHA1', window: 1, period: 30 },
  backup_codes: { count: 10 },
  email: { digits: 6, ttl_seconds: 600, subject: 'Your demo verification code', resend_cooldown_seconds: 60, max_sends_per_destination_per_hour: 5 },
  sms: { digits: 6, ttl_seconds: 300, allowed_countries: [], max_sends_per_number_per_day: 10, max_sends_per_prefix_per_day: 100 },
};

/** Seeds one active method config per registered method, once (a method that already has one is left alone). */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: MethodRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const repository = this.dataSource.getRepository(MethodConfig);
    for (const method of this.registry.all()) {
      if (await repository.exists({ where: { method: method.key } })) continue;
      const now = new Date();
      await repository.insert({ title: method.verboseName, method: method.key, config: SEED_CONFIGS[method.key] ?? {}, is_active: true, is_default: method.key === 'dummy', created_at: now, updated_at: now } as never);
      this.logger.log(`Seeded an active "${method.key}" method config.`);
    }
  }
}
