import type { INestApplication, LoggerService } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { createDemoApp } from '../../src/app.factory.js';
import { TWO_FACTOR_ROUTE_PREFIX } from '../../src/app.module.js';
import { demoConfigFromEnv, type DemoConfig } from '../../src/demo.config.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database.js';

export const API = `/${TWO_FACTOR_ROUTE_PREFIX}`;
/** The HTTP platform the demo suites run on: `TEST_HTTP_ADAPTER=fastify` runs them all on Fastify (CI does both). */
export const TEST_HTTP_ADAPTER = process.env.TEST_HTTP_ADAPTER ?? 'express';
/** The demo's seeded users: they sign in through the login route. */
const DEMO_USERS = ['alice', 'bob', 'admin'];

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** Counts the SQL statements TypeORM sends (BEGIN/COMMIT included), for the statement budgets. */
export class StatementCounter implements TypeOrmLogger {
  statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  /** Runs `work` and returns the statements it sent. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    this.statements = [];
    await work();
    const seen = this.statements;
    this.statements = [];
    return seen;
  }
}

export interface DemoHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  statements: StatementCounter;
  /** Raw SQL written with `?` placeholders, on either database (rewritten to `$n` for PostgreSQL). */
  sql(text: string, params?: unknown[]): Promise<any[]>;
  /**
   * A bearer header: alice, bob and admin sign in through the demo's login route; any
   * other name gets a token for a user of that id, so a test can start from a
   * user with no factors (see `freshUser`).
   */
  auth(username: string): Promise<{ Authorization: string }>;
  /** Boots a second app instance on the same database (cross-instance races). */
  another(): Promise<{ app: INestApplication; http: ReturnType<typeof request> }>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<DemoConfig, 'database'>> {
  /** Reuse an existing database instead of creating a fresh one. */
  db?: TestDatabase;
  /** DataSource options on top of the demo's (e.g. SQLite's busy timeout). */
  databaseExtra?: Record<string, unknown>;
  /** Where the app logs (nothing by default). */
  logger?: LoggerService;
}

/** Boots the real demo app on a fresh database of `kind`, ready for HTTP through supertest. */
export async function bootDemo(kind: DatabaseKind, options: HarnessOptions = {}): Promise<DemoHarness> {
  const db = options.db ?? (await createTestDatabase(kind));
  const statements = new StatementCounter();
  const base = demoConfigFromEnv({ DATABASE_URL: db.url, TWO_FACTOR_SECRET: TEST_SECRET, NODE_ENV: 'test', HTTP_ADAPTER: TEST_HTTP_ADAPTER });
  const { db: _db, databaseExtra, logger, ...overrides } = options;
  // Swagger UI on Fastify needs @fastify/static, an ES module Jest on Node 20 cannot require.
  const swaggerUi = TEST_HTTP_ADAPTER === 'express';
  const config: DemoConfig = { ...base, swaggerUi, ...overrides, database: { ...base.database, ...databaseExtra, logger: statements, logging: ['query'] } as DemoConfig['database'] };
  const started: INestApplication[] = [];
  const boot = async () => {
    const app = await createDemoApp(config, logger ?? false);
    await app.init();
    // Fastify answers only once its plugins are loaded; supertest talks to the bare server.
    if (config.httpAdapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
    started.push(app);
    return { app, http: request(app.getHttpServer()) };
  };
  const first = await boot();
  const tokens = new Map<string, string>();
  return {
    ...first,
    db,
    statements,
    sql(text, params = []) {
      let n = 0;
      return first.app.get(DataSource).query(kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params);
    },
    async auth(username) {
      if (!tokens.has(username)) {
        if (DEMO_USERS.includes(username)) {
          const response = await first.http.post('/api/v1/auth/login').send({ username, password: config.demoPassword }).expect(200);
          tokens.set(username, response.body.access_token);
        } else {
          tokens.set(username, await first.app.get(JwtService).signAsync({ sub: username, username }));
        }
      }
      return { Authorization: `Bearer ${tokens.get(username)}` };
    },
    another: boot,
    async close() {
      for (const app of started.reverse()) await app.close();
      if (!options.db) await db.drop();
    },
  };
}

/** A user id no test has used yet: a user with no factors. */
export function freshUser(): string {
  return `user-${randomBytes(5).toString('hex')}`;
}
