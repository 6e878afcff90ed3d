import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { JSONSchema } from 'class-validator-jsonschema';
import { ArrayMaxSize, Contains, IsArray, IsInt, IsISO31661Alpha2, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { TWO_FACTOR_MESSAGES } from '../../i18n/messages.js';
import { SentCodeGlobalConfigDto } from '../../method-api/sent-code.dto.js';

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.toUpperCase() : item)) : value;

/** Global config of the SMS method: the text, which numbers may be texted, and the caps against SMS pumping. */
export class SmsGlobalConfigDto extends SentCodeGlobalConfigDto {
  /** The text: `{code}` is replaced by the code, `{minutes}` by its lifetime. */
  @ApiProperty({ example: 'Your verification code is {code}.' })
  @IsString()
  @Length(6, 320)
  @Contains('{code}')
  text: string = TWO_FACTOR_MESSAGES['sent_code.sms.text'];

  /** ISO 3166-1 alpha-2 countries numbers must belong to; empty allows all. */
  @ApiProperty({ example: ['GB', 'FR'], default: [], type: [String] })
  // class-validator-jsonschema cannot describe `each` on this validator; without it the schema would hold a dangling $ref.
  @JSONSchema((generated) => ({ ...generated, items: { type: 'string', pattern: '^[A-Z]{2}$' } }))
  @Transform(upperCase)
  @IsArray()
  @ArrayMaxSize(300)
  @IsISO31661Alpha2({ each: true })
  allowed_countries: string[] = [];

  /** Country assumed for numbers typed without `+` and a calling code; without it, numbers must be international. */
  @ApiPropertyOptional({ example: 'GB' })
  @Transform(upperCase)
  @IsOptional()
  @IsISO31661Alpha2()
  default_country?: string;

  /** Codes one number may receive per day, whoever asks. */
  @ApiProperty({ example: 10, default: 10, minimum: 1 })
  @IsInt()
  @Min(1)
  max_sends_per_number_per_day: number = 10;

  /** Codes one number range (`prefix_digits`) may receive per day: SMS pumping walks through ranges. */
  @ApiProperty({ example: 100, default: 100, minimum: 1 })
  @IsInt()
  @Min(1)
  max_sends_per_prefix_per_day: number = 100;

  /** How many national digits after the calling code make a range for `max_sends_per_prefix_per_day`. */
  @ApiProperty({ example: 4, default: 4, minimum: 1, maximum: 10 })
  @IsInt()
  @Min(1)
  @Max(10)
  prefix_digits: number = 4;
}

/** What a user submits to enrol a number (or sends as `data` to verify one). Normalised to E.164 by the backend. */
export class SmsUserConfigDto {
  @ApiProperty({ example: '+447400123456', description: 'International format; national format only when the method config sets default_country.' })
  @JSONSchema({ description: 'Phone number in international format, e.g. +447400123456', examples: ['+447400123456'] })
  @IsString()
  @Length(3, 40)
  phone: string;
}

/** What is stored for an SMS user config: the number in E.164, needed to send. */
export interface SmsStoredConfig {
  phone: string;
}
