import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { TWO_FACTOR_ENTITIES, twoFactorMigrations, TwoFactorExceptionFilter, type TwoFactorOptions } from 'nestjs-two-factor';
import { type MethodDescriptor } from 'nestjs-two-factor/methods';
import { FixtureAppModule, TEST_USER_HEADER } from '../fixtures/fixture-app.module.js';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { placeholders, StatementCounter, TEST_HTTP_ADAPTER, TEST_SECRET, TWO_FACTOR_PREFIX, type AppHarness } from './harness.js';
import { createTestDatabase, mysqlType, mysqlUrl, type DatabaseKind, type TestDatabase } from './test-database.js';

export { API, freshUser, TEST_HTTP_ADAPTER } from './harness.js';

export interface LibraryHarnessOptions {
  /** Reuse an existing database instead of creating a fresh one. */
  db?: TestDatabase;
  /** Methods beside the built-in ones. */
  extraMethods?: MethodDescriptor<any, any>[];
  /** Module options on top of the fixture's. */
  twoFactor?: Partial<TwoFactorOptions>;
}

/** The library's own harness: a user is whoever the X-Test-User header names. */
export interface LibraryHarness extends AppHarness {
  auth(username: string): Promise<{ [TEST_USER_HEADER]: string }>;
}

/** TypeORM options for the test database, with the statement counter as its logger. */
export function databaseOptions(db: TestDatabase, logger: StatementCounter): DataSourceOptions {
  const common = { entities: TWO_FACTOR_ENTITIES, migrationsTableName: 'two_factor_migrations', logger, logging: ['query' as const] };
  if (db.kind === 'postgres') return { ...common, type: 'postgres', url: db.url, migrations: twoFactorMigrations('postgres') };
  if (db.kind === 'mysql') return { ...common, type: mysqlType(db), url: mysqlUrl(db), migrations: twoFactorMigrations('mysql') };
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.url.slice('sqlite:'.length),
    // As the demo runs it (WAL, synchronous=NORMAL): faster writes, same semantics.
    enableWAL: true,
    prepareDatabase: (sqlite: { pragma(sql: string): unknown }) => void sqlite.pragma('synchronous = NORMAL'),
    migrations: twoFactorMigrations('sqlite'),
  };
}

/**
 * Boots the fixture app (test/fixtures/fixture-app.module.ts) on a fresh database
 * of `kind`: the module as any host app would mount it, without the demo.
 */
export async function bootLibrary(kind: DatabaseKind, options: LibraryHarnessOptions = {}): Promise<LibraryHarness> {
  const db = options.db ?? (await createTestDatabase(kind));
  const statements = new StatementCounter();
  const module = FixtureAppModule.forRoot({
    database: databaseOptions(db, statements),
    routePrefix: TWO_FACTOR_PREFIX,
    secret: TEST_SECRET,
    extraMethods: options.extraMethods,
    twoFactor: options.twoFactor,
  });
  const started: INestApplication[] = [];
  const boot = async () => {
    const app =
      TEST_HTTP_ADAPTER === 'fastify'
        ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
        : await NestFactory.create(module, { logger: false });
    // As docs/guide/module.md suggests to host apps: the module's error envelope for bodies that never reach a route.
    app.useGlobalFilters(app.get(TwoFactorExceptionFilter));
    await app.init();
    // Fastify answers only once its plugins are loaded; supertest talks to the bare server.
    if (TEST_HTTP_ADAPTER === 'fastify') await app.getHttpAdapter().getInstance().ready();
    started.push(app);
    return { app, http: request(app.getHttpServer()) };
  };
  const first = await boot();
  return {
    ...first,
    db,
    statements,
    sql: (text, params = []) => first.app.get(DataSource).query(placeholders(kind, text), params),
    auth: async (username) => ({ [TEST_USER_HEADER]: username }),
    another: boot,
    async close() {
      for (const app of started.reverse()) await app.close();
      if (!options.db) await db.drop();
    },
  };
}
