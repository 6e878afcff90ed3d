import { TwoFactorError } from './two-factor.error.js';

/** The sender could not hand the code over (SMTP down, provider refused): answered 502 `delivery_failed`. */
export class DeliveryFailedError extends TwoFactorError {
  constructor() {
    super('delivery_failed', { key: 'error.delivery_failed.message' });
  }
}
