import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import type { TwoFactorAuditEvent } from '../events/two-factor.events.js';
import type { Caller } from './confirmer.types.js';

/** An audit event's fields, before the trail adds its name and time. */
export type AuditFields = Omit<TwoFactorAuditEvent, 'name' | 'at'>;

/** The ids of a confirmation, as audit events carry them: never its state. */
export function confirmationEvent(confirmation: ConfirmationState, method: string | undefined, clientIp: string | undefined): AuditFields {
  const event: AuditFields = {
    userId: confirmation.user_id,
    clientIp,
    method,
    methodConfigId: confirmation.method_config_id,
    userConfigId: confirmation.user_config_id,
    confirmationId: confirmation.id,
  };
  // What a bound confirmation approves: its action only (its details may name people or accounts).
  if (confirmation.action) event.action = confirmation.action;
  return event;
}

/** The ids of a user config, as audit events carry them: never its config. */
export function userConfigEvent(item: UserConfig, caller: Caller): AuditFields {
  return { userId: item.user_id, clientIp: caller.clientIp, methodConfigId: item.method_config_id, userConfigId: item.id, method: item.method_config?.method };
}
