import type { TwoFactorOptions } from '../../libs/two-factor/src/index.js';

/**
 * The ONE place where the benchmark raises the module's limits, so that a
 * cooldown or a cap does not stop a run that requests thousands of
 * confirmations per second for the same user. Applied to the demo's
 * `TwoFactorModule.forRoot` options only when `BENCH=1`; every key here is a
 * documented `TwoFactorOptions` option, and the bench prints the list.
 *
 * Nothing else about the module is changed in bench mode.
 */
export const BENCH_LIMIT_OVERRIDES: Partial<TwoFactorOptions> = {
  // The default, stated explicitly: the bench never sends a wrong code.
  maxAttempts: 5,
};
