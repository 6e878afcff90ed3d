import type { DemoHarness } from '../demo-harness.js';
import { createMethodConfig } from './admin.commands.js';
import { confirmFactor, createFactor } from './factor-requests.js';
import { availableIds, emptyModel, type AttackerModel } from './model.js';
import type { World } from './world.js';

/** Tables that describe the site, not a user: kept between sequences (dummy method configs aside). */
const KEPT = new Set(['two_factor_migrations', 'two_factor_method_config']);

/**
 * Every `two_factor_*` table but the kept ones, found in the catalogue so that a table
 * added later (a per-user flag, say) is emptied too. Deletes are retried until foreign
 * keys let each one through.
 */
async function emptyUserTables(h: DemoHarness): Promise<void> {
  const rows =
    h.db.kind === 'sqlite'
      ? await h.sql(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'two_factor_%'`)
      : await h.sql(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${h.db.kind === 'mysql' ? 'DATABASE()' : 'current_schema()'} AND table_name LIKE 'two_factor_%'`,
        );
  let left = (rows as Array<{ name: string }>).map((row) => row.name).filter((name) => !KEPT.has(name));
  for (let round = 0; left.length > 0; round++) {
    const failed: string[] = [];
    for (const table of left) await h.sql(`DELETE FROM ${table}`).catch(() => failed.push(table));
    if (failed.length === left.length && round > 3) throw new Error(`cannot empty ${failed.join(', ')}`);
    left = failed;
  }
  await h.sql(`DELETE FROM two_factor_method_config WHERE method = 'dummy'`);
}

/**
 * The start of every sequence: an empty slate, two dummy method configs made by the
 * admin, and a victim who enrolled and proved one factor (F1), so two-factor is on.
 */
export async function freshSequence(world: World): Promise<{ model: AttackerModel; real: World }> {
  await emptyUserTables(world.h);
  world.trace = ['setup: the admin makes two dummy method configs; the victim enrols and proves F1'];
  const model = emptyModel();
  const methodConfig = await createMethodConfig(world, model);
  await createMethodConfig(world, model);
  const factor = methodConfig === null ? null : await createFactor(world, model, 'victim', methodConfig, {});
  if (!factor?.pendingConfirmation || (await confirmFactor(world, 'victim', factor, factor.pendingConfirmation)).status !== 200)
    throw new Error(`the sequence's setup failed:\n${world.trace.join('\n')}`);
  factor.pendingConfirmation = null;
  model.observed = await world.observeFactors();
  model.twoFactorOn = availableIds(model).length > 0;
  if (!model.twoFactorOn) throw new Error(`F1 is not available after the setup:\n${world.trace.join('\n')}`);
  world.note(world.summary(model));
  return { model, real: world };
}
