import type { Type } from '@nestjs/common';
import { ConfirmationAdminService } from '../admin/confirmation-admin.service.js';
import { MethodConfigService } from '../admin/method-config.service.js';
import { UserConfigAdminService } from '../admin/user-config-admin.service.js';
import { AccessCodeAdminService } from '../admin/access-code-admin.service.js';
import { AnswerJudge } from '../confirmations/answer.judge.js';
import { ConfirmationRequester } from '../confirmations/confirmation.requester.js';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import { ProofService } from '../confirmations/proof.service.js';
import { UserConfigService } from '../factors/user-config.service.js';
import { DeviceService } from '../devices/device.service.js';
import { SignInService } from '../sign-in/sign-in.service.js';

/** The async methods of `T` (a renamed method fails the type check here, not silently at run time). */
type AsyncMethodOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T] & string;

export interface InstrumentedProvider<T = unknown> {
  provider: Type<T>;
  /** Method name → operation name (the span is `two_factor.<operation>`). */
  operations: Partial<Record<AsyncMethodOf<T>, string>>;
}

function entry<T>(provider: Type<T>, operations: Partial<Record<AsyncMethodOf<T>, string>>): InstrumentedProvider {
  return { provider, operations } as InstrumentedProvider;
}

/**
 * Every module operation, wherever it is called from (the module's routes, the host's own
 * code, a guard): the provider instance's method is wrapped once at start-up, so REST and
 * service callers alike get one span and one duration sample per call. Names are fixed
 * words — the metrics' `operation` attribute is bounded by this table.
 */
export const INSTRUMENTED_OPERATIONS: InstrumentedProvider[] = [
  entry(ConfirmationRequester, { request: 'confirmation.request' }),
  entry(AnswerJudge, { confirm: 'confirmation.confirm' }),
  entry(ProofService, { check: 'confirmation.check', use: 'confirmation.use' }),
  entry(ConfirmerEngine, { purgeExpired: 'purge' }),
  entry(UserConfigService, {
    spendProof: 'step_up',
    create: 'user_config.create',
    confirm: 'user_config.confirm',
    update: 'user_config.update',
    remove: 'user_config.remove',
  }),
  entry(SignInService, {
    start: 'sign_in.start',
    requestConfirmation: 'sign_in.request',
    confirm: 'sign_in.confirm',
    startRecovery: 'sign_in.recovery_start',
    cancelRecovery: 'sign_in.recovery_cancel',
    useAccessCode: 'sign_in.access_code',
    enrol: 'sign_in.enrol',
    confirmEnrollment: 'sign_in.enrol_confirm',
  }),
  entry(DeviceService, { revoke: 'device.revoke', revokeAll: 'device.revoke_all' }),
  entry(MethodConfigService, {
    create: 'admin.method_config.create',
    update: 'admin.method_config.update',
    activate: 'admin.method_config.activate',
    deactivate: 'admin.method_config.deactivate',
    remove: 'admin.method_config.remove',
  }),
  entry(UserConfigAdminService, {
    list: 'admin.user_config.list',
    unlock: 'admin.user_config.unlock',
    deactivate: 'admin.user_config.deactivate',
    remove: 'admin.user_config.remove',
    removeTwoFactor: 'admin.two_factor.remove',
  }),
  entry(ConfirmationAdminService, { search: 'admin.confirmation.search' }),
  entry(AccessCodeAdminService, { issue: 'admin.access_code.issue' }),
];
