import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonColumn, timestampColumn } from './column-types.js';
import { MethodConfig } from './method-config.entity.js';
import type { Status } from './status.js';

/**
 * One user's enrolment in a method config ("my phone", "work email").
 * `config` is the backend's private view (hashes, encrypted seeds); responses
 * only ever show the backend's public view of it.
 */
@Entity('two_factor_user_config')
@Index('IDX_two_factor_user_config_user', ['user_id', 'method_config_id'])
export class UserConfig {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 255, default: '' })
  title: string;

  @Column({ type: 'integer' })
  method_config_id: number;

  @ManyToOne(() => MethodConfig, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'method_config_id' })
  method_config?: MethodConfig;

  /** The host app's user id, as a string (the module has no user table of its own). */
  @Column({ type: 'varchar', length: 255 })
  user_id: string;

  /** `new`, `in_process` (to be proven), `confirmed`, or `locked` after too many consecutive failures (until re-enrolled). */
  @Column({ type: 'varchar', length: 16 })
  status: Status;

  @Column(jsonColumn({ default: '{}' }))
  config: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  is_active: boolean;

  @Column({ type: 'boolean', default: false })
  is_default: boolean;

  /**
   * Single-use guard that backends advance atomically with a conditional UPDATE:
   * the last accepted TOTP time step, or the bit set of spent backup codes.
   */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  replay_guard: number;

  /**
   * Number of the factor's newest challenge. Each request bumps it, and only a
   * pending confirmation carrying the current number can be confirmed: a resend
   * or a config change voids every older code without touching their rows.
   */
  @Column({ type: 'integer', default: 0 })
  challenge_seq: number;

  /**
   * When the factor's current config was proven (its first confirm after an
   * enrolment or re-key); null while it never was. An unlock gives a proven
   * factor back as `confirmed`, an unproven one as `in_process`.
   */
  @Column(timestampColumn({ nullable: true }))
  confirmed_at: Date | null;

  /**
   * When the factor's current config was set (enrolment or re-key); null when
   * unknown (rows older than the lifecycle). A config set before two-factor went
   * on for the user was set without a proof, so confirming it needs one.
   */
  @Column(timestampColumn({ nullable: true }))
  config_set_at: Date | null;

  /**
   * When the factor last gave a right answer (a sign-in, a step-up, its enrolment's
   * proof); null until then. Written with the statement that records the use: the
   * single-use claim, a backend's new stored form (the lifecycle's `record_use`), or
   * else the flip to confirmed; a wrong answer never touches it.
   */
  @Column(timestampColumn({ nullable: true }))
  last_used_at: Date | null;

  @Column(timestampColumn())
  created_at: Date;

  @Column(timestampColumn())
  updated_at: Date;
}
