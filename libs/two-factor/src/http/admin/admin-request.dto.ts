import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Status } from '../../entities/status.js';
import { IsAgeSeconds, IsPageNumber, IsRowId } from '../input/bounded-numbers.js';
import { TWO_FACTOR_NUMBER_LIMITS } from '../input/input-limits.js';
import { MAX_CONFIRMATION_PAGE_SIZE } from '../../admin/confirmation-admin.service.js';

/** Body of `POST admin/method-config/create/`. */
export class CreateMethodConfigDto {
  @ApiProperty({ description: 'A registered method key (see admin/method/list/).', example: 'totp' })
  @IsString()
  @Length(1, 64)
  method: string;

  @ApiPropertyOptional({ description: "Shown to users; blank shows the method's verbose name.", example: 'Authenticator app', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({
    description: "The global config, as the method's `global_config_schema` describes; defaults fill what is left out.",
    example: { issuer: 'Example' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ description: 'Making it the default takes the flag from any other.', example: false, default: false })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

/** Body of `PUT|PATCH admin/method-config/:id/update/`: only the fields given change; `config` replaces the global config whole. */
export class UpdateMethodConfigDto {
  @ApiPropertyOptional({ example: 'Authenticator app', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({
    description: 'The whole new global config, validated against the method.',
    example: { issuer: 'Example', digits: 6 },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

/** Query of `DELETE admin/method-config/:id/destroy/`. */
export class DeleteMethodConfigQueryDto {
  @ApiPropertyOptional({
    description: 'Also delete its user configs and confirmations; without it a method config in use is refused (409).',
    enum: ['true', 'false'],
    default: 'false',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  cascade?: 'true' | 'false';
}

/** Query of `GET admin/confirmation/search/`: every filter optional, combined with AND. */
export class SearchConfirmationsQueryDto {
  @ApiPropertyOptional({ description: 'Requested by this user.', example: '1' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  user_id?: string;

  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsOptional()
  @Type(() => Number)
  @IsRowId()
  method_config_id?: number;

  @ApiPropertyOptional({ example: 7, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxId })
  @IsOptional()
  @Type(() => Number)
  @IsRowId()
  user_config_id?: number;

  @ApiPropertyOptional({ enum: Object.values(Status) })
  @IsOptional()
  @IsIn(Object.values(Status))
  status?: Status;

  @ApiPropertyOptional({ description: 'true: only expired ones; false: only unexpired ones.', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  expired?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Created at least this many seconds ago.', example: 3600, minimum: 0, maximum: TWO_FACTOR_NUMBER_LIMITS.maxAgeSeconds })
  @IsOptional()
  @Type(() => Number)
  @IsAgeSeconds()
  min_age_seconds?: number;

  @ApiPropertyOptional({ description: 'Created at most this many seconds ago.', example: 86400, minimum: 0, maximum: TWO_FACTOR_NUMBER_LIMITS.maxAgeSeconds })
  @IsOptional()
  @Type(() => Number)
  @IsAgeSeconds()
  max_age_seconds?: number;

  @ApiPropertyOptional({ description: 'Page number, from 1.', example: 1, default: 1, minimum: 1, maximum: TWO_FACTOR_NUMBER_LIMITS.maxPage })
  @IsOptional()
  @Type(() => Number)
  @IsPageNumber()
  page?: number;

  @ApiPropertyOptional({ example: 50, default: 50, maximum: MAX_CONFIRMATION_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CONFIRMATION_PAGE_SIZE)
  page_size?: number;
}

/** Body of `POST admin/user/:userId/access-code`. */
export class IssueAccessCodeDto {
  @ApiPropertyOptional({
    example: 3600,
    minimum: 1,
    maximum: 86400,
    description: 'How long the code is valid, in seconds (default 3600; at most `accessCodes.maxLifetimeSeconds`, 24 h by default).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  lifetime_seconds?: number;
}
