import { TwoFactorError } from './two-factor.error.js';

/** The caller is signed in but the host's admin guards refused them. */
export class AdminRequiredError extends TwoFactorError {
  constructor() {
    super('admin_required', { key: 'error.admin_required.message' });
  }
}

/**
 * A method config still has user configs: deleting it would delete every user's
 * enrolment in it. Deactivate it instead, or delete with `cascade`.
 */
export class MethodConfigInUseError extends TwoFactorError {
  constructor(readonly userConfigs: number) {
    super(
      'method_config_in_use',
      { key: 'error.method_config_in_use.message', params: { user_configs: userConfigs } },
      {
        user_configs: userConfigs,
      },
    );
  }
}
