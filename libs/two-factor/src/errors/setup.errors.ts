/** Raised while the module is being built: a mistake in the host app's setup, not a request error. */
export class TwoFactorSetupError extends Error {
  constructor(message: string) {
    super(`[TwoFactorModule] ${message}`);
    this.name = 'TwoFactorSetupError';
  }
}
