import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Query of `GET /api/v1/dev/outbox`. */
export class DevOutboxQueryDto {
  @ApiPropertyOptional({ description: 'Only messages to this address or E.164 number (URL-encode the +: %2B).', example: 'ann@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;
}

/** One message the dev outbox recorded. */
export class DevOutboxMessageDto {
  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  channel: 'email' | 'sms';

  @ApiProperty({ example: 'ann@example.com' })
  to: string;

  @ApiPropertyOptional({ description: 'Emails only.', example: 'Your verification code' })
  subject?: string;

  @ApiProperty({ example: 'Your verification code is 123456. It expires in 10 minutes.' })
  text: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z' })
  sent_at: string;
}
