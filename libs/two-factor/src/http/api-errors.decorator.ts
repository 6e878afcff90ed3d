import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/responses.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed, empty_config, confirmation_failed (details.attempts_left) or wrong_config',
  401: 'unauthenticated: this route needs a signed-in user',
  403: 'two_factor_required (details.available lists the factors to prove with) or factor_locked',
  404: "not_found: unknown id, or someone else's object",
  409: 'already_confirmed',
  410: 'confirmation_expired (or replaced by a newer one)',
  413: 'payload_too_large: the body is larger than the JSON parser reads',
  415: 'unsupported_media_type: a write body that is not application/json; nothing changed',
  429: 'confirmation_locked, or rate_limited with a Retry-After header',
  502: 'delivery_failed: the code could not be sent; nothing was kept',
  503: 'database_unavailable, with a Retry-After header: nothing was decided; retry',
};

/** Documents the error responses a route can give, all in the `ErrorResponseDto` envelope. */
export function ApiTwoFactorErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto })));
}
