import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsString, IsUUID, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsRowId } from '../input/bounded-numbers.js';

const TOKEN_EXAMPLE = 'tfs_5Y1f3vJ0m1p2Xx9QnZ0m4c3d2e1f0a9b8c7d6e5f4g3';

/** Optional but not nullable (class-validator's IsOptional would let `null` through). */
const IsOptional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** Body of `POST <signInRoutes.path>`. */
export class TwoFactorSignInPasswordDto {
  @ApiProperty({ example: 'alice', maxLength: 256 })
  @IsString()
  @MaxLength(256)
  username: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: 1024 })
  @IsString()
  @MaxLength(1024)
  password: string;
}

/** One factor the user can finish signing in with. */
export class TwoFactorSignInFactorDto {
  @ApiProperty({ example: 7, description: 'User config id: send it as user_config_id to <path>/request.' })
  id: number;

  @ApiProperty({ example: 'email' })
  method: string;

  @ApiProperty({ example: 'Work email', description: "The user's nickname for it, else the method config's title." })
  title: string;

  @ApiProperty({ example: 'Work email', nullable: true, type: String, description: 'The name the user gave the factor; null when none.' })
  nickname: string | null;

  @ApiProperty({ example: 'a***@example.com', nullable: true, type: String, description: 'Where the code goes, masked; null when nothing is sent.' })
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

/** A running recovery, as the pending sign-in shows it (issue 22). */
export class TwoFactorSignInRecoveryDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-01T12:00:00.000Z',
    description: 'When enrolment of a new factor opens, unless the owner cancels first.',
  })
  not_before: string;

  @ApiProperty({ example: false, description: 'The wait is over: this sign-in may enrol a new factor (<path>/enrollment).' })
  enrollment_open: boolean;
}

/** Answer of `POST <path>` for a user with a factor and no remembered device: no session yet. */
export class TwoFactorSignInRequiredDto {
  @ApiProperty({ example: true })
  two_factor_required: true;

  @ApiProperty({ example: TOKEN_EXAMPLE, description: 'Good only for <path>/request and <path>/confirm of this sign-in, once; not a session.' })
  sign_in_token: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:05:00.000Z' })
  expires_at: string;

  @ApiProperty({
    type: [TwoFactorSignInFactorDto],
    description: 'Empty only when a recovery whose wait is over, or an access code, can open enrolment instead.',
  })
  factors: TwoFactorSignInFactorDto[];

  @ApiProperty({ type: TwoFactorSignInRecoveryDto, nullable: true, description: "The user's running recovery, or null." })
  recovery: TwoFactorSignInRecoveryDto | null;
}

/** Body of `POST <path>/request`. */
export class TwoFactorSignInRequestBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 7, description: 'One of the factors the first step listed.' })
  @IsInt()
  @Min(1)
  user_config_id: number;
}

/** Answer of `POST <path>/request`: the confirmation to answer in `<path>/confirm`. */
export class TwoFactorSignInChallengeDto {
  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  id: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:10:00.000Z' })
  expires_at: string;

  @ApiProperty({ example: 5 })
  attempts_left: number;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Public data the client needs to answer, never the answer: WebAuthn `{request_options}`, email/SMS `{destination}` (masked); null when none.',
    example: { destination: 'a***@example.com' },
  })
  challenge: Record<string, unknown> | null;
}

/** Body of `POST <path>/confirm`. */
export class TwoFactorSignInConfirmBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: { code: '123456' }, type: 'object', additionalProperties: true, description: 'What the user typed (or the WebAuthn assertion).' })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({
    example: false,
    default: false,
    description: 'Remember this device: sets the HttpOnly device cookie; later sign-ins from it skip the second step.',
  })
  @IsOptional()
  @IsBoolean()
  remember_device?: boolean;
}

/** Body of `POST <path>/recovery/start`. */
export class TwoFactorRecoveryStartBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;
}

/** Answer of `POST <path>/recovery/start` (202): nothing is open yet. */
export class TwoFactorRecoveryStartedDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-01T12:00:00.000Z',
    description: 'From then on a password sign-in may enrol a new factor, unless the owner cancels.',
  })
  not_before: string;
}

/** Body of `POST <path>/recovery/cancel`. */
export class TwoFactorRecoveryCancelBodyDto {
  @ApiProperty({ example: 'K7QMX-3XWPB-9HTRC-B2NAD', description: "The code sent to the account's email and SMS factors when the recovery started." })
  @IsString()
  @MaxLength(64)
  cancel_code: string;
}

/** Answer of `POST <path>/recovery/cancel`. */
export class TwoFactorRecoveryCancelledDto {
  @ApiProperty({ example: true })
  cancelled: true;

  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-4a53-4f0e-9d1e-2b7f3c8a1d90' })
  recovery_id: string;
}

/** Body of `POST <path>/access-code`. */
export class TwoFactorAccessCodeBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 'K7QM-3XWP-9HTR-B2NA', description: 'The temporary access code an admin issued (dashes, spaces and case do not matter).' })
  @IsString()
  @MaxLength(64)
  code: string;
}

/** Answer of `POST <path>/access-code`: enrolment is open in this sign-in; no session. */
export class TwoFactorEnrollmentOpenDto {
  @ApiProperty({ example: true })
  enrollment_open: true;

  @ApiProperty({ enum: ['access_code', 'recovery'], example: 'access_code' })
  opened_by: 'access_code' | 'recovery';

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:05:00.000Z', description: 'The sign-in token now lives until then.' })
  expires_at: string;
}

/** Body of `POST <path>/enrollment`: as `user-config/own/create/`, through the sign-in token. */
export class TwoFactorSignInEnrolBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 2147483647, description: 'An active method config (method-config/list/active/).' })
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

/** Body of `POST <path>/enrollment/confirm`. */
export class TwoFactorSignInEnrolConfirmBodyDto {
  @ApiProperty({ example: TOKEN_EXAMPLE })
  @IsString()
  @MaxLength(128)
  sign_in_token: string;

  @ApiProperty({ example: 7, minimum: 1, maximum: 2147483647, description: 'The user config <path>/enrollment answered (item.id).' })
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
