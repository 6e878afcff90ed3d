import { Injectable } from '@nestjs/common';
import { SqlRunner } from '../persistence/sql-runner.js';

/** The tables the purges clear (`ConfirmerService.purgeExpired`, `SignInService.purgeExpired`). */
export const PURGED_TABLES = ['two_factor_confirmation', 'two_factor_rate_counter', 'two_factor_sign_in', 'two_factor_device'] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];

/** The health indicator's statements: the expired rows (the statement is the database round trip) waiting for the purge. */
@Injectable()
export class PurgeBacklogStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Expired rows per table, in one statement (each count uses the table's `expires_at` index). */
  async backlog(now: number): Promise<Record<PurgedTable, number>> {
    const columns = PURGED_TABLES.map((table) => `(SELECT COUNT(*) FROM ${table} WHERE expires_at <= ?) AS ${table}`).join(', ');
    const [row] = await this.sql.rows<Record<PurgedTable, number | string>>(
      `SELECT ${columns}`,
      PURGED_TABLES.map(() => now),
    );
    return Object.fromEntries(PURGED_TABLES.map((table) => [table, Number(row[table])])) as Record<PurgedTable, number>;
  }
}
