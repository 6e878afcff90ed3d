import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type request from 'supertest';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { forMysql } from '../../libs/two-factor/src/persistence/sql-runner.js';
import type { TestDatabase } from './test-database.js';

/** Where both harnesses mount the module's endpoints (the demo's prefix, so suites run on either). */
export const TWO_FACTOR_PREFIX = 'api/v1/auth/2factor';
export const API = `/${TWO_FACTOR_PREFIX}`;
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** The HTTP platform the suites run on: `TEST_HTTP_ADAPTER=fastify` runs them all on Fastify (CI does both). */
export const TEST_HTTP_ADAPTER: 'express' | 'fastify' = process.env.TEST_HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';

/** Transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, `START TRANSACTION`): statements the budgets and query plans leave out. */
export const isTransactionControl = (sql: string): boolean => /^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(sql.trim());

/** Counts the SQL statements TypeORM sends (BEGIN/COMMIT included), for the statement budgets; with their parameters for suites that replay them. */
export class StatementCounter implements TypeOrmLogger {
  /** The statements of the `sentDuring` under way; none are kept outside one. */
  private sent: { query: string; parameters: unknown[] }[] | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    this.sent?.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  /** Runs `work` and returns the statements it sent. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    return (await this.sentDuring(work)).map((statement) => statement.query);
  }
  /** Runs `work` and returns the statements it sent, with their parameters (`libs/two-factor/test/query-plans.spec.ts`). */
  async sentDuring(work: () => Promise<unknown>): Promise<{ query: string; parameters: unknown[] }[]> {
    const seen: { query: string; parameters: unknown[] }[] = [];
    this.sent = seen;
    try {
      await work();
    } finally {
      this.sent = null;
    }
    return seen;
  }
}

/** What suites need of a booted app, whichever harness booted it. */
export interface AppHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  statements: StatementCounter;
  /** Raw SQL written with `?` placeholders, on any database (rewritten to `$n` for PostgreSQL). */
  sql(text: string, params?: unknown[]): Promise<any[]>;
  /** Headers that sign `username` in (any name is a user of that id). */
  auth(username: string): Promise<Record<string, string>>;
  /** Boots a second app instance on the same database (cross-instance races). */
  another(): Promise<{ app: INestApplication; http: ReturnType<typeof request> }>;
  close(): Promise<void>;
}

/** A user id no test has used yet: a user with no factors. */
export function freshUser(): string {
  return `user-${randomBytes(5).toString('hex')}`;
}

/** `?` placeholders as the database wants them (and, on MySQL/MariaDB, the reserved word `key` quoted, as the module's runner does). */
export function placeholders(kind: TestDatabase['kind'], text: string): string {
  let n = 0;
  if (kind === 'mysql') return forMysql(text);
  return kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
}
