import { TwoFactorEvent, type TwoFactorAuditEvent, type TwoFactorEventName } from '../events/two-factor.events.js';
import type { TwoFactorMetrics } from './two-factor-metrics.js';

type AuditFacts = Omit<TwoFactorAuditEvent, 'name' | 'at'>;

const FACTOR_CHANGES: Partial<Record<TwoFactorEventName, string>> = {
  [TwoFactorEvent.UserConfigCreated]: 'created',
  [TwoFactorEvent.UserConfigConfirmed]: 'confirmed',
  [TwoFactorEvent.UserConfigChanged]: 'changed',
  [TwoFactorEvent.UserConfigDisabled]: 'disabled',
  [TwoFactorEvent.UserConfigDeleted]: 'deleted',
  [TwoFactorEvent.DeviceRevoked]: 'device_revoked',
};

const ADMIN_PREFIX = 'two_factor.admin.';

/** A backend's word for a wrong answer, kept only when it is a plain word (it is bounded by the backends' vocabulary). */
function reasonWord(reason: string | undefined): string {
  return reason !== undefined && /^[a-z][a-z0-9_]{0,39}$/.test(reason) ? reason : 'wrong_answer';
}

/**
 * Counts what an audit event says happened (challenges issued and codes sent are counted at
 * the issuer instead: enrolments issue them without a request event). Every module operation emits its audit event
 * through `AuditTrail`, so this one mapping covers them all; only bounded facts (the method
 * key, a word) become attributes — the event's user id, client address and ids never do.
 */
export function recordAuditEvent(metrics: TwoFactorMetrics, name: TwoFactorEventName, event: AuditFacts): void {
  const method = event.method ?? 'unknown';
  switch (name) {
    case TwoFactorEvent.ConfirmationConfirmed:
      return metrics.count('confirmationsJudged', { method, outcome: 'right', reason: 'none' });
    case TwoFactorEvent.ConfirmationFailed:
      return metrics.count('confirmationsJudged', { method, outcome: 'wrong', reason: reasonWord(event.reason) });
    case TwoFactorEvent.ConfirmationLocked:
      return metrics.count('lockouts', { method, scope: 'confirmation' });
    case TwoFactorEvent.ConfirmationUsed:
      return metrics.count('proofsUsed');
    case TwoFactorEvent.ConfirmationsPurged:
      return metrics.count('purged', {}, event.count ?? 0);
    case TwoFactorEvent.SignInStarted:
      return metrics.count('signInsStarted');
    case TwoFactorEvent.SignInCompleted:
      // Completed at the start, on a remembered device, or by the second step.
      if (event.deviceId !== undefined) metrics.count('devicesUsed');
      return metrics.count('signInsCompleted', { via: event.deviceId !== undefined ? 'remembered_device' : 'second_factor' });
    case TwoFactorEvent.DeviceRemembered:
      return metrics.count('devicesRemembered');
    case TwoFactorEvent.RecoveryStarted:
      return metrics.count('recoverySteps', { step: 'started', reason: 'none' });
    case TwoFactorEvent.RecoveryCancelled:
      return metrics.count('recoverySteps', { step: 'cancelled', reason: event.reason === 'sign_in' ? 'sign_in' : 'cancel_code' });
    case TwoFactorEvent.RecoveryCompleted:
      return metrics.count('recoverySteps', { step: 'completed', reason: event.reason === 'access_code' ? 'access_code' : 'recovery' });
    case TwoFactorEvent.AccessCodeUsed:
      return metrics.count('recoverySteps', { step: 'access_code_used', reason: 'none' });
    default:
      break;
  }
  if (name === TwoFactorEvent.UserConfigDisabled) metrics.count('lockouts', { method, scope: 'factor' });
  const change = FACTOR_CHANGES[name];
  if (change) metrics.count('factorChanges', { change }, name === TwoFactorEvent.DeviceRevoked ? (event.count ?? 1) : 1);
  if (name.startsWith(ADMIN_PREFIX)) metrics.count('adminActions', { action: name.slice(ADMIN_PREFIX.length) });
}
