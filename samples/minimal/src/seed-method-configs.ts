import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MethodConfigService } from 'nestjs-two-factor';

/**
 * The host's configuration step: nobody can enrol until an active method config exists for a
 * method. Created through MethodConfigService, which validates each global config, and only when
 * there is none yet (a database file keeps them across restarts).
 */
@Injectable()
export class SeedMethodConfigs implements OnApplicationBootstrap {
  constructor(private readonly methodConfigs: MethodConfigService) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.methodConfigs.list()).length > 0) return;
    await this.methodConfigs.create({ method: 'dummy', title: 'Dummy', config: { code: 'host-code' }, isDefault: true });
    await this.methodConfigs.create({ method: 'email', title: 'Email' });
    await this.methodConfigs.create({ method: 'totp', title: 'Authenticator app', config: { issuer: 'Sample' } });
    await this.methodConfigs.create({ method: 'pin', title: 'PIN' });
  }
}
