import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './column-types.js';

/**
 * A sign-in that passed the password step and waits for a second factor.
 * Only a keyed hash of its token is stored; completing it deletes the row,
 * so it can be completed once.
 */
@Entity('two_factor_sign_in')
@Index('IDX_two_factor_sign_in_user', ['user_id'])
export class PendingSignIn {
  /** HMAC of the token the client holds (`<keyId>:<hex>`): the token itself is never stored. */
  @PrimaryColumn({ type: 'varchar', length: 80 })
  token_hash: string;

  /** The host app's user whose password was verified. */
  @Column({ type: 'varchar', length: 255 })
  user_id: string;

  /** The confirmation last requested through this sign-in: the only one that can complete it. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  confirmation_id: string | null;

  @Index('IDX_two_factor_sign_in_expires_at')
  @Column(timestampColumn())
  expires_at: Date;

  @Column(timestampColumn())
  created_at: Date;
}
