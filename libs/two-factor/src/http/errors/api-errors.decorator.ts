import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { TwoFactorErrorCode } from '../../errors/error-code.js';
import { ErrorResponseDto } from '../user/dto/responses.dto.js';
import { KeepSuccessResponse } from './keep-success-response.decorator.js';

export interface ErrorExample {
  code: TwoFactorErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** What an error status means on some routes, with one example body per code it can carry. */
export type ErrorTable = Record<number, { error: string; description: string; examples: ErrorExample[] }>;

/** Each error status the user-facing routes answer with. */
const ERRORS: ErrorTable = {
  400: {
    error: 'Bad Request',
    description: 'validation_failed (details.fields), empty_config, confirmation_failed (details.attempts_left), wrong_config or malformed_body',
    examples: [
      {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: { fields: [{ field: 'method_config_id', message: 'method_config_id must be an integer number' }] },
      },
      { code: 'confirmation_failed', message: 'Confirmation failed.', details: { attempts_left: 4 } },
      { code: 'empty_config', message: 'Give method_config_id or user_config_id.' },
      { code: 'wrong_config', message: 'This confirmation was not issued for that user config.' },
    ],
  },
  401: {
    error: 'Unauthorized',
    description: 'unauthenticated: this route needs a signed-in user',
    examples: [{ code: 'unauthenticated', message: 'Authentication required.' }],
  },
  403: {
    error: 'Forbidden',
    description: 'two_factor_required (details.available lists the factors to prove with) or factor_locked',
    examples: [
      {
        code: 'two_factor_required',
        message: 'Confirm one of your factors and send the confirmation id in the X-Two-Factor-Confirmation header.',
        details: { available: [{ id: 7, method: 'totp', title: 'Phone' }] },
      },
      { code: 'factor_locked', message: 'This factor is locked after too many wrong codes: an admin can unlock it, or recover your account.' },
    ],
  },
  404: {
    error: 'Not Found',
    description: "not_found: unknown id, or someone else's object",
    examples: [{ code: 'not_found', message: 'Confirmation not found.' }],
  },
  409: { error: 'Conflict', description: 'already_confirmed', examples: [{ code: 'already_confirmed', message: 'Confirmation already confirmed.' }] },
  410: {
    error: 'Gone',
    description: 'confirmation_expired (or replaced by a newer one)',
    examples: [{ code: 'confirmation_expired', message: 'Confirmation expired.' }],
  },
  413: {
    error: 'Payload Too Large',
    description: 'payload_too_large: the body is larger than the JSON parser reads',
    examples: [{ code: 'payload_too_large', message: 'request entity too large' }],
  },
  415: {
    error: 'Unsupported Media Type',
    description: 'unsupported_media_type: a write body that is not application/json; nothing changed',
    examples: [{ code: 'unsupported_media_type', message: 'Send the body as application/json (got text/plain).' }],
  },
  429: {
    error: 'Too Many Requests',
    description: 'confirmation_locked, or rate_limited with a Retry-After header',
    examples: [
      { code: 'confirmation_locked', message: 'Too many wrong attempts: request a new confirmation.', details: { attempts_left: 0 } },
      { code: 'rate_limited', message: 'Too many attempts: try again later.', details: { retry_after: 30 } },
    ],
  },
  502: {
    error: 'Bad Gateway',
    description: 'delivery_failed: the code could not be sent; nothing was kept',
    examples: [{ code: 'delivery_failed', message: 'The code could not be sent: try again later.' }],
  },
  503: {
    error: 'Service Unavailable',
    description: 'database_unavailable, with a Retry-After header: nothing was decided; retry',
    examples: [{ code: 'database_unavailable', message: 'The database is unavailable: retry shortly.', details: { retry_after: 5 } }],
  },
};

/** The 403 of a route behind `@RequireTwoFactor`: no proof, or one its policy refuses (nothing is spent then). */
export const STEP_UP_ERRORS: ErrorTable = {
  403: {
    error: 'Forbidden',
    description:
      'two_factor_required (details.available: your factors that may pass), two_factor_enrollment_required (none of your factors may pass this route; details.methods: what to enrol in), factor_not_allowed (the proof is of a method this route does not accept), proof_too_old (confirmed longer ago than the route allows; details.max_age_seconds), proof_action_mismatch (the proof was requested for another operation, other details, or none; details.action: the action this route approves). A refused proof is not spent.',
    examples: [
      {
        code: 'two_factor_required',
        message: 'Confirm one of your factors and send the confirmation id in the X-Two-Factor-Confirmation header.',
        details: { available: [{ id: 7, method: 'totp', title: 'Phone' }] },
      },
      {
        code: 'two_factor_enrollment_required',
        message: 'Enrol a second factor to continue: details.methods lists the methods you can enrol in.',
        details: { methods: [{ method_config_id: 6, method: 'webauthn', title: 'Passkey or security key' }] },
      },
      {
        code: 'factor_not_allowed',
        message: 'This route does not accept a proof of that factor: confirm one of the factors in details.available.',
        details: { available: [{ id: 9, method: 'webauthn', title: 'YubiKey' }] },
      },
      {
        code: 'proof_too_old',
        message: 'This proof was confirmed more than 60 seconds ago: confirm again.',
        details: { max_age_seconds: 60 },
      },
      {
        code: 'proof_action_mismatch',
        message: 'This proof was not requested for this operation: request a confirmation for it, with its action and details.',
        details: { action: 'transfer' },
      },
    ],
  },
};

/** Statuses whose responses carry a Retry-After header. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before trying again (rate_limited).', schema: { type: 'integer', example: 30 } },
};

/** Documents the error responses a route can give, in the `ErrorResponseDto` envelope, with an example per code. */
export function ApiTwoFactorErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return apiErrorResponses(ERRORS, statuses);
}

/** The OpenAPI responses of `statuses` as `table` describes them; the route's own success response stays. */
export function apiErrorResponses(table: ErrorTable, statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    KeepSuccessResponse(),
    ...statuses.map((status) => {
      const { error, description, examples } = table[status];
      return ApiResponse({
        status,
        description,
        type: ErrorResponseDto,
        examples: Object.fromEntries(examples.map((example) => [example.code, { summary: example.code, value: { statusCode: status, error, ...example } }])),
        ...(RETRY_AFTER_STATUSES.has(status) ? { headers: RETRY_AFTER_HEADER } : {}),
      });
    }),
  );
}
