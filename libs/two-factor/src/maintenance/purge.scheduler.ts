import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import { SignInService } from '../sign-in/sign-in.service.js';

/**
 * Runs `purgeExpired()` (of confirmations, then of pending sign-ins and devices) every
 * `purgeIntervalSeconds`, when that option is set (it is off by default).
 */
@Injectable()
export class PurgeScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TwoFactorPurge');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly signIn: SignInService,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.purgeIntervalSeconds === 0) return;
    this.timer = setInterval(() => void this.tick(), this.options.purgeIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One purge; a slow one is never overlapped by the next. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.confirmer.purgeExpired();
      await this.signIn.purgeExpired();
    } catch (error) {
      this.logger.warn(`Purge failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
