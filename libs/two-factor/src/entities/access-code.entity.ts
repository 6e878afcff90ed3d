import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './column-types.js';

/**
 * A temporary access code an admin issued for a user (issue 22): single use, short-lived,
 * only to open enrolment inside a pending sign-in. One per user: issuing a new one replaces it.
 * Using it binds it to that pending sign-in (`sign_in_hash`), by one conditional UPDATE.
 */
@Entity('two_factor_access_code')
export class AccessCode {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  user_id: string;

  /** HMAC of the code (`<keyId>:<hex>`): the code itself is never stored. */
  @Column({ type: 'varchar', length: 80 })
  code_hash: string;

  /** The admin who issued it (null when the host's own code did). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  issued_by: string | null;

  /** The token hash of the pending sign-in it opened, once used; null while unused. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  sign_in_hash: string | null;

  @Column(timestampColumn({ nullable: true }))
  used_at: Date | null;

  /** Until used, when the code stops working; once used, when the sign-in it opened can no longer complete (it is purged then). */
  @Index('IDX_two_factor_access_code_expires_at')
  @Column(timestampColumn())
  expires_at: Date;

  @Column(timestampColumn())
  created_at: Date;
}
