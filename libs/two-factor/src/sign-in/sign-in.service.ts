import { Injectable } from '@nestjs/common';
import { PublicViewMapper } from '../public-api/public-view.mapper.js';
import type { PublicUserConfigChange } from '../public-api/public-views.js';
import { RecoveryFlow } from './recovery.flow.js';
import { SignInFlow } from './sign-in.flow.js';
import type {
  ConfirmEnrollmentInput,
  ConfirmSignInInput,
  EnrolInSignInInput,
  RecoveryStarted,
  SignInChallenge,
  SignInConfirmed,
  SignInEnrollmentOpen,
  SignInStart,
  StartSignInInput,
} from './sign-in.types.js';

/**
 * The second step of the host's sign-in. The host calls `start` once the
 * password is verified (on every sign-in path it has); a user with an available
 * factor gets a short-lived pending sign-in instead of a session, requests a
 * confirmation of one of their factors through it and confirms it. Only a
 * successful `confirm` tells the host to issue the session, and it does so once.
 *
 * Every result is safe to hand to the client as it is: the sign-in token (meant for the
 * client) and a new device's token (meant for the device) are the only secrets in them,
 * and only where they are meant to be handed out. Never a code, hash or unmasked address.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly flow: SignInFlow,
    private readonly views: PublicViewMapper,
    private readonly recovery: RecoveryFlow,
  ) {}

  /**
   * After the password: complete for a user with no available factor or a valid
   * remembered device of theirs; otherwise a pending sign-in listing the factors.
   * @throws FactorLockedError when the user's only factors are locked (100 wrong codes):
   * the host's account recovery takes over, the password alone is not enough.
   */
  start(userId: string, input: StartSignInInput = {}): Promise<SignInStart> {
    return this.flow.start(userId, input);
  }

  /**
   * Requests a confirmation of one of the pending user's available factors (a
   * code is sent for email and SMS); it replaces any confirmation requested
   * through this sign-in before. `caller.language`: the email's or SMS's language.
   * @throws SignInInvalidError for an unknown, expired or completed sign-in; NotFoundError for a
   * user config that is not one of this user's available factors; every error of `ConfirmerService.requestConfirmation`.
   */
  async requestConfirmation(token: unknown, userConfigId: number, caller: { clientIp?: string; language?: string } = {}): Promise<SignInChallenge> {
    const { confirmation, challenge } = await this.flow.requestConfirmation(token, userConfigId, caller);
    return this.views.confirmation(confirmation, false, challenge);
  }

  /**
   * Judges the code of the confirmation requested through this sign-in. On success the
   * pending sign-in and the confirmation are spent and, when asked, the device is remembered.
   * @throws SignInInvalidError; NotFoundError when no confirmation was requested; ValidationFailedError
   * without `data` (no attempt spent); every error of `ConfirmerService.confirm`.
   */
  confirm(token: unknown, input: ConfirmSignInInput): Promise<SignInConfirmed> {
    return this.flow.confirm(token, input);
  }

  /**
   * Issue 22, for a user who lost every factor: starts a self-service recovery from this pending sign-in.
   * Nothing opens now: every email and SMS factor and the host's `RecoveryNotifier` get the cancel code,
   * and a later pending sign-in may enrol a new factor from `notBefore` on (`recovery.waitSeconds`).
   * @throws NotFoundError when the `recovery` option is off; SignInInvalidError; RateLimitedError; RecoveryInProgressError.
   */
  startRecovery(token: unknown, caller: { clientIp?: string; language?: string } = {}): Promise<RecoveryStarted> {
    return this.recovery.startRecovery(token, caller);
  }

  /** Cancels the recovery the code was sent for. @throws NotFoundError for an unknown, spent or expired code; RateLimitedError. */
  async cancelRecovery(cancelCode: unknown, caller: { clientIp?: string } = {}): Promise<{ recoveryId: string }> {
    const { recoveryId } = await this.recovery.cancelRecovery(cancelCode, caller);
    return { recoveryId };
  }

  /**
   * Opens enrolment inside this pending sign-in with an admin's temporary access code (single use). No session.
   * @throws SignInInvalidError; AccessCodeInvalidError; RateLimitedError.
   */
  useAccessCode(token: unknown, code: unknown, caller: { clientIp?: string } = {}): Promise<SignInEnrollmentOpen> {
    return this.recovery.useAccessCode(token, code, caller);
  }

  /**
   * Enrols a new factor inside a pending sign-in whose enrolment a recovery (its wait over) or an access code opened.
   * The answer is as `user-config/own/create/`'s: the factor, its enrolment confirmation and the one-time enrolment data.
   * @throws SignInInvalidError; EnrollmentNotOpenError; every error of `UserConfigService.create`.
   */
  async enrol(token: unknown, input: EnrolInSignInInput): Promise<PublicUserConfigChange> {
    return this.views.userConfigChange(await this.recovery.enrol(token, input), input.language);
  }

  /**
   * Proves the factor `enrol` made and completes the sign-in: every other factor and remembered device of the
   * user is revoked in the same transaction. The host issues the session after it, as after `confirm`.
   * @throws SignInInvalidError; NotFoundError; EnrollmentNotOpenError; every error of `ConfirmerService.confirm`.
   */
  confirmEnrollment(token: unknown, input: ConfirmEnrollmentInput): Promise<SignInConfirmed> {
    return this.recovery.confirmEnrollment(token, input);
  }

  /** Deletes expired pending sign-ins and remembered devices; returns how many rows went. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.flow.purgeExpired(now);
  }
}
