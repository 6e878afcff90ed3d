import { ApiProperty } from '@nestjs/swagger';
import { MethodConfigRefDto } from '../user/dto/responses.dto.js';

const SCHEMA = { type: 'object', additionalProperties: true } as const;

/** A method config as the admin sees it: with its global config. */
export class AdminMethodConfigDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'Authenticator app', description: 'As stored; may be blank (clients then see the verbose name).' })
  title: string;

  @ApiProperty({ example: 'totp' })
  method: string;

  @ApiProperty({ example: 'Authenticator app', description: "The method's verbose name (its key when the method is not registered)." })
  verbose_name: string;

  @ApiProperty({ example: true, description: 'Whether the method is registered in this app; an unregistered one is never offered.' })
  is_registered: boolean;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: false })
  is_default: boolean;

  @ApiProperty({ ...SCHEMA, description: 'The global config (admin-only; never shown to clients).', example: { issuer: 'two-factor demo', digits: 6 } })
  config: Record<string, unknown>;

  @ApiProperty({ example: 3, description: 'How many user configs it has.' })
  user_configs: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  updated_at: string;
}

/** A registered method with what a form builder renders. */
export class AdminMethodDto {
  @ApiProperty({ example: 'totp' })
  key: string;

  @ApiProperty({ example: 'Authenticator app' })
  verbose_name: string;

  @ApiProperty({ ...SCHEMA, description: 'JSON schema of the global config (each default filled in as `default`).' })
  global_config_schema: Record<string, unknown>;

  @ApiProperty({ ...SCHEMA, description: 'JSON schema of the user config.' })
  user_config_schema: Record<string, unknown>;

  @ApiProperty({ ...SCHEMA, description: 'The global config a new method config gets when none is given.', example: { issuer: 'two-factor demo', digits: 6 } })
  global_config_defaults: Record<string, unknown>;
}

/** A user's factor as the admin sees it: the public view only, never a seed, hash or code. */
export class AdminUserConfigDto {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: '1' })
  user_id: string;

  @ApiProperty({ example: 'My phone' })
  title: string;

  @ApiProperty({
    example: 'My phone',
    nullable: true,
    type: String,
    description: 'The name the user gave the factor (the same value as `title`, which stays for compatibility); null when none.',
  })
  nickname: string | null;

  @ApiProperty({ enum: ['new', 'in_process', 'confirmed', 'locked'], example: 'locked' })
  status: string;

  @ApiProperty({ example: 1 })
  method_config_id: number;

  @ApiProperty({ type: () => MethodConfigRefDto })
  method_config: MethodConfigRefDto;

  @ApiProperty({
    ...SCHEMA,
    nullable: true,
    description: "The method's public view; null when the method is not registered.",
    example: { total: 10, remaining: 9 },
  })
  config: Record<string, unknown> | null;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: false })
  is_default: boolean;

  @ApiProperty({ example: false, description: 'Confirmed, active, and its method config active.' })
  is_available: boolean;

  @ApiProperty({ example: 100, description: 'Consecutive wrong codes on this factor.' })
  consecutive_failures: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
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

/** A confirmation as the admin sees it: never its private `state`. */
export class AdminConfirmationDto {
  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  id: string;

  @ApiProperty({ example: 'dummy' })
  method: string;

  @ApiProperty({ example: 1 })
  method_config_id: number;

  @ApiProperty({ example: 7, nullable: true, type: Number })
  user_config_id: number | null;

  @ApiProperty({ example: '1', nullable: true, type: String, description: 'Null for an anonymous confirmation.' })
  user_id: string | null;

  @ApiProperty({ enum: ['in_process', 'confirmed', 'locked'], example: 'in_process' })
  status: string;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiProperty({ example: 4 })
  attempts_left: number;

  @ApiProperty({ example: false })
  is_expired: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:10:00.000Z' })
  expires_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' })
  updated_at: string;
}

/** One page of the confirmation search. */
export class AdminConfirmationPageDto {
  @ApiProperty({ type: [AdminConfirmationDto] })
  items: AdminConfirmationDto[];

  @ApiProperty({ example: 120, description: 'How many match in all.' })
  total: number;

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 50 })
  page_size: number;
}

/** What removing two-factor for a user did. */
export class AdminTwoFactorRemovedDto {
  @ApiProperty({ example: '1', description: "The host app's user id." })
  user_id: string;

  @ApiProperty({ example: 2, description: 'How many factors were deleted (0 when the user had none; two-factor is off either way).' })
  removed_factors: number;
}

/** Answer of `POST admin/user/:userId/access-code`: the code, shown this once. */
export class AdminAccessCodeDto {
  @ApiProperty({ example: 'K7QM-3XWP-9HTR-B2NA', description: 'Hand it to the user out of band; it is stored only as a keyed hash and never shown again.' })
  code: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T13:00:00.000Z' })
  expires_at: string;
}
