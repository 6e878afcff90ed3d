import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { TWO_FACTOR_NUMBER_LIMITS } from '../../input/input-limits.js';
import { IsRowId } from '../../input/bounded-numbers.js';

/**
 * Optional, but not nullable: class-validator's IsOptional lets `null` through,
 * which would reach NOT NULL columns (`{"title": null}` was a 500).
 */
const IsOptional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

const CODE_EXAMPLE = { code: '123456' };

/** Body of `POST user-config/own/create/`. */
export class CreateUserConfigDto {
  @ApiProperty({ description: 'An active method config (see method-config/list/active/).', example: 1, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsRowId()
  method_config_id: number;

  @ApiProperty({
    description: "The user's config, as the method config's `config_schema` describes.",
    example: { code: 'my-secret-code' },
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'My phone', maxLength: 255, description: 'The same as `nickname` (kept for compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({
    example: 'My phone',
    maxLength: 255,
    description: 'The name the user gives the factor, shown in every factor list (stored as its `title`; both may be given only with the same value).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  nickname?: string;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

/** Body of `PUT|PATCH user-config/own/:id/update/`: only the fields given change. */
export class UpdateUserConfigDto {
  @ApiPropertyOptional({
    description: 'New user config; a change the method wants proven issues a new confirmation.',
    example: { code: 'new-secret-code' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Work phone', maxLength: 255, description: 'The same as `nickname` (kept for compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({
    example: 'Work phone',
    maxLength: 255,
    description: 'Renames the factor (no proof needed: nothing about its strength changes). Stored as its `title`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  nickname?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

/** Body of `POST user-config/own/confirm/`. */
export class ConfirmUserConfigDto {
  @ApiProperty({ description: 'The user config to confirm.', example: 7, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsRowId()
  id: number;

  @ApiProperty({
    description: 'The confirmation issued for it (from create, update or confirmation/request).',
    example: '3b241101-e2bb-4255-8caf-4136c566a962',
    format: 'uuid',
  })
  @IsUUID()
  confirmation_id: string;

  @ApiProperty({
    description:
      'What the user typed, e.g. `{code}`; for WebAuthn the JSON the browser returned (`startRegistration` here at enrolment, `startAuthentication` on step-up).',
    example: CODE_EXAMPLE,
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  data: Record<string, unknown>;
}

/** Body of `POST confirmation/request/`: at least one of the two ids. */
export class RequestConfirmationDto {
  @ApiPropertyOptional({
    description: 'Method-level confirmation (anonymous allowed), or a cross-check of user_config_id.',
    example: 1,
    minimum: 1,
    maximum: TWO_FACTOR_NUMBER_LIMITS.maxId,
  })
  @IsOptional()
  @IsRowId()
  method_config_id?: number;

  @ApiPropertyOptional({ description: "One of the signed-in user's own configs.", example: 7, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsOptional()
  @IsRowId()
  user_config_id?: number;

  @ApiPropertyOptional({
    description: 'Extra data for the method, if it takes any (e.g. an address to verify).',
    example: {},
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

/** Body of `POST confirmation/confirm/`. */
export class ConfirmConfirmationDto {
  @ApiProperty({ example: '3b241101-e2bb-4255-8caf-4136c566a962', format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({
    description: 'What the user typed, e.g. `{code}`; for WebAuthn the assertion JSON `startAuthentication` returned.',
    example: CODE_EXAMPLE,
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  data: Record<string, unknown>;
}
