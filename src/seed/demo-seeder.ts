import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MethodConfig, MethodRegistry } from 'nestjs-two-factor';
import type { DemoWebAuthnConfig } from '../demo.config.js';

/** Injection token of the relying party the demo seeds its WebAuthn method config with. */
export const DEMO_WEBAUTHN = Symbol('DEMO_WEBAUTHN');

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
    @Inject(DEMO_WEBAUTHN) private readonly webauthn: DemoWebAuthnConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const repository = this.dataSource.getRepository(MethodConfig);
    for (const method of this.registry.all()) {
      const config = this.seedConfigOf(method.key);
      const existing = await repository.findOne({ where: { method: method.key }, order: { id: 'ASC' } });
      if (existing) {
        // The passkey page's origin follows PORT / WEBAUTHN_ORIGINS, so the seeded relying party follows the environment.
        if (method.key === 'webauthn' && JSON.stringify(existing.config) !== JSON.stringify(config)) {
          await repository.update({ id: existing.id }, { config, updated_at: new Date() } as never);
          this.logger.log(`Set the "webauthn" method config to rp id ${this.webauthn.rpId} and origins ${this.webauthn.origins.join(', ')}.`);
        }
        continue;
      }
      const now = new Date();
      await repository.insert({ title: method.verboseName, method: method.key, config, is_active: true, is_default: method.key === 'dummy', created_at: now, updated_at: now } as never);
      this.logger.log(`Seeded an active "${method.key}" method config.`);
    }
  }

  private seedConfigOf(method: string): Record<string, unknown> {
    if (method === 'webauthn') return { rp_id: this.webauthn.rpId, rp_name: 'two-factor demo', origins: this.webauthn.origins };
    return SEED_CONFIGS[method] ?? {};
  }
}
