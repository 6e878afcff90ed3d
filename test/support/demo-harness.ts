import type { INestApplication, LoggerService } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDemoApp } from '../../src/app.factory.js';
import { demoConfigFromEnv, type DemoConfig } from '../../src/demo.config.js';
import { placeholders, StatementCounter, TEST_SECRET, type AppHarness } from './harness.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database.js';

export { API, freshUser, StatementCounter, TEST_SECRET } from './harness.js';
import { TEST_HTTP_ADAPTER } from './harness.js';
export { TEST_HTTP_ADAPTER };
/** The demo's seeded users: they sign in through the login route. */
const DEMO_USERS = ['alice', 'bob', 'admin'];

/** The demo app, booted for a test: its own sign-in (bearer JWTs), routes and seeded method configs. */
export interface DemoHarness extends AppHarness {
  /**
   * A bearer header: alice, bob and admin sign in through the demo's login route; any
   * other name gets a token for a user of that id, so a test can start from a
   * user with no factors (see `freshUser`).
   */
  auth(username: string): Promise<{ Authorization: string }>;
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
  const config: DemoConfig = {
    ...base,
    swaggerUi,
    ...overrides,
    database: { ...base.database, ...databaseExtra, logger: statements, logging: ['query'] } as DemoConfig['database'],
  };
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
      return first.app.get(DataSource).query(placeholders(kind, text), params);
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
