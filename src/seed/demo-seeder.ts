import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MethodConfigService, type PublicAdminMethodConfig } from 'nestjs-two-factor';
import { MethodRegistry } from 'nestjs-two-factor/methods';
import type { DemoWebAuthnConfig } from '../demo.config.js';

/** Injection token of the relying party the demo seeds its WebAuthn method config with. */
export const DEMO_WEBAUTHN = Symbol('DEMO_WEBAUTHN');

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
    @Inject(DEMO_WEBAUTHN) private readonly webauthn: DemoWebAuthnConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The oldest method config of each method is the seeded one.
    const seeded = new Map<string, PublicAdminMethodConfig>();
    for (const config of (await this.methodConfigs.list()).sort((a, b) => a.id - b.id)) if (!seeded.has(config.method)) seeded.set(config.method, config);
    for (const method of this.registry.all()) {
      const config = this.seedConfigOf(method.key);
      const existing = seeded.get(method.key);
      if (existing) {
        // The passkey page's origin follows PORT / WEBAUTHN_ORIGINS, so the seeded relying party follows the environment.
        const stale = Object.entries(config).some(([key, value]) => JSON.stringify(existing.config[key]) !== JSON.stringify(value));
        if (method.key === 'webauthn' && stale) {
          await this.methodConfigs.update(existing.id, { config: { ...existing.config, ...config } });
          this.logger.log(`Set the "webauthn" method config to rp id ${this.webauthn.rpId} and origins ${this.webauthn.origins.join(', ')}.`);
        }
        continue;
      }
      await this.methodConfigs.create({ method: method.key, title: method.verboseName, config, isActive: true, isDefault: method.key === 'dummy' });
      this.logger.log(`Seeded an active "${method.key}" method config.`);
    }
  }

  private seedConfigOf(method: string): Record<string, unknown> {
    if (method === 'webauthn') return { rp_id: this.webauthn.rpId, rp_name: 'two-factor demo', origins: this.webauthn.origins };
    return SEED_CONFIGS[method] ?? {};
  }
}
