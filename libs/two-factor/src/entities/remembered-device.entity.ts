import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './column-types.js';

/**
 * A device on which the user chose to skip the second step. The device holds a
 * random token; only its keyed hash is stored here.
 */
@Entity('two_factor_device')
@Index('IDX_two_factor_device_user', ['user_id'])
export class RememberedDevice {
  /** Random UUIDv4: the id the user lists and revokes devices by (not the token). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  user_id: string;

  /** HMAC of the device token (`<keyId>:<hex>`). */
  @Index('IDX_two_factor_device_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 80 })
  token_hash: string;

  /** What the user sees in the list: the user agent it was remembered with. */
  @Column({ type: 'varchar', length: 255, default: '' })
  label: string;

  @Column(timestampColumn())
  created_at: Date;

  @Column(timestampColumn())
  last_used_at: Date;

  /** Fixed when remembered: using the device does not extend it. */
  @Index('IDX_two_factor_device_expires_at')
  @Column(timestampColumn())
  expires_at: Date;
}
