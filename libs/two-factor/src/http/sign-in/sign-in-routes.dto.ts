import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsString, MaxLength, Min, ValidateIf } from 'class-validator';

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

/** Answer of `POST <path>` for a user with a factor and no remembered device: no session yet. */
export class TwoFactorSignInRequiredDto {
  @ApiProperty({ example: true })
  two_factor_required: true;

  @ApiProperty({ example: TOKEN_EXAMPLE, description: 'Good only for <path>/request and <path>/confirm of this sign-in, once; not a session.' })
  sign_in_token: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:05:00.000Z' })
  expires_at: string;

  @ApiProperty({ type: [TwoFactorSignInFactorDto] })
  factors: TwoFactorSignInFactorDto[];
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
