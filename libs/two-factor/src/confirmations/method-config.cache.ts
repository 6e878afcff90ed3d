import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { MethodConfig } from '../entities/method-config.entity.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { SqlRunner } from '../persistence/sql-runner.js';

/**
 * Active method configs, read from the database at most once per
 * `methodConfigCacheSeconds`. Only `requestConfirmation` and the list endpoint
 * read through it: `confirm`, `check` and `use` join the live row, so a
 * deactivated method stops counting at once.
 */
@Injectable()
export class MethodConfigCache {
  private loaded: Promise<Map<number, MethodConfig>> | null = null;
  private loadedAt = 0;

  constructor(
    @InjectRepository(MethodConfig) private readonly repository: Repository<MethodConfig>,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly sql: SqlRunner,
  ) {}

  /** Active method configs by id, ordered by id. */
  async active(): Promise<MethodConfig[]> {
    return [...(await this.current()).values()];
  }

  /** The active method config `id`; a miss re-reads once, so a new config is seen at once. */
  async find(id: number): Promise<MethodConfig | undefined> {
    const found = (await this.current()).get(id);
    if (found) return found;
    this.invalidate();
    return (await this.current()).get(id);
  }

  /** Forgets what was read: call after changing method configs in the same process. */
  invalidate(): void {
    this.loaded = null;
  }

  private current(): Promise<Map<number, MethodConfig>> {
    const ttl = this.options.methodConfigCacheSeconds * 1000;
    if (!this.loaded || Date.now() - this.loadedAt >= ttl) {
      this.loadedAt = Date.now();
      this.loaded = this.sql
        .exclusive(() => this.repository.find({ where: { is_active: true }, order: { id: 'ASC' } }))
        .then((rows) => new Map(rows.map((row) => [row.id, row])));
      this.loaded.catch(() => this.invalidate());
    }
    return this.loaded;
  }
}
