import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import { RateLimiter } from '../confirmations/rate-limiter.js';
import { DeviceService, type RememberedDeviceToken } from '../devices/device.service.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { WrongConfigError } from '../errors/confirmation.errors.js';
import { AccessCodeInvalidError, EnrollmentNotOpenError, RecoveryInProgressError } from '../errors/recovery.errors.js';
import { NotFoundError } from '../errors/request.errors.js';
import { SignInInvalidError } from '../errors/sign-in.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { FactorLifecycleService } from '../factors/factor-lifecycle.service.js';
import { UserConfigService, type UserConfigChangeResult } from '../factors/user-config.service.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { AccessCodeStore } from '../persistence/access-code.store.js';
import { RecoveryStore, type RecoveryRow } from '../persistence/recovery.store.js';
import { SignInStore, type PendingSignInRow } from '../persistence/sign-in.store.js';
import { normalizeReadableCode, randomReadableCode } from '../secrets/random-code.js';
import { SecretBox } from '../secrets/secret-box.js';
import { EmailSender } from '../senders/email-sender.js';
import { RecoveryNotifier } from '../senders/recovery-notifier.js';
import { SmsSender } from '../senders/sms-sender.js';
import { MessageTranslator } from '../translation/message-translator.js';
import { SignInFlow } from './sign-in.flow.js';
import type { ConfirmEnrollmentInput, EnrolInSignInInput, EnrollmentOpening, RecoveryStarted, SignInConfirmed, SignInEnrollmentOpen } from './sign-in.types.js';

/** Cancel attempts per client address per hour: the code has ~98 bits, this only keeps a flood out of the database. */
const CANCELS_PER_IP_PER_HOUR = 30;

/**
 * Issue 22: enrolment inside a pending sign-in, for a user who lost every factor. Two ways open it:
 *
 * - a self-service **recovery** (`startRecovery`), once its waiting period is over: the owner is told on
 *   every channel the module knows (each proven email and SMS factor, and the host's `RecoveryNotifier`)
 *   with a cancel code, and cancels with it (`cancelRecovery`) or by any sign-in with a factor;
 * - an admin's temporary **access code** (`useAccessCode`), single use, at the second step.
 *
 * Then the client enrols a new factor through the sign-in token (`enrol`) and proves it
 * (`confirmEnrollment`): only that completes the sign-in, and in the same transaction every old
 * factor and remembered device of the user goes (the lifecycle's `recovery_complete`). Internal:
 * host code calls `SignInService`.
 */
@Injectable()
export class RecoveryFlow {
  private readonly logger = new Logger('TwoFactorRecovery');

