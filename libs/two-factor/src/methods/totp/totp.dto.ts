import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** The key URI format splits `issuer:account` on the colon, so neither may contain one. */
const NO_COLON = /^[^:]+$/;

/** Hash functions an authenticator app may use (RFC 6238 §1.2); SHA1 is what every app supports. */
export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

/**
 * Global config of a TOTP method config (admin-only, never shown to clients).
 * Digits, algorithm and period are copied into each user config at enrolment,
 * so changing them later does not break authenticator apps already set up.
 */
export class TotpGlobalConfigDto {
  /** Shown by authenticator apps next to the account. @default 'two-factor demo' */
  @ApiProperty({ description: 'Issuer shown in authenticator apps.', example: 'two-factor demo', default: 'two-factor demo' })
  @IsString()
  @Length(1, 64)
  @Matches(NO_COLON, { message: 'issuer must not contain a colon' })
  issuer: string = 'two-factor demo';

  /** Code length for new enrolments. @default 6 */
  @ApiProperty({ description: 'Code length for new enrolments.', enum: [6, 8], example: 6, default: 6 })
  @IsIn([6, 8])
  digits: 6 | 8 = 6;

  /** HMAC hash for new enrolments. @default 'SHA1' */
  @ApiProperty({ description: 'HMAC hash for new enrolments (many apps only support SHA1).', enum: TOTP_ALGORITHMS, example: 'SHA1', default: 'SHA1' })
  @IsIn(TOTP_ALGORITHMS)
  algorithm: TotpAlgorithm = 'SHA1';

  /** Time steps accepted on either side of the server's current one (RFC 6238 §5.2 allows at most 1). @default 1 */
  @ApiProperty({ description: 'Steps accepted before and after the current one, for clock drift.', minimum: 0, maximum: 1, example: 1, default: 1 })
  @IsInt()
  @Min(0)
  @Max(1)
  window: number = 1;

  /** Step length in seconds; fixed at the RFC's recommended 30 s that every app uses. @default 30 */
  @ApiProperty({ description: 'Time step in seconds.', enum: [30], example: 30, default: 30 })
  @IsIn([30])
  period = 30 as const;
}

/**
 * What a user submits to enrol in TOTP or change the enrolment. The server makes
 * the seed; the user only names the account and, on update, asks for a new seed.
 */
export class TotpUserConfigDto {
  /** Account name shown in the authenticator app. @default the user id */
  @ApiPropertyOptional({ description: 'Account name shown in the authenticator app (defaults to the user id).', example: 'alice@example.com' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(NO_COLON, { message: 'label must not contain a colon' })
  label?: string;

  /** On update: replace the seed (a new QR code is returned, and the factor must be confirmed again). */
  @ApiPropertyOptional({ description: 'On update: make a new seed; the factor must be confirmed again with the new code.', example: true })
  @IsOptional()
  @IsBoolean()
  regenerate?: boolean;
}

/** What is stored for a TOTP user config. `seed` is sealed with `SecretBox.encrypt`, never plain. */
export interface TotpStoredConfig {
  /** The 20-byte seed as hex, encrypted (AES-256-GCM). */
  seed: string;
  label: string;
  digits: 6 | 8;
  algorithm: TotpAlgorithm;
  period: number;
}
