import { Injectable } from '@nestjs/common';
import { PublicViewMapper } from '../public-api/public-view.mapper.js';
import { SignInFlow } from './sign-in.flow.js';
import type { ConfirmSignInInput, SignInChallenge, SignInConfirmed, SignInStart, StartSignInInput } from './sign-in.types.js';

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

  /** Deletes expired pending sign-ins and remembered devices; returns how many rows went. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.flow.purgeExpired(now);
  }
}