  constructor(
    private readonly signIn: SignInFlow,
    private readonly signIns: SignInStore,
    private readonly recoveries: RecoveryStore,
    private readonly accessCodes: AccessCodeStore,
    private readonly limiter: RateLimiter,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    private readonly confirmer: ConfirmerEngine,
    private readonly userConfigs: UserConfigService,
    private readonly lifecycle: FactorLifecycleService,
    private readonly devices: DeviceService,
    private readonly translator: MessageTranslator,
    private readonly moduleRef: ModuleRef,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * Starts a recovery for the user of this pending sign-in. Nothing opens now: the owner is notified
   * with the cancel code, and a later pending sign-in may enrol a new factor from `notBefore` on.
   * @throws NotFoundError when recovery is off; SignInInvalidError; RateLimitedError (per user, per
   * client address); RecoveryInProgressError when one is running.
   */
  async startRecovery(token: unknown, caller: { clientIp?: string; language?: string } = {}): Promise<RecoveryStarted> {
    const settings = this.options.recovery;
    if (!settings.enabled) throw new NotFoundError('Recovery');
    const pending = await this.signIn.pending(token);
    const userId = pending.user_id;
    await this.limiter.hit(`recovery:user:${userId}`, settings.startsPerUserPerDay, 86400);
    if (caller.clientIp) await this.limiter.hit(`recovery:ip:${caller.clientIp}`, settings.startsPerIpPerHour, 3600);
    const now = Date.now();
    const running = await this.recoveries.find(userId, now);
    if (running) throw new RecoveryInProgressError(new Date(running.not_before));
    const cancelCode = randomReadableCode(4, 5);
    const notBefore = now + settings.waitSeconds * 1000;
    const row = { id: randomUUID(), user_id: userId, not_before: notBefore, expires_at: notBefore + settings.openSeconds * 1000 };
    // The unique user id decides a race of two starts: the loser answers as if it had read the winner.
    if (!(await this.recoveries.start({ ...row, cancel_hash: this.secrets.hash(normalizeReadableCode(cancelCode)!), created_at: now }, now))) {
      const winner = await this.recoveries.find(userId, now);
      throw new RecoveryInProgressError(new Date(winner?.not_before ?? notBefore));
    }
    this.audit.emit(TwoFactorEvent.RecoveryStarted, { userId, clientIp: caller.clientIp, recoveryId: row.id });
    await this.notify(userId, { recoveryId: row.id, cancelCode, notBefore: new Date(notBefore) }, caller);
    return { recoveryId: row.id, notBefore: new Date(notBefore) };
  }

  /**
   * Cancels the recovery this code was sent for (anyone holding the code may: it went only to the
   * owner's channels). @throws NotFoundError for an unknown, used or expired code; RateLimitedError.
   */
  async cancelRecovery(code: unknown, caller: { clientIp?: string } = {}): Promise<{ recoveryId: string; userId: string }> {
    if (caller.clientIp) await this.limiter.hit(`recovery-cancel:ip:${caller.clientIp}`, CANCELS_PER_IP_PER_HOUR, 3600);
    const normalized = normalizeReadableCode(code);
    const row = normalized === null ? null : await this.recoveries.cancelByCode(this.secrets.hashes(normalized), Date.now());
    if (!row) throw new NotFoundError('Recovery');
    this.audit.emit(TwoFactorEvent.RecoveryCancelled, { userId: row.user_id, clientIp: caller.clientIp, recoveryId: row.id, reason: 'cancel_code' });
    return { recoveryId: row.id, userId: row.user_id };
  }

  /**
   * Opens enrolment inside this pending sign-in with an admin's access code: one conditional UPDATE
   * uses it (unused, unexpired, this user's), so of two uses racing one wins. Gives no session.
   * @throws SignInInvalidError; AccessCodeInvalidError; RateLimitedError (tries per user per hour).
   */
  async useAccessCode(token: unknown, code: unknown, caller: { clientIp?: string } = {}): Promise<SignInEnrollmentOpen> {
    const pending = await this.signIn.pending(token);
    const userId = pending.user_id;
    await this.limiter.hit(`access-code:user:${userId}`, this.options.accessCodes.attemptsPerUserPerHour, 3600);
    const normalized = normalizeReadableCode(code);
    const now = Date.now();
    // Enrolling (scanning a QR code, reading an email) takes longer than typing a code: the sign-in starts its lifetime
    // again, and the used code is kept as long (the enrolment's completion needs it).
    const expiresAt = now + this.options.signInTtlSeconds * 1000;
    if (normalized === null || !(await this.accessCodes.use(userId, this.secrets.hashes(normalized), pending.token_hash, now, expiresAt))) {
      throw new AccessCodeInvalidError();
    }
    await this.signIns.extend(pending.token_hash, expiresAt, now);
    this.audit.emit(TwoFactorEvent.AccessCodeUsed, { userId, clientIp: caller.clientIp });
    return { openedBy: 'access_code', expiresAt: new Date(expiresAt) };
  }

  /**
   * Enrols a new factor inside a pending sign-in whose enrolment is open (the lifecycle's `recovery_enrol`:
   * no proof, nothing revoked yet); its enrolment confirmation becomes the one that can complete the sign-in.
   * @throws SignInInvalidError; EnrollmentNotOpenError; every error of `user-config/own/create/`.
   */
  async enrol(token: unknown, input: EnrolInSignInInput): Promise<UserConfigChangeResult> {
    const pending = await this.signIn.pending(token);
    await this.openingOf(pending);
    const caller = { userId: pending.user_id, clientIp: input.clientIp, language: input.language };
    const result = await this.userConfigs.create(
      pending.user_id,
      { methodConfigId: input.methodConfigId, config: input.config, title: input.title },
      caller,
      {},
      'recovery_enrol',
    );
    if (result.confirmationId === null || !(await this.signIns.attach(pending.token_hash, result.confirmationId, Date.now()))) throw new SignInInvalidError();
    return result;
  }

  /**
   * Proves the factor `enrol` made, and completes the sign-in: in one transaction the confirmation is judged,
   * the pending sign-in claimed, the opening spent (the recovery — only if its wait is over and nobody cancelled
   * it meanwhile — or the access code), the new factor confirmed and every other factor, remembered device and
   * pending sign-in of the user revoked. The host issues the session after it.
   * @throws SignInInvalidError; NotFoundError (not this sign-in's enrolment); EnrollmentNotOpenError; every error of `confirm`.
   */
  async confirmEnrollment(token: unknown, input: ConfirmEnrollmentInput): Promise<SignInConfirmed> {
    const pending = await this.signIn.pending(token);
    if (pending.confirmation_id === null || pending.confirmation_id !== input.confirmationId) throw new NotFoundError('Confirmation');
    const opening = await this.openingOf(pending);
    const userId = pending.user_id;
    let device: RememberedDeviceToken | null = null;
    let recovery: RecoveryRow | null = null;
    let removed = 0;
    const confirmation = await this.confirmer.confirm(
      {
        userId,
        id: input.confirmationId,
        data: input.data,
        userConfigId: input.userConfigId,
        clientIp: input.clientIp,
        purpose: ConfirmationPurpose.Enrollment,
      },
      async (manager, confirmed) => {
        if (confirmed.user_config_id === null) throw new WrongConfigError();
        const now = Date.now();
        if (!(await this.signIns.claimEnrollment(pending.token_hash, confirmed.id, now, manager))) throw new SignInInvalidError();
        // The opening decides here, in SQL: a recovery cancelled (or an access code replaced) meanwhile opens nothing.
        if (opening === 'recovery') {
          recovery = await this.recoveries.complete(userId, now, manager);
          if (!recovery) throw new EnrollmentNotOpenError();
        } else {
          if (!(await this.accessCodes.complete(userId, pending.token_hash, manager))) throw new EnrollmentNotOpenError();
          // The account is recovered: a recovery still waiting has nothing left to do.
          recovery = await this.recoveries.cancelForUser(userId, manager);
        }
        removed = await this.lifecycle.completeRecoveryInside(manager, userId, confirmed.user_config_id);
        if (input.rememberDevice === true) device = await this.devices.remember(userId, input.deviceLabel, manager);
      },
    );
    const facts = { userId, clientIp: input.clientIp, userConfigId: confirmation.user_config_id, confirmationId: confirmation.id };
    const spent = recovery as RecoveryRow | null;
    this.audit.emit(TwoFactorEvent.UserConfigConfirmed, facts);
    this.audit.emit(TwoFactorEvent.RecoveryCompleted, { ...facts, reason: opening, count: removed, ...(spent ? { recoveryId: spent.id } : {}) });
    this.audit.emit(TwoFactorEvent.SignInCompleted, facts);
    const remembered = device as RememberedDeviceToken | null;
    if (remembered) this.audit.emit(TwoFactorEvent.DeviceRemembered, { ...facts, deviceId: remembered.device.id });
    // The password, then the factor just enrolled and proven.
    return { userId, device: remembered, ...(await this.signIn.claimsOf(confirmation.method_config_id)) };
  }

  /** What opened this pending sign-in's enrolment: an access code used on it, else the user's recovery whose wait is over. @throws EnrollmentNotOpenError */
  private async openingOf(pending: PendingSignInRow): Promise<EnrollmentOpening> {
    if (await this.accessCodes.opened(pending.user_id, pending.token_hash)) return 'access_code';
    const now = Date.now();
    const recovery = this.options.recovery.enabled ? await this.recoveries.find(pending.user_id, now) : null;
    if (recovery && recovery.not_before <= now) return 'recovery';
    throw new EnrollmentNotOpenError(recovery ? new Date(recovery.not_before) : null);
  }

  /**
   * Tells the owner: every proven email and SMS factor of the user (active or not: a lost phone's number
   * still reaches the SIM's owner) through the module's senders, then the host's `RecoveryNotifier`. A channel
   * that fails is logged (never the code) and the others still go.
   */
  private async notify(userId: string, notice: { recoveryId: string; cancelCode: string; notBefore: Date }, caller: { clientIp?: string; language?: string }) {
    const params = { code: notice.cancelCode, not_before: notice.notBefore.toISOString() };
    const subject = this.translator.text('recovery.notice.subject', {}, caller.language);
    const text = this.translator.text('recovery.notice.text', params, caller.language);
    const email = this.optional(EmailSender);
    const sms = this.optional(SmsSender);
    for (const config of await this.confirmer.getUserConfigs(userId)) {
      if (config.confirmed_at === null || config.confirmed_at === undefined) continue;
      const method = config.method_config?.method;
      const stored = config.config as Record<string, unknown>;
      try {
        if (method === 'email' && email && typeof stored.email === 'string') {
          const from = (config.method_config?.config as Record<string, unknown> | undefined)?.from;
          await email.send({ to: stored.email, subject, text, ...(typeof from === 'string' && from !== '' ? { from } : {}) });
        } else if (method === 'sms' && sms && typeof stored.phone === 'string') {
          await sms.send({ to: stored.phone, text });
        }
      } catch (error) {
        this.logger.warn(`Recovery notice to factor ${config.id} of user ${userId} not sent: ${(error as Error).message}`);
      }
    }
    const host = this.optional(RecoveryNotifier);
    if (!host) return;
    try {
      await host.notify({ userId, ...notice, clientIp: caller.clientIp, language: caller.language });
    } catch (error) {
      this.logger.warn(`The host's RecoveryNotifier failed for user ${userId}: ${(error as Error).message}`);
    }
  }

  private optional<T>(token: abstract new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(token as never, { strict: false }) as T;
    } catch {
      return null;
    }
  }
}
