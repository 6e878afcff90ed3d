import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Most codes one set may hold. Each code owns one bit of the user config's
 * 64-bit `replay_guard`, and `2 ** index` must stay an exact JS number (≤ 52).
 */
export const MAX_BACKUP_CODES = 20;

/** Global config of a backup-codes method config (admin-only). */
export class BackupCodesGlobalConfigDto {
  /** Codes in each new set. @default 10 */
  @ApiProperty({ description: 'Codes in each new set.', minimum: 1, maximum: MAX_BACKUP_CODES, example: 10, default: 10 })
  @IsInt()
  @Min(1)
  @Max(MAX_BACKUP_CODES)
  count: number = 10;
}

/** What a user submits: nothing to enrol; `regenerate: true` on update replaces the whole set. */
export class BackupCodesUserConfigDto {
  /** On update: make a new set (shown once); every code of the old set stops working. */
  @ApiPropertyOptional({ description: 'On update: replace every code with a new set, shown once.', example: true })
  @IsOptional()
  @IsBoolean()
  regenerate?: boolean;
}

/** What is stored: per code, a salted scrypt hash sealed with `SecretBox.encrypt`. Index i ↔ bit i of the replay guard. */
export interface BackupCodesStoredConfig {
  codes: string[];
}
