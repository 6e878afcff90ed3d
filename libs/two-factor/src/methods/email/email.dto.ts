import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { JSONSchema } from 'class-validator-jsonschema';
import { Contains, IsEmail, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { TWO_FACTOR_MESSAGES } from '../../i18n/messages.js';
import { SentCodeGlobalConfigDto } from '../../method-api/sent-code.dto.js';
import { normalizeEmail } from './email.address.js';

const ONE_LINE = /^[^\r\n]*$/;

/** Global config of the email method: the message, plus the code and limit settings every sent code shares. */
export class EmailGlobalConfigDto extends SentCodeGlobalConfigDto {
  @ApiProperty({ example: 'Your verification code', default: 'Your verification code' })
  @IsString()
  @Length(1, 200)
  @Matches(ONE_LINE, { message: 'subject must be one line' })
  subject: string = TWO_FACTOR_MESSAGES['sent_code.email.subject'];

  /** Overrides the sender's From address for this method config. */
  @ApiPropertyOptional({ example: '"Example" <no-reply@example.com>' })
  @IsOptional()
  @IsString()
  @Length(3, 255)
  @Matches(ONE_LINE, { message: 'from must be one line' })
  from?: string;

  /** Body of the email: `{code}` is replaced by the code, `{minutes}` by its lifetime. */
  @ApiProperty({ example: 'Your verification code is {code}. It expires in {minutes} minutes.' })
  @IsString()
  @Length(6, 2000)
  @Contains('{code}')
  text: string = TWO_FACTOR_MESSAGES['sent_code.email.text'];

  /** Codes one address may receive per hour, whoever asks (against mail bombing). */
  @ApiProperty({ example: 5, default: 5, minimum: 1 })
  @IsInt()
  @Min(1)
  max_sends_per_destination_per_hour: number = 5;
}

/** What a user submits to enrol an address (or sends as `data` to verify one before sign-up). */
export class EmailUserConfigDto {
  @ApiProperty({ example: 'ann@example.com', maxLength: 254 })
  @JSONSchema({ description: 'Email address to send codes to', examples: ['ann@example.com'] })
  @Transform(({ value }) => (typeof value === 'string' ? normalizeEmail(value) : value))
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false, require_tld: true, allow_utf8_local_part: false })
  email: string;
}

/** What is stored for an email user config: the normalised address, needed to send. */
export interface EmailStoredConfig {
  email: string;
}
