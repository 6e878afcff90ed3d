import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './column-types.js';

/**
 * A self-service recovery (issue 22): a user who passed the password but lost every factor
 * asked to enrol a new one. Nothing opens before `not_before`; the owner cancels it with the
 * cancel code that was sent to every channel the module knows, or by signing in with a factor.
 * At most one per user: `user_id` is unique, so the INSERT decides a race of two starts.
 */
@Entity('two_factor_recovery')
export class AccountRecovery {
  /** Random UUIDv4, for the client and the audit events (not the cancel code). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('IDX_two_factor_recovery_user', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  user_id: string;

  /** HMAC of the cancel code (`<keyId>:<hex>`): the code itself is never stored. */
  @Index('IDX_two_factor_recovery_cancel_hash', { unique: true })
  @Column({ type: 'varchar', length: 80 })
  cancel_hash: string;

  /** The end of the waiting period: before it, no enrolment opens. */
  @Column(timestampColumn())
  not_before: Date;

  /** After this the recovery is gone (purged) and a new one may start. */
  @Index('IDX_two_factor_recovery_expires_at')
  @Column(timestampColumn())
  expires_at: Date;

  @Column(timestampColumn())
  created_at: Date;
}
