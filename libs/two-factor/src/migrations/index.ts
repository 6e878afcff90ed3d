import type { MixedList } from 'typeorm';
import { SQLITE_MIGRATIONS } from './sqlite/index.js';
import { POSTGRES_MIGRATIONS } from './postgres/index.js';
import { MYSQL_MIGRATIONS } from './mysql/index.js';

/**
 * The module's migrations for a database type, for a DataSource's `migrations`
 * (`mysql` serves MySQL 8 and MariaDB 10.6+ alike, as TypeORM's `mysql` and `mariadb` types do).
 * @example new DataSource({ type: 'postgres', migrations: twoFactorMigrations('postgres'), … })
 */
export function twoFactorMigrations(type: 'postgres' | 'sqlite' | 'better-sqlite3' | 'mysql' | 'mariadb'): MixedList<Function> {
  if (type === 'mysql' || type === 'mariadb') return MYSQL_MIGRATIONS;
  return type === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
}
