import { Injectable } from '@nestjs/common';
import { PurgeBacklogStore, type PurgedTable } from './purge-backlog.store.js';

/** What the indicator reports under its key; the shape of a `@nestjs/terminus` HealthIndicatorResult. */
export interface TwoFactorHealthDetails {
  status: 'up' | 'down' | 'degraded';
  database: 'up' | 'down';
  /** Expired rows waiting for the purge, per table (absent while the database is down). */
  purge_backlog?: Record<PurgedTable, number>;
  /** Why it is not up: `database_unavailable` or `purge_backlog`. */
  reason?: string;
}

export interface TwoFactorHealthOptions {
  /** Above this many expired rows in one table the indicator says `degraded` (still a 200): the purge is off or behind. */
  maxPurgeBacklog?: number;
}

/**
 * A health indicator for `@nestjs/terminus` (an optional peer: this class needs nothing of it,
 * it returns the plain HealthIndicatorResult terminus reads): the module's database
 * reachability and its purge backlog.
 * @example
 * this.health.check([() => this.twoFactor.isHealthy('two_factor', { maxPurgeBacklog: 100_000 })])
 */
@Injectable()
export class TwoFactorHealthIndicator {
  constructor(private readonly store: PurgeBacklogStore) {}

  async isHealthy<const Key extends string = 'two_factor'>(
    key: Key = 'two_factor' as Key,
    options: TwoFactorHealthOptions = {},
  ): Promise<Record<Key, TwoFactorHealthDetails>> {
    let details: TwoFactorHealthDetails;
    try {
      const backlog = await this.store.backlog(Date.now());
      const behind = options.maxPurgeBacklog !== undefined && Object.values(backlog).some((rows) => rows > options.maxPurgeBacklog!);
      details = behind
        ? { status: 'degraded', database: 'up', purge_backlog: backlog, reason: 'purge_backlog' }
        : { status: 'up', database: 'up', purge_backlog: backlog };
    } catch {
      // The error's text may name the host or the user of the connection: only the word goes out.
      details = { status: 'down', database: 'down', reason: 'database_unavailable' };
    }
    return { [key]: details } as Record<Key, TwoFactorHealthDetails>;
  }
}
