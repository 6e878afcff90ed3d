import type { Logger } from '@nestjs/common';

/** How often one kind of error reaches the log at most. */
export const ERROR_LOG_INTERVAL_MS = 10_000;

/** Kinds of error kept track of at most: a flood of distinct messages cannot grow the map without bound. */
const MAX_KINDS = 100;

/**
 * Logs an error once per interval per kind, with how many were held back since
 * the last line, so an outage writes a handful of lines, not one per request.
 * The clock is injectable for the unit test.
 */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly intervalMs = ERROR_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes `message` under `kind` unless one was written less than an interval ago. @returns whether it was written. */
  error(logger: Pick<Logger, 'error'>, kind: string, message: string): boolean {
    const now = this.now();
    const seen = this.last.get(kind);
    if (seen && now - seen.at < this.intervalMs) {
      seen.held++;
      return false;
    }
    if (!seen && this.last.size >= MAX_KINDS) this.last.delete(this.last.keys().next().value!);
    const held = seen?.held ?? 0;
    this.last.set(kind, { at: now, held: 0 });
    logger.error(held > 0 ? `${message} (${held} more like it in the last ${Math.round((now - seen!.at) / 1000)} s)` : message);
    return true;
  }
}

const perApp = new WeakMap<object, ThrottledLog>();

/**
 * The throttle of one app, keyed by its HTTP adapter: the app's exception filters and
 * the step-up guard share it, and two apps in one process (tests) each log their own.
 */
export function errorLogOf(owner: object | undefined): ThrottledLog {
  if (!owner) return fallbackLog;
  let log = perApp.get(owner);
  if (!log) perApp.set(owner, (log = new ThrottledLog()));
  return log;
}

/** For callers of `errorBody` that name no app. */
const fallbackLog = new ThrottledLog();
