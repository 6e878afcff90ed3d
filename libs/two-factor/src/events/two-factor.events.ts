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
  // Admin actions (MethodConfigService and the admin API); `adminId` names who acted.
  MethodConfigCreated: 'two_factor.admin.method_config.created',
  MethodConfigChanged: 'two_factor.admin.method_config.changed',
  MethodConfigActivated: 'two_factor.admin.method_config.activated',
  MethodConfigDeactivated: 'two_factor.admin.method_config.deactivated',
  MethodConfigDeleted: 'two_factor.admin.method_config.deleted',
  AdminMethodConfigsListed: 'two_factor.admin.method_config.listed',
  AdminMethodsListed: 'two_factor.admin.method.listed',
  AdminUserConfigsListed: 'two_factor.admin.user_config.listed',
  AdminUserConfigUnlocked: 'two_factor.admin.user_config.unlocked',
  AdminUserConfigDeactivated: 'two_factor.admin.user_config.deactivated',
  AdminUserConfigDeleted: 'two_factor.admin.user_config.deleted',
  /** An admin removed two-factor for a user: every factor deleted, the password alone signs in again. */
  AdminTwoFactorRemoved: 'two_factor.admin.two_factor.removed',
  AdminConfirmationsSearched: 'two_factor.admin.confirmation.searched',
  SignInStarted: 'two_factor.sign_in.started',
  SignInCompleted: 'two_factor.sign_in.completed',
  DeviceRemembered: 'two_factor.device.remembered',
  DeviceRevoked: 'two_factor.device.revoked',
  /** A user at the second step of sign-in started a recovery (issue 22); `recoveryId` names it. */
  RecoveryStarted: 'two_factor.recovery.started',
  /** A recovery was cancelled: `reason` is `cancel_code` or `sign_in` (a sign-in with a factor). */
  RecoveryCancelled: 'two_factor.recovery.cancelled',
  /** A new factor enrolled inside a pending sign-in completed it; every old factor and device went. `reason`: `recovery` or `access_code`. */
  RecoveryCompleted: 'two_factor.recovery.completed',
  /** An admin issued a temporary access code for `userId` (never the code). */
  AdminAccessCodeIssued: 'two_factor.admin.access_code.issued',
  /** A temporary access code opened enrolment inside a pending sign-in of `userId`. */
  AccessCodeUsed: 'two_factor.access_code.used',
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
  /** Failed: the backend's stable word for why, when it gave one (e.g. `counter_regressed` for a WebAuthn authenticator whose sign counter went back). */
  reason?: string;
  /** Purged: rows deleted; admin deletes and searches: rows affected or found; device revoked: how many devices went. */
  count?: number;
  /** Admin actions: the acting admin's user id (null when the host's own code acted, e.g. a seeder). */
  adminId?: string | null;
  /** Device events, and a sign-in completed on a remembered device: the device's id (never its token). */
  deviceId?: string;
  /**
   * Confirmed (and a sign-in completed) with a code of a single-use set (backup codes): how many codes
   * of the set are left after this one — a host warns the user when few remain (the demo mails at 2).
   */
  remaining?: number;
  /** Recovery events: the recovery's id (never its cancel code). */
  recoveryId?: string;
}
