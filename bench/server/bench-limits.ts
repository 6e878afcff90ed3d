import type { TwoFactorOptions } from 'nestjs-two-factor';

/**
 * The ONE place where the benchmark raises the module's limits, so that a
 * cooldown or a cap does not stop a run that requests thousands of
 * confirmations per second for the same user. Applied to the demo's
 * `TwoFactorModule.forRoot` options by the bench server (bench.config.ts); every key here is a
 * documented `TwoFactorOptions` option, and the bench prints each one against
 * its default.
 *
 * The bench's flows are signed in, use the dummy method (nothing is sent) and
 * always give the right code, so none of the module's limits is reached today:
 * `anonymousRequestsPerIpPerHour` counts anonymous requests only,
 * `sendsPerUserPerHour` counts sent codes only, and the failure cooldowns
 * (`cooldownAfterFailures`, `maxConsecutiveFailures`) count wrong codes only.
 * Raise a limit here when a bench starts to exercise it.
 */
export const BENCH_LIMIT_OVERRIDES: Partial<TwoFactorOptions> = {
  // The default, stated explicitly: the bench never sends a wrong code.
  maxAttempts: 5,
};
