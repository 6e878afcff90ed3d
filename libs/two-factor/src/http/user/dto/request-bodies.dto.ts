import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { isOperationDetails, OPERATION_LIMITS, type OperationDetails } from '../../../rules/step-up-policy.js';
import { TWO_FACTOR_NUMBER_LIMITS } from '../../input/input-limits.js';
import { IsRowId } from '../../input/bounded-numbers.js';

/**
 * Optional, but not nullable: class-validator's IsOptional lets `null` through,
 * which would reach NOT NULL columns (`{"title": null}` was a 500).
 */
const IsOptional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

const CODE_EXAMPLE = { code: '123456' };

/**
 * An operation's details (contract §7): a flat object of at most 16 keys, values strings of at
 * most 256 characters or finite numbers. Pure and synchronous, so the compiled check takes it.
 */
export function IsOperationDetails(): PropertyDecorator {
  return ValidateBy({
    name: 'isOperationDetails',
    validator: {
      validate: (value: unknown) => isOperationDetails(value),
      defaultMessage: () =>
        '$property must be a flat object of at most 16 keys (1 to 64 characters each) whose values are strings of at most 256 characters or finite numbers',
    },
  });
}

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

  @ApiPropertyOptional({
    description:
      'The operation this confirmation approves (dynamic linking): its proof then passes only a route bound to this action with the same `details`, and no other route. 1–64 characters of a-z, 0-9, `_`, `.`, `-`.',
    example: 'transfer',
    pattern: OPERATION_LIMITS.action.source,
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @Matches(OPERATION_LIMITS.action)
  action?: string;

  @ApiPropertyOptional({
    description:
      'What is approved, with `action`: a flat object of at most 16 keys, values strings (at most 256 characters) or finite numbers. Compared exactly (`120.00` is not `120.0`, `ACME` is not `Acme`); sent codes name it, a WebAuthn challenge is bound to it.',
    example: { amount: '120.00', currency: 'EUR', payee: 'ACME Ltd' },
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', maxLength: 256 }, { type: 'number' }] },
    maxProperties: 16,
  })
  @IsOptional()
  @IsOperationDetails()
  details?: OperationDetails;
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
