import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsRowId, TWO_FACTOR_NUMBER_LIMITS } from 'nestjs-two-factor';

const TOKEN_EXAMPLE = 'tfs_5Y1f3vJ0m1p2Xx9QnZ0m4c3d2e1f0a9b8c7d6e5f4g3';

export class SignInFactorDto {
  @ApiProperty({ example: 7, description: 'User config id: send it as user_config_id to login/request.' })
  id: number;

  @ApiProperty({ example: 'email' })
  method: string;

  @ApiProperty({ example: 'Work email', description: "The user's nickname for it, else the method config's title." })
  title: string;

  @ApiProperty({ example: 'Work email', nullable: true, type: String, description: 'The name the user gave the factor; null when none.' })
  nickname: string | null;

  @ApiProperty({
    example: 'a***@example.com',
    nullable: true,
    type: String,
    description: 'Where the code goes, masked; null when nothing is sent (TOTP, backup codes).',
  })
  destination: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z', description: 'When the user enrolled it.' })
  created_at: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-12-01T08:30:00.000Z',
    description: 'Its last right answer (sign-in, step-up, enrolment proof); null when never. A wrong code leaves it.',
  })
  last_used_at: string | null;
}

/** Answer of `login` for a user with a factor: no token yet. */
export class SignInRequiredDto {
  @ApiProperty({ example: true })
  two_factor_required: true;

  @ApiProperty({ example: TOKEN_EXAMPLE, description: 'Good only for login/request and login/confirm of this sign-in, once; not a bearer token.' })
  sign_in_token: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:05:00.000Z' })
  expires_at: string;

  @ApiProperty({ type: [SignInFactorDto], description: 'Empty only when a recovery whose wait is over, or an access code, can open enrolment instead.' })
  factors: SignInFactorDto[];

  @ApiProperty({ type: () => SignInRecoveryDto, nullable: true, description: "The user's running recovery (login/recovery/start), or null." })
  recovery: SignInRecoveryDto | null;
}

/** A running recovery, as the login answer shows it. */
export class SignInRecoveryDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T12:00:00.000Z' })
  not_before: string;

  @ApiProperty({ example: false, description: 'The wait is over: this sign-in may enrol a new factor (login/enrollment).' })
  enrollment_open: boolean;
}

/** Body of `login/request`. */
export class SignInRequestDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 7, description: 'One of the factors the login answer listed.', minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsRowId()
  user_config_id: number;
}

/** Answer of `login/request`: the confirmation to answer in `login/confirm`. */
export class SignInConfirmationDto {
  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  id: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:10:00.000Z' })
  expires_at: string;

  @ApiProperty({ example: 5 })
  attempts_left: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { destination: 'a***@example.com' },
    description:
      'Public data the client needs to answer: request_options for a passkey (navigator.credentials.get), the masked destination of a sent code; null for TOTP, backup codes.',
  })
  challenge: Record<string, unknown> | null;
}

/** Body of `login/confirm`. */
export class SignInConfirmDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: { code: '123456' }, type: 'object', additionalProperties: true, description: 'What the user typed.' })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({
    example: false,
    default: false,
    description: 'Remember this device: sets the two_factor_device cookie, and later sign-ins from it skip this step.',
  })
  @IsOptional()
  @IsBoolean()
  remember_device?: boolean;
}

/** Body of `login/recovery/start`. */
export class RecoveryStartDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;
}

/** Answer of `login/recovery/start` (202). */
export class RecoveryStartedDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-01T12:00:00.000Z',
    description: 'From then on a password sign-in may enrol a new factor, unless the owner cancels.',
  })
  not_before: string;
}

/** Body of `login/recovery/cancel`. */
export class RecoveryCancelDto {
  @ApiProperty({ example: 'K7QMX-3XWPB-9HTRC-B2NAD', description: 'The code the recovery notice carried.' })
  @IsString()
  @MaxLength(64)
  cancel_code: string;
}

/** Answer of `login/recovery/cancel`. */
export class RecoveryCancelledDto {
  @ApiProperty({ example: true })
  cancelled: true;

  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;
}

/** Body of `login/access-code`. */
export class AccessCodeDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 'K7QM-3XWP-9HTR-B2NA', description: 'The temporary access code the admin gave you.' })
  @IsString()
  @MaxLength(64)
  code: string;
}

/** Answer of `login/access-code`: enrolment is open; no token yet. */
export class EnrollmentOpenDto {
  @ApiProperty({ example: true })
  enrollment_open: true;

  @ApiProperty({ enum: ['access_code', 'recovery'], example: 'access_code' })
  opened_by: 'access_code' | 'recovery';

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:05:00.000Z' })
  expires_at: string;
}

/** Body of `login/enrollment`. */
export class SignInEnrolDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId, description: 'An active method config (method-config/list/active/).' })
  @IsRowId()
  method_config_id: number;

  @ApiProperty({ example: { email: 'me@example.com' }, type: 'object', additionalProperties: true })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'New phone', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  title?: string;
}

/** Body of `login/enrollment/confirm`. */
export class SignInEnrolConfirmDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 7, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId, description: 'item.id of the login/enrollment answer.' })
  @IsRowId()
  id: number;

  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  @IsUUID()
  confirmation_id: string;

  @ApiProperty({ example: { code: '123456' }, type: 'object', additionalProperties: true })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  remember_device?: boolean;
}
