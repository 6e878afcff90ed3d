import { createHash } from 'node:crypto';
import type { DemoHarness } from './demo-harness.js';

/** The module's tables, in a fixed order with a fixed row order. */
const TABLES: Array<[table: string, order: string]> = [
  ['two_factor_method_config', 'id'],
  ['two_factor_user_config', 'id'],
  ['two_factor_confirmation', 'id'],
  ['two_factor_rate_counter', 'key'],
  ['two_factor_failure_counter', 'key'],
];

/** A digest of every row of the module's tables: equal before and after means nothing changed. */
export async function tableDigest(h: Pick<DemoHarness, 'sql'>): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, order] of TABLES) {
    const rows = await h.sql(`SELECT * FROM ${table} ORDER BY ${order}`);
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}
