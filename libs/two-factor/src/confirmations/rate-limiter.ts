import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RateLimitedError } from '../errors/request.errors.js';
import { SecretBox } from '../secrets/secret-box.js';
import { SqlRunner } from '../persistence/sql-runner.js';
import type { RateLimits } from '../method-api/rate-limits.js';

export type { RateLimits };

/**
 * Fixed-window counters in the database: one upsert … RETURNING per hit, so the
 * count is exact however many app instances share the database. On MySQL/MariaDB
 * (no RETURNING) the upsert hands its count back through LAST_INSERT_ID. Keys are
 * stored as keyed hashes, never as the addresses or numbers they name.
 */
@Injectable()
export class RateLimiter implements RateLimits {
  constructor(
    private readonly sql: SqlRunner,
    private readonly secrets: SecretBox,
  ) {}

  /** The same limits, counted inside the open transaction of `manager` (a challenge issued while an enrolment is written). */
  within(manager: EntityManager): RateLimits {
    return { hit: (key, max, windowSeconds) => this.hit(key, max, windowSeconds, manager) };
  }

  async hit(key: string, max: number, windowSeconds: number, manager?: EntityManager): Promise<void> {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const stale = now - windowMs;
    if (this.sql.isMysql) return this.hitMysql(this.keyOf(key, windowSeconds), max, now, windowMs, manager);
    const [row] = await this.sql.rows<{ count: number | string; window_start: number | string }>(
      `INSERT INTO two_factor_rate_counter (key, window_start, count, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN two_factor_rate_counter.window_start <= ? THEN 1 ELSE two_factor_rate_counter.count + 1 END,
         window_start = CASE WHEN two_factor_rate_counter.window_start <= ? THEN ? ELSE two_factor_rate_counter.window_start END,
         expires_at = CASE WHEN two_factor_rate_counter.window_start <= ? THEN ? ELSE two_factor_rate_counter.expires_at END
       RETURNING count, window_start`,
      [this.keyOf(key, windowSeconds), now, now + windowMs, stale, stale, now, stale, now + windowMs],
      manager,
    );
    if (Number(row.count) > max) {
      throw new RateLimitedError(Math.max(1, Math.ceil((Number(row.window_start) + windowMs - now) / 1000)));
    }
  }

  /**
   * hit on MySQL/MariaDB: INSERT … ON DUPLICATE KEY UPDATE, whose assignments run left to right
   * (each sees the ones before it): the window's start is tested before it moves. The count of this
   * hit comes back as LAST_INSERT_ID(count) (0, i.e. none set, when the row was inserted: 1).
   */
  private async hitMysql(key: string, max: number, now: number, windowMs: number, manager?: EntityManager): Promise<void> {
    const stale = now - windowMs;
    const { insertId } = await this.sql.write(
      `INSERT INTO two_factor_rate_counter (key, window_start, count, expires_at) VALUES (?, ?, 1, ?)
       ON DUPLICATE KEY UPDATE
         expires_at = CASE WHEN window_start <= ? THEN ? ELSE expires_at END,
         count = LAST_INSERT_ID(CASE WHEN window_start <= ? THEN 1 ELSE count + 1 END),
         window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END`,
      [key, now, now + windowMs, stale, now + windowMs, stale, stale, now],
      manager,
    );
    const count = insertId || 1;
    if (count <= max) return;
    // Refused: the window's start only sets Retry-After.
    const [row] = await this.sql.rows<{ window_start: number | string }>('SELECT window_start FROM two_factor_rate_counter WHERE key = ?', [key], manager);
    const windowStart = row ? Number(row.window_start) : now;
    throw new RateLimitedError(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)));
  }

  private keyOf(key: string, windowSeconds: number): string {
    return this.secrets.hash(`${key}@${windowSeconds}`).slice(0, 96);
  }
}
