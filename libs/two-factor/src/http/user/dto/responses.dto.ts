import { TWO_FACTOR_ERROR_CODES, type TwoFactorErrorCode } from '../../../errors/error-code.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONFIRMATION_STATUSES, USER_CONFIG_STATUSES } from '../../../entities/status.js';

/** A method config as clients see it: never its global config. */
export class MethodConfigRefDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'Dummy', description: "The admin's title, or the method's verbose name when blank." })
  title: string;

  @ApiProperty({ example: 'dummy' })
  method: string;

  @ApiProperty({ example: 'Dummy' })
  verbose_name: string;

  @ApiProperty({ example: false })
  is_default: boolean;
}

/** An entry of `method-config/list/active/`. */
export class MethodConfigItemDto extends MethodConfigRefDto {
  @ApiProperty({
    description: 'JSON schema of the *user* config this method takes.',
    example: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    type: 'object',
    additionalProperties: true,
  })
  config_schema: Record<string, unknown>;
}

/** One of the user's factors. `config` is the public view: secrets never appear in it. */
export class UserConfigItemDto {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: 'My phone' })
  title: string;

  @ApiProperty({
    example: 'My phone',
    nullable: true,
    type: String,
    description: 'The name the user gave the factor (the same value as `title`, which stays for compatibility); null when none.',
  })
  nickname: string | null;

  @ApiProperty({
    enum: USER_CONFIG_STATUSES,
    example: 'confirmed',
    description: '`locked` after too many consecutive wrong codes, until the user enrols the factor again.',
  })
  status: string;

  @ApiProperty({ example: 1 })
  method_config_id: number;

  @ApiProperty({ type: () => MethodConfigRefDto })
  method_config: MethodConfigRefDto;

  @ApiProperty({ description: 'Public view of the user config.', example: {}, type: 'object', additionalProperties: true })
  config: Record<string, unknown>;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: false })
  is_default: boolean;

  @ApiProperty({ example: true, description: 'Confirmed, active, and its method config active.' })
  is_available: boolean;

  @ApiProperty({ example: '2026-11-28T12:00:00.000Z', format: 'date-time' })
  created_at: string;

  @ApiProperty({ example: '2026-11-28T12:00:00.000Z', format: 'date-time' })
  updated_at: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-12-01T08:30:00.000Z',
    description: 'Its last right answer (a sign-in, a step-up, its enrolment proof); null when never. A wrong code leaves it.',
  })
  last_used_at: string | null;
}

/** Response of create and update. */
export class UserConfigChangeDto {
  @ApiProperty({ type: () => UserConfigItemDto })
  item: UserConfigItemDto;

  @ApiProperty({
    nullable: true,
    format: 'uuid',
    type: String,
    example: '3b241101-e2bb-4255-8caf-4136c566a962',
    description: 'The confirmation to prove the new value with, or null when none is needed.',
  })
  confirmation_id: string | null;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: null,
    description: 'One-time data to show the user now (QR code, backup codes; WebAuthn: `creation_options` for `startRegistration`); never returned again.',
  })
  enrollment: Record<string, unknown> | null;
}

/** A confirmation as clients see it: never its private state. */
export class ConfirmationDto {
  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  id: string;

  @ApiProperty({ enum: CONFIRMATION_STATUSES, example: 'in_process' })
  status: string;

  @ApiProperty({ example: false, description: 'Confirmed, unexpired, and its factor still active: usable as a proof.' })
  is_available: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:10:00.000Z' })
  expires_at: string;

  @ApiProperty({ example: 5 })
  attempts_left: number;

  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      'Only on `confirmation/request/`: public data the client needs to answer, never the answer. WebAuthn: `{request_options}` (pass to `startAuthentication`); email/SMS: `{destination}` (masked); null when the method has none.',
    example: { destination: 'a***@example.com' },
  })
  challenge?: Record<string, unknown> | null;

  @ApiPropertyOptional({ description: 'Only with the development-only `debugCodeResponse` option: the generated code.', example: '123456' })
  debug_code?: string;

  @ApiPropertyOptional({
    minimum: 0,
    example: 2,
    description: 'Only in the answer of `confirmation/confirm/` with a backup code: how many codes of the set are left (regenerate before none are).',
  })
  remaining?: number;
}

/** Every error: Nest's envelope plus a stable machine-readable `code`. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ enum: TWO_FACTOR_ERROR_CODES, example: 'confirmation_failed', description: 'Stable, machine-readable; switch on it (TwoFactorErrorCode).' })
  code: TwoFactorErrorCode;

  @ApiProperty({ example: 'Confirmation failed.' })
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { attempts_left: 4 } })
  details?: Record<string, unknown>;
}
