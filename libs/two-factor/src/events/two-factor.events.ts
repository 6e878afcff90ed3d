/** Names of the audit events the module emits (through `@nestjs/event-emitter`, when the host app has it). */
export const TwoFactorEvent = {
  ConfirmationRequested: 'two_factor.confirmation.requested',
  ConfirmationSent: 'two_factor.confirmation.sent',
  ConfirmationConfirmed: 'two_factor.confirmation.confirmed',
  ConfirmationFailed: 'two_factor.confirmation.failed',
  ConfirmationLocked: 'two_factor.confirmation.locked',
  ConfirmationUsed: 'two_factor.confirmation.used',
  ConfirmationsPurged: 'two_factor.confirmation.purged',
  UserConfigCreated: 'two_factor.user_config.created',
  UserConfigChanged: 'two_factor.user_config.changed',
  UserConfigConfirmed: 'two_factor.user_config.confirmed',
  UserConfigDisabled: 'two_factor.user_config.disabled',
  UserConfigDeleted: 'two_factor.user_config.deleted',
  SignInStarted: 'two_factor.sign_in.started',
  SignInCompleted: 'two_factor.sign_in.completed',
  DeviceRemembered: 'two_factor.device.remembered',
  DeviceRevoked: 'two_factor.device.revoked',
} as const;
export type TwoFactorEventName = (typeof TwoFactorEvent)[keyof typeof TwoFactorEvent];

/**
 * What every audit event carries: ids, the user and the client address — never
 * a code, hash, seed or destination.
 * @example
 * @OnEvent('two_factor.confirmation.failed') onFailed(event: TwoFactorAuditEvent) { … }
 */
export interface TwoFactorAuditEvent {
  name: TwoFactorEventName;
  at: Date;
  userId: string | null;
  clientIp?: string;
  method?: string;
  methodConfigId?: number;
  userConfigId?: number | null;
  confirmationId?: string;
  /** Failed: attempts left on that confirmation. */
  attemptsLeft?: number;
  /** Failed: consecutive failures on the factor, across its confirmations. */
  consecutiveFailures?: number;
  /** Purged: rows deleted. Device revoked: how many devices went. */
  count?: number;
  /** Device events, and a sign-in completed on a remembered device: the device's id (never its token). */
  deviceId?: string;
}
