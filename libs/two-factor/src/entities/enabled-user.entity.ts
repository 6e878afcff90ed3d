import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './column-types.js';

/**
 * "Two-factor is on" for a user: set when the user's first factor is confirmed,
 * cleared only when the user removes their last factor with a proof or an admin
 * removes two-factor for them. While it is set, the password alone is never a
 * sign-in, whatever happened to the factors (locked, unlocked, re-keyed, deleted by an admin).
 */
@Entity('two_factor_enabled_user')
export class EnabledUser {
  /** The host app's user id. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  user_id: string;

  @Column(timestampColumn())
  enabled_at: Date;
}
