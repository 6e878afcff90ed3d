import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-types.js';

/**
 * Consecutive wrong codes per factor, across all its confirmations, so opening
 * a new challenge resets nothing. The key names the factor: `uc:<user config id>`,
 * or `mc:<method config id>:<user id>` for method-level confirmations of a user.
 */
@Entity('two_factor_failure_counter')
export class FailureCounter {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key: string;

  /** Consecutive failures; a success resets it to 0. */
  @Column({ type: 'integer', default: 0 })
  count: number;

  /** Epoch milliseconds of the last failure: the cooldown runs from here. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  last_failed_at: number;
}
