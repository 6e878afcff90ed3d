import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonColumn, timestampColumn } from './column-types.js';

/**
 * A site-wide, admin-managed instance of a method with its global config
 * (sender address, issuer name …). The global config never leaves the server.
 */
@Entity('two_factor_method_config')
export class MethodConfig {
  @PrimaryGeneratedColumn()
  id: number;

  /** Shown to users; falls back to the method's verbose name when blank. */
  @Column({ type: 'varchar', length: 255, default: '' })
  title: string;

  /** Registry key of the method (e.g. `totp`). */
  @Index('IDX_two_factor_method_config_method')
  @Column({ type: 'varchar', length: 64 })
  method: string;

  @Column(jsonColumn({ default: '{}' }))
  config: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  is_active: boolean;

  @Column({ type: 'boolean', default: false })
  is_default: boolean;

  @Column(timestampColumn())
  created_at: Date;

  @Column(timestampColumn())
  updated_at: Date;
}
