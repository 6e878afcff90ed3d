import { Injectable } from '@nestjs/common';
import { SqlRunner } from './sql-runner.js';

/** The tables whose rows carry an `expires_at` that `purgeExpired` clears, with their keys. */
const PURGEABLE = { two_factor_confirmation: 'id', two_factor_rate_counter: 'key' } as const;

/** The purge's statements: expired rows deleted in bounded batches, so no statement holds its locks for long. */
@Injectable()
export class ExpiryStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Deletes rows of `table` with `expires_at` passed, `batch` per statement; returns how many went. */
  async purge(table: keyof typeof PURGEABLE, now: number, batch: number): Promise<number> {
    const key = PURGEABLE[table];
    let total = 0;
    for (;;) {
      // MySQL/MariaDB: a single-table DELETE takes LIMIT itself (an IN subquery may not, nor read the table it deletes from).
      const gone = this.sql.isMysql
        ? (await this.sql.write(`DELETE FROM ${table} WHERE expires_at <= ? LIMIT ?`, [now, batch])).affected
        : (
            await this.sql.rows(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE expires_at <= ? LIMIT ?) RETURNING ${key}`, [
              now,
              batch,
            ])
          ).length;
      total += gone;
      if (gone < batch) return total;
    }
  }
}
