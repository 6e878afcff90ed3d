import { RateLimitedError } from '../errors/request.errors.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';

/** The failure counter of a user config. */
export function userConfigFactorKey(userConfigId: number): string {
  return `uc:${userConfigId}`;
}

/** SQL's string concatenation: `||` on SQLite and PostgreSQL, CONCAT on MySQL/MariaDB (where `||` is OR). NULL in any part is NULL. */
const concatSql = (mysql: boolean, ...parts: string[]) => (mysql ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));

/** The same key in SQL, from the id column `column` (`mysql`: for MySQL/MariaDB). */
export const userConfigFactorKeySql = (column: string, mysql = false) => concatSql(mysql, `'uc:'`, column);

/** The failure counter of a signed-in user's method-level confirmations of one method config. */
export function methodFactorKey(methodConfigId: number, userId: string): string {
  return `mc:${methodConfigId}:${userId}`;
}

/** The factor a confirmation counts failures against, or null for an anonymous method-level one. */
export function factorKey(userConfigId: number | null, methodConfigId: number, userId: string | null): string | null {
  if (userConfigId !== null) return userConfigFactorKey(userConfigId);
  return userId === null ? null : methodFactorKey(methodConfigId, userId);
}

/** The same key computed in SQL from a confirmation row aliased `c` (NULL for anonymous ones: `|| NULL` is NULL). */
export const factorKeySql = (mysql = false) => `CASE WHEN c.user_config_id IS NOT NULL THEN ${userConfigFactorKeySql('c.user_config_id', mysql)}
  ELSE ${concatSql(mysql, `'mc:'`, 'c.method_config_id', `':'`, 'c.user_id')} END`;
export const FACTOR_KEY_SQL = factorKeySql();

/**
 * A factor's run of failures as a judge read it. Judging an answer claims the
 * factor's current window: the counter may change only while it is still below
 * the cooldown threshold, or exactly as read (so its cooldown, checked on the read, is over).
 */
export interface FailureWindow {
  key: string | null;
  count: number;
  lastFailedAt: number;
}

/** The SQL condition "this window is still ours" on counter table `t`; its parameters come from `windowParams`. */
export const WINDOW_IS_OURS_SQL = (t: string) => `(${t}.count < ? OR (${t}.count = ? AND ${t}.last_failed_at = ?))`;

export function windowParams(window: FailureWindow, options: ResolvedTwoFactorOptions): number[] {
  return [options.cooldownAfterFailures, window.count, window.lastFailedAt];
}

/**
 * How consecutive wrong codes on one factor slow it down: from the
 * `cooldownAfterFailures`-th failure on, each new challenge or attempt waits
 * `cooldownBaseSeconds`, doubling per further failure, capped at `cooldownMaxSeconds`.
 */
export function cooldownSeconds(failures: number, options: ResolvedTwoFactorOptions): number {
  if (failures < options.cooldownAfterFailures) return 0;
  const doublings = Math.min(failures - options.cooldownAfterFailures, 30);
  return Math.min(options.cooldownBaseSeconds * 2 ** doublings, options.cooldownMaxSeconds);
}

/** Seconds left before the factor may be tried again, or 0. */
export function retryAfterSeconds(failures: number, lastFailedAt: number, now: number, options: ResolvedTwoFactorOptions): number {
  const wait = cooldownSeconds(failures, options) * 1000 - (now - lastFailedAt);
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

/** @throws RateLimitedError (429, with Retry-After) while the factor's cooldown runs. */
export function assertNoCooldown(window: Pick<FailureWindow, 'count' | 'lastFailedAt'>, now: number, options: ResolvedTwoFactorOptions): void {
  const wait = retryAfterSeconds(window.count, window.lastFailedAt, now, options);
  if (wait > 0) throw new RateLimitedError(wait, { key: 'error.rate_limited.cooldown' });
}
