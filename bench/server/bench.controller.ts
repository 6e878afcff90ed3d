import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Session } from 'node:inspector/promises';
import type { DataSource } from 'typeorm';
import { ConfirmerService, SignInService } from 'nestjs-two-factor';
import { inParallel } from '../lib/api.js';
import { benchPool, type PoolSamples } from './pool-sampler.js';
import { benchRequests, benchStatements } from './statement-counter.js';

/** What `GET /bench/stats` answers: the server process's own accounting. */
export interface BenchStats {
  pid: number;
  /** The HTTP platform this process serves on (`express` or `fastify`). */
  httpAdapter: string;
  /** `process.cpuUsage()` in microseconds since the process started. */
  cpu: { user: number; system: number };
  /** SQL statements sent since the process started (BEGIN/COMMIT included). */
  statements: number;
  /** HTTP requests received since the process started (this one included). */
  requests: number;
  slow: { count: number; slowestMs: number; slowestSql: string };
  /** PostgreSQL: the pool's counts summed over 2 ms samples (all zero on SQLite). */
  pool: PoolSamples;
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
  /** Whether a full GC ran before `memory` was read (`?gc=1` and `--expose-gc`). */
  gc: boolean;
}

const FILL_BATCH = 50_000;
/** MySQL caps recursive CTEs at 1000 rows by default: filler rows come from a cross join of digits instead (up to 100 000). */
const MYSQL_DIGITS =
  '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
