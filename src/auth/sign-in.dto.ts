import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
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

  @ApiProperty({ type: [SignInFactorDto] })
  factors: SignInFactorDto[];
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
