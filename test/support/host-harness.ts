import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MethodConfigService, TwoFactorExceptionFilter, type TwoFactorOptions } from 'nestjs-two-factor';
import { HOST_USER_HEADER, HostAppModule, HostCatchAllFilter } from '../fixtures/host-app.module.js';
import { placeholders, StatementCounter, TEST_HTTP_ADAPTER, TEST_SECRET } from './harness.js';
import { databaseOptions } from './library-harness.js';
import type { TestDatabase } from './test-database.js';

export { HOST_USER_HEADER };

/** Which exception filter the host registers globally: none, the module's, or its own catch-all. */
export type HostFilter = 'none' | 'module' | 'host';

export interface HostHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  sql(text: string, params?: unknown[]): Promise<any[]>;
  /** Creates an active method config through the admin service; returns its id. */
  methodConfig(method: string, config?: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

/** Boots the host app (test/fixtures/host-app.module.ts) on `db` with `filter` registered globally. */
export async function bootHost(db: TestDatabase, filter: HostFilter, twoFactor: Partial<TwoFactorOptions> = {}): Promise<HostHarness> {
  const module = HostAppModule.forRoot({ database: databaseOptions(db, new StatementCounter()), secret: TEST_SECRET, twoFactor });
  const app =
    TEST_HTTP_ADAPTER === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false, abortOnError: false })
      : await NestFactory.create(module, { logger: false, abortOnError: false });
  if (filter === 'module') app.useGlobalFilters(app.get(TwoFactorExceptionFilter));
  if (filter === 'host') app.useGlobalFilters(new HostCatchAllFilter(app.get(HttpAdapterHost)));
  await app.init();
  if (TEST_HTTP_ADAPTER === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    sql: (text, params = []) => app.get(DataSource).query(placeholders(db.kind, text), params),
    methodConfig: async (method, config = {}) => (await app.get(MethodConfigService).create({ method, title: '', config })).id,
    close: () => app.close(),
  };
}
