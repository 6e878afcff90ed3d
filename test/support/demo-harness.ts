import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDemoApp } from '../../src/app.factory.js';
import { demoConfigFromEnv, type DemoConfig } from '../../src/demo.config.js';
import { placeholders, StatementCounter, TEST_SECRET, type AppHarness } from './harness.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database.js';

export { API, freshUser, StatementCounter, TEST_SECRET } from './harness.js';

/** The demo app, booted for a test: its own sign-in (bearer JWTs), routes and seeded method configs. */
export interface DemoHarness extends AppHarness {
  /**
   * A bearer header: alice and bob sign in through the demo's login route; any
   * other name gets a token for a user of that id, so a test can start from a
   * user with no factors (see `freshUser`).
   */
  auth(username: string): Promise<{ Authorization: string }>;
}

export interface HarnessOptions extends Partial<Omit<DemoConfig, 'database'>> {
  /** Reuse an existing database instead of creating a fresh one. */
  db?: TestDatabase;
}

/** Boots the real demo app on a fresh database of `kind`, ready for HTTP through supertest. */
export async function bootDemo(kind: DatabaseKind, options: HarnessOptions = {}): Promise<DemoHarness> {
  const db = options.db ?? (await createTestDatabase(kind));
  const statements = new StatementCounter();
  const base = demoConfigFromEnv({ DATABASE_URL: db.url, TWO_FACTOR_SECRET: TEST_SECRET, NODE_ENV: 'test' });
  const config: DemoConfig = { ...base, ...options, database: { ...base.database, logger: statements, logging: ['query'] } as DemoConfig['database'] };
  const started: INestApplication[] = [];
  const boot = async () => {
    const app = await createDemoApp(config, false);
    await app.init();
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
        if (username === 'alice' || username === 'bob') {
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
