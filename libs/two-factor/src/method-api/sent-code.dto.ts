import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_SENT_CODE_TTL_SECONDS } from '../options/two-factor.options.js';

/**
 * Global config every method that sends a code shares (email, SMS): code shape,
 * lifetime and resend cooldown. Caps per user and per client address are the
 * module's options (`sendsPerUserPerHour`, `anonymousRequestsPerIpPerHour`).
 */
export class SentCodeGlobalConfigDto {
  /** Length of the code, in digits. */
  @ApiProperty({ example: 6, default: 6, minimum: 6, maximum: 10 })
  @IsInt()
  @Min(6)
  @Max(10)
  digits: number = 6;

  /** Lifetime of a sent code; never above 600 (NIST SP 800-63B §5.1.3.2). */
  @ApiProperty({ example: 600, default: 600, minimum: 60, maximum: MAX_SENT_CODE_TTL_SECONDS })
  @IsInt()
  @Min(60)
  @Max(MAX_SENT_CODE_TTL_SECONDS)
  ttl_seconds: number = 600;

  /** Seconds before the same destination may be sent another code; 0 turns the cooldown off. */
  @ApiProperty({ example: 60, default: 60, minimum: 0, maximum: 3600 })
  @IsInt()
  @Min(0)
  @Max(3600)
  resend_cooldown_seconds: number = 60;
}
