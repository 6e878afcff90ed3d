import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-types.js';

/**
 * A fixed-window counter for request and send limits, kept in the database so
 * limits hold across app instances. The key is a keyed hash: destinations
 * (addresses, phone numbers) never appear in it.
 */
@Entity('two_factor_rate_counter')
export class RateCounter {
  @PrimaryColumn({ type: 'varchar', length: 96 })
  key: string;

  /** Start of the current window, epoch milliseconds. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  window_start: number;

  @Column({ type: 'integer' })
  count: number;

  /** When the window ends and the row may be purged, epoch milliseconds. */
  @Index('IDX_two_factor_rate_counter_expires_at')
  @Column({ type: 'bigint', transformer: bigintNumber })
  expires_at: number;
}