const MYSQL_ROWS = ['a', 'b', 'c', 'd', 'e'].map((alias) => `${MYSQL_DIGITS} ${alias}`).join(' CROSS JOIN ');
/** A random version-4 UUID in SQLite (no built-in function). */
const SQLITE_UUID = `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
  || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;

/**
 * Routes of the bench server only (never in the demo): the floor the benchmark compares every
 * endpoint to, the server's CPU, memory and statement counters, and the bulk
 * helpers of `bench:scale`. Hidden from Swagger.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchController {
  private readonly isPostgres: boolean;
  private readonly isMysql: boolean;
  private profiler?: Session;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
    this.isMysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  }

  /** The floor: exactly one primary-key SELECT, and nothing else. */
  @Get('floor')
  async floor(@Query('id') id?: string): Promise<{ id: number | null }> {
    const rows: Array<{ id: number }> = await this.dataSource.query(`SELECT id FROM two_factor_method_config WHERE id = ${this.isPostgres ? '$1' : '?'}`, [
      Number(id ?? 1),
    ]);
    return { id: rows[0]?.id ?? null };
  }

  /** CPU, statements and memory of this process (no SQL). `?gc=1` runs a full GC first when available. */
  @Get('stats')
  stats(@Query('gc') gc?: string): BenchStats {
    const collect = (globalThis as { gc?: () => void }).gc;
    const collected = gc === '1' && typeof collect === 'function';
    if (collected) collect!();
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      httpAdapter: this.adapterHost.httpAdapter.getType(),
      cpu: process.cpuUsage(),
      statements: benchStatements.count,
      requests: benchRequests.count,
      pool: { ...benchPool.counts },
      slow: { count: benchStatements.slowCount, slowestMs: benchStatements.slowestMs, slowestSql: benchStatements.slowestSql },
      memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external },
      gc: collected,
    };
  }

  /** Starts V8's sampling CPU profiler in this process (what `node --cpu-prof` uses), for one measured round. */
  @Post('profile/start')
  @HttpCode(204)
  async startProfile(): Promise<void> {
    if (this.profiler) return;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    this.profiler = session;
  }

  /** Stops the profiler and answers the `.cpuprofile` JSON. */
  @Post('profile/stop')
  @HttpCode(200)
  async stopProfile(): Promise<unknown> {
    const session = this.profiler;
    if (!session) return null;
    this.profiler = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile;
  }

  /** Exits the process (after answering) so that `node --cpu-prof` writes its profile. */
  @Post('exit')
  @HttpCode(202)
  exit(): { exiting: true } {
    setTimeout(() => process.exit(0), 100);
    return { exiting: true };
  }

  /**
   * bench:scale: adds `count` filler confirmations (another user's, so they never
   * match a bench request), expired when `expired` is true, and as many filler factors
   * (other users' confirmed dummy factors: a statement that reads every factor shows),
   * with set-based multi-row INSERT … SELECT statements of at most 50 000 rows each.
   */
  @Post('fill')
  @HttpCode(200)
  async fill(@Body() body: { count?: number; expired?: boolean; method_config_id?: number }): Promise<{ inserted: number; ms: number; total: number }> {
    const count = Math.max(0, Math.floor(Number(body?.count ?? 0)));
    const methodConfigId = Number(body?.method_config_id ?? 1);
    const now = Date.now();
    const expiresAt = body?.expired ? now - 3_600_000 : now + 3_600_000;
    const started = performance.now();
    const uuid = this.isPostgres ? 'gen_random_uuid()::text' : this.isMysql ? 'UUID()' : SQLITE_UUID;
    await this.insertSeries(
      'INSERT INTO two_factor_confirmation (id, method_config_id, user_config_id, challenge_seq, user_id, purpose, status, state, attempts, max_attempts, expires_at, created_at, updated_at)',
      `${uuid}, ?, NULL, NULL, 'bench-filler', 'step_up', 'in_process', '{}', 0, 5, ?, ?, ?`,
      [methodConfigId, expiresAt, now, now],
      count,
    );
    await this.insertSeries(
      'INSERT INTO two_factor_user_config (method_config_id, user_id, status, config, is_active, created_at, updated_at)',
      `?, 'bench-filler-factor', 'confirmed', '{}', TRUE, ?, ?`,
      [methodConfigId, now, now],
      count,
    );
    const ms = performance.now() - started;
    // Let the database settle before anything is timed: statistics, dirty pages, the WAL.
    if (this.isPostgres) {
      await this.dataSource.query('VACUUM ANALYZE two_factor_confirmation');
      await this.dataSource.query('VACUUM ANALYZE two_factor_user_config');
      await this.dataSource.query('CHECKPOINT');
    } else if (this.isMysql) {
      await this.dataSource.query('ANALYZE TABLE two_factor_confirmation, two_factor_user_config');
    } else {
      await this.dataSource.query('ANALYZE two_factor_confirmation');
      await this.dataSource.query('ANALYZE two_factor_user_config');
      await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    }
    const [{ total }] = await this.dataSource.query('SELECT COUNT(*) AS total FROM two_factor_confirmation');
    return { inserted: count, ms, total: Number(total) };
  }

  /**
   * Pending sign-ins for `login/confirm`'s rounds, made in this process: for each factor, the demo
   * login's `SignInService.start` for `user_id` (the password is not checked: the bench only, never
   * the demo) and `login/request`'s `requestConfirmation` on that factor. The demo's login spends a
   * scrypt hash and lists every factor in its answer, which made a pool of 2000 take minutes; the
   * measured route, `login/confirm`, is the demo's own. Ten at a time (PostgreSQL's pool).
   */
  @Post('sign-ins')
  @HttpCode(200)
  async signIns(@Body() body: { user_id?: string; factors?: number[] }): Promise<{ tokens: string[] }> {
    const signIn = this.moduleRef.get(SignInService, { strict: false });
    const factors = body?.factors ?? [];
    const tokens = await inParallel(factors.length, 10, async (i) => {
      const started = await signIn.start(String(body.user_id));
      if (!started.twoFactorRequired) throw new Error(`user ${body.user_id} signed in without a second step`);
      await signIn.requestConfirmation(started.token, Number(factors[i]));
      return started.token;
    });
    return { tokens };
  }

  /**
   * Inserts `count` rows of `select` (a SELECT list written with `?`, the same row each time) with
   * `into` (`INSERT INTO table (columns)`), in set-based statements of at most FILL_BATCH rows: the rows
   * come from `generate_series` on PostgreSQL, a cross join of digits on MySQL, a recursive CTE on SQLite.
   */
  private async insertSeries(into: string, select: string, params: unknown[], count: number): Promise<void> {
    for (let done = 0; done < count; done += FILL_BATCH) {
      const n = Math.min(FILL_BATCH, count - done);
      if (this.isPostgres) {
        let k = 0;
        const numbered = select.replace(/\?/g, () => `$${++k}`);
        await this.dataSource.query(`${into} SELECT ${numbered} FROM generate_series(1, $${k + 1})`, [...params, n]);
      } else if (this.isMysql) {
        await this.dataSource.query(`${into} SELECT ${select} FROM ${MYSQL_ROWS} LIMIT ?`, [...params, n]);
      } else {
        await this.dataSource.query(`${into} WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ?) SELECT ${select} FROM s`, [
          n,
          ...params,
        ]);
      }
    }
  }

  /**
   * bench:scale: runs `ConfirmerService.purgeExpired()` once, timing it and its
   * slowest single statement. Answers `available: false` when the module has no purge.
   */
  @Post('purge')
  @HttpCode(200)
  async purge(): Promise<{
    available: boolean;
    ms?: number;
    statements?: number;
    slowestMs?: number;
    slowestSql?: string;
    result?: unknown;
    remaining?: number;
  }> {
    const confirmer = this.moduleRef.get(ConfirmerService, { strict: false }) as ConfirmerService & { purgeExpired?: (...args: unknown[]) => Promise<unknown> };
    if (typeof confirmer.purgeExpired !== 'function') return { available: false };
    benchStatements.resetSlowest();
    const before = benchStatements.count;
    const started = performance.now();
    const result = await confirmer.purgeExpired();
    const ms = performance.now() - started;
    const statements = benchStatements.count - before;
    const { slowestMs, slowestSql } = benchStatements; // the purge's own statements only
    const [{ total }] = await this.dataSource.query('SELECT COUNT(*) AS total FROM two_factor_confirmation');
    return { available: true, ms, statements, slowestMs, slowestSql, result, remaining: Number(total) };
  }
}
