import type { MixedList } from 'typeorm';
import { SQLITE_MIGRATIONS } from './sqlite/index.js';
import { POSTGRES_MIGRATIONS } from './postgres/index.js';

/**
 * The module's migrations for a database type, for a DataSource's `migrations`.
 * @example new DataSource({ type: 'postgres', migrations: twoFactorMigrations('postgres'), … })
 */
export function twoFactorMigrations(type: 'postgres' | 'sqlite' | 'better-sqlite3'): MixedList<Function> {
  return type === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
}
