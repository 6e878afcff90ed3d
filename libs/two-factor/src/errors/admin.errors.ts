import { TwoFactorError } from './two-factor.error.js';

/** The caller is signed in but the host's admin guards refused them. */
export class AdminRequiredError extends TwoFactorError {
  constructor() {
    super('admin_required', 'This route is for administrators.');
  }
}

/**
 * A method config still has user configs: deleting it would delete every user's
 * enrolment in it. Deactivate it instead, or delete with `cascade`.
 */
export class MethodConfigInUseError extends TwoFactorError {
  constructor(readonly userConfigs: number) {
    super('method_config_in_use', `This method config has ${userConfigs} user config(s): deactivate it, or delete with cascade=true to delete them too.`, {
      user_configs: userConfigs,
    });
  }
}
