import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../http/dto/responses.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed: details.fields lists each bad field (e.g. `config.digits`, or `method` for an unregistered method)',
  401: 'unauthenticated: no signed-in user',
  403: "admin_required: the host app's admin guards refused the caller",
  404: 'not_found: unknown id (or a user config of another user)',
  409: 'method_config_in_use: it still has user configs (details.user_configs); deactivate it, or delete with cascade=true',
};

/** Documents the error responses of an admin route, in the module's one error envelope. */
export function ApiAdminErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto })));
}
