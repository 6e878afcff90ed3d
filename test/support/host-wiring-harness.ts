import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { TWO_FACTOR_ENTITIES, twoFactorMigrations } from 'nestjs-two-factor';
import { HostWiringAppModule, SESSION_PREFIX, type HostWiringAppOptions } from '../fixtures/host-wiring-app.module.js';
import { placeholders, StatementCounter, TEST_HTTP_ADAPTER, TEST_SECRET, type AppHarness } from './harness.js';
import { createTestDatabase, mysqlType, mysqlUrl, type DatabaseKind, type TestDatabase } from './test-database.js';

export function hostDatabaseOptions(db: TestDatabase): DataSourceOptions {
  const common = { entities: TWO_FACTOR_ENTITIES, migrationsTableName: 'two_factor_migrations' };
  if (db.kind === 'postgres') return { ...common, type: 'postgres', url: db.url, migrations: twoFactorMigrations('postgres') };
  if (db.kind === 'mysql') return { ...common, type: mysqlType(db), url: mysqlUrl(db), migrations: twoFactorMigrations('mysql') };
  return { ...common, type: 'better-sqlite3', database: db.url.slice('sqlite:'.length), enableWAL: true, migrations: twoFactorMigrations('sqlite') };
}

/** Boots test/fixtures/host-wiring-app.module.ts: no global filter, no cookie-parser, nothing the docs do not ask for. */
export async function bootHostWiring(
  kind: DatabaseKind,
  options: Omit<HostWiringAppOptions, 'database' | 'secret'>,
  given?: TestDatabase,
  app: { globalPrefix?: string } = {},
): Promise<AppHarness> {
  const db = given ?? (await createTestDatabase(kind));
  const module = HostWiringAppModule.forRoot({ ...options, database: hostDatabaseOptions(db), secret: TEST_SECRET });
  const started: INestApplication[] = [];
  const boot = async () => {
    const nest =
      TEST_HTTP_ADAPTER === 'fastify'
        ? await NestFactory.create(module, new FastifyAdapter(), { logger: false, abortOnError: false })
        : await NestFactory.create(module, { logger: false, abortOnError: false });
    if (app.globalPrefix) nest.setGlobalPrefix(app.globalPrefix);
    await nest.init();
    if (TEST_HTTP_ADAPTER === 'fastify') await nest.getHttpAdapter().getInstance().ready();
    started.push(nest);
    return { app: nest, http: request(nest.getHttpServer()) };
  };
  try {
    const first = await boot();
    return {
      ...first,
      db,
      statements: new StatementCounter(),
      sql: (text, params = []) => first.app.get(DataSource).query(placeholders(kind, text), params),
      auth: async (userId) => ({ authorization: `Bearer ${SESSION_PREFIX}${userId}` }),
      another: boot,
      async close() {
        for (const app of started.reverse()) await app.close();
        if (!given) await db.drop();
      },
    };
  } catch (error) {
    for (const app of started) await app.close();
    if (!given) await db.drop();
    throw error;
  }
}
