import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TWO_FACTOR_ENTITIES, twoFactorMigrations } from 'nestjs-two-factor';

/** The module's tables, migrated, in an in-memory SQLite database: what a spec boots the module on when the database is not its subject. */
export function inMemoryTwoFactorDatabase(): DynamicModule {
  return TypeOrmModule.forRoot({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: TWO_FACTOR_ENTITIES,
    migrations: twoFactorMigrations('sqlite'),
    migrationsRun: true,
  });
}
