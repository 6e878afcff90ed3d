import { apiErrorResponses, type ErrorTable } from '../errors/api-errors.decorator.js';

/** The error statuses of the admin routes, with an example body per code. */
const ADMIN_ERRORS: ErrorTable = {
  400: {
    error: 'Bad Request',
    description: 'validation_failed: details.fields lists each bad field (e.g. `config.digits`, or `method` for an unregistered method)',
    examples: [
      {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: { fields: [{ field: 'config.digits', message: 'digits must not be greater than 10' }] },
      },
    ],
  },
  401: {
    error: 'Unauthorized',
    description: 'unauthenticated: no signed-in user',
    examples: [{ code: 'unauthenticated', message: 'Authentication required.' }],
  },
  403: {
    error: 'Forbidden',
    description: "admin_required: the host app's admin guards refused the caller",
    examples: [{ code: 'admin_required', message: 'This route is for administrators.' }],
  },
  404: {
    error: 'Not Found',
    description: 'not_found: unknown id (or a user config of another user)',
    examples: [{ code: 'not_found', message: 'Method config not found.' }],
  },
  409: {
    error: 'Conflict',
    description: 'method_config_in_use: it still has user configs (details.user_configs); deactivate it, or delete with cascade=true',
    examples: [
      {
        code: 'method_config_in_use',
        message: 'This method config has 3 user config(s): deactivate it, or delete with cascade=true to delete them too.',
        details: { user_configs: 3 },
      },
    ],
  },
};

/** Documents the error responses of an admin route, in the module's one error envelope. */
export function ApiAdminErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return apiErrorResponses(ADMIN_ERRORS, statuses);
}
