import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConfirmerEngine } from '../confirmations/confirmer.engine.js';
import { DeviceService, type RememberedDeviceToken } from '../devices/device.service.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import { WrongConfigError } from '../errors/confirmation.errors.js';
import { NotFoundError } from '../errors/request.errors.js';
import { SignInInvalidError } from '../errors/sign-in.errors.js';
import { FactorLockedError } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { FactorLifecycleService } from '../factors/factor-lifecycle.service.js';
import { SecretBox } from '../secrets/secret-box.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { SignInStore, type PendingSignInRow } from '../persistence/sign-in.store.js';
import { RecoveryStore, type RecoveryRow } from '../persistence/recovery.store.js';
import { AccessCodeStore } from '../persistence/access-code.store.js';
import type { Issued } from '../confirmations/confirmer.types.js';
import { factorTitle } from '../factors/factor-title.js';
import { FactorAmrResolver } from '../confirmations/factor-amr.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { amrClaims } from '../rules/amr.js';
import type { ConfirmSignInInput, SignInConfirmed, SignInFactor, SignInPending, SignInStart, StartSignInInput } from './sign-in.types.js';

/** Longer than any token this module makes: anything longer is not worth hashing. */
const MAX_TOKEN_LENGTH = 128;

/**
 * The second step of sign-in, with an INTERNAL result where one exists (the issued
 * challenge with its state and debug code). Not exported: host code calls `SignInService`,
 * which maps every result to a public view; the module's own routes may use this one
 * (e.g. to show the debug code where `debugCodeResponse` allows it).
 *
 * The host calls `start` once the
 * password is verified (on every sign-in path it has); a user with an available
 * factor gets a short-lived pending sign-in instead of a session, requests a
 * confirmation of one of their factors through it and confirms it. Only a
 * successful `confirm` tells the host to issue the session, and it does so once:
 * the pending sign-in is deleted by one conditional statement in the same
 * transaction that confirms the code.
 */
@Injectable()
export class SignInFlow {
  constructor(
    private readonly confirmer: ConfirmerEngine,
    private readonly store: SignInStore,
    private readonly devices: DeviceService,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly lifecycle: FactorLifecycleService,
    private readonly recoveries: RecoveryStore,
    private readonly accessCodes: AccessCodeStore,
    private readonly amr: FactorAmrResolver,
    private readonly registry: MethodRegistry,
  ) {}

  /**
   * After the password: complete for a user with no available factor or a valid
   * remembered device of theirs; otherwise a pending sign-in listing the factors.
   * @throws FactorLockedError when the user has two-factor on but no available factor
   * (locked after 100 wrong codes, unlocked but unproven, re-keyed and not yet proven,
   * switched off or deleted by an admin): the password alone is never enough again; the
   * host's account recovery (or an admin's "remove two-factor") takes over — except that a recovery
   * whose wait is over, or an unused access code, still gets a pending sign-in (with no factors) to enrol in.
   */
  async start(id: string, input: StartSignInInput = {}): Promise<SignInStart> {
    // Stored and compared as a string, like every user id of the module.
    const userId = String(id);
    const { factors, locked } = await this.factorsOf(userId);
    if (factors.length === 0 && !locked && !(await this.lifecycle.isEnabled(userId))) return { twoFactorRequired: false, userId, device: null };
    const now = Date.now();
    const recovery = this.options.recovery.enabled ? await this.recoveries.find(userId, now) : null;
    // No fallback (issue 18): once two-factor is on, losing every available factor never turns the password back into the whole sign-in.
    // Issue 22: what may still continue is enrolment of a new factor, opened by a recovery whose wait is over or an admin's access code.
    if (factors.length === 0 && !(recovery !== null && recovery.not_before <= now) && !(await this.accessCodes.hasUsable(userId, now))) {
      throw new FactorLockedError();
    }
    const device = input.deviceToken === undefined ? null : await this.devices.recognise(userId, input.deviceToken);
    if (device) {
      this.audit.emit(TwoFactorEvent.SignInCompleted, { userId, clientIp: input.clientIp, deviceId: device.id });
      return { twoFactorRequired: false, userId, device };
    }
    const token = `tfs_${randomBytes(32).toString('base64url')}`;
    const expiresAt = now + this.options.signInTtlSeconds * 1000;
    await this.store.insert(this.secrets.hash(token), userId, now, expiresAt);
    this.audit.emit(TwoFactorEvent.SignInStarted, { userId, clientIp: input.clientIp });
    return { twoFactorRequired: true, userId, token, expiresAt: new Date(expiresAt), factors, recovery: recoveryView(recovery, now) };
  }

  /**
   * Requests a confirmation of one of the pending user's available factors (a
   * code is sent for email and SMS); it replaces any confirmation requested
   * through this sign-in before.
   * @throws SignInInvalidError for an unknown, expired or completed sign-in; NotFoundError for a
   * user config that is not one of this user's available factors; every error of `ConfirmerEngine.requestConfirmation`.
   */
  async requestConfirmation(token: unknown, userConfigId: number, caller: { clientIp?: string; language?: string } = {}): Promise<Issued> {
    const pending = await this.pending(token);
    const { factors } = await this.factorsOf(pending.user_id);
    if (!factors.some((factor) => factor.id === userConfigId)) throw new NotFoundError('User config');
    // The language of the email or SMS text, when the host passes the request's (`MessageTranslator.languageOf`).
    // A sign-in confirmation: confirmed only here, never through confirmation/confirm, and never a step-up proof.
    const issued = await this.confirmer.requestConfirmation({
      userId: pending.user_id,
      userConfigId,
      clientIp: caller.clientIp,
      language: caller.language,
      purpose: ConfirmationPurpose.SignIn,
    });
    if (!(await this.store.attach(pending.token_hash, issued.confirmation.id, Date.now()))) throw new SignInInvalidError();
    return issued;
  }

  /**
   * Judges the code of the confirmation requested through this sign-in. A wrong
   * code counts against the confirmation and its factor as anywhere else. On
   * success the pending sign-in and the confirmation are spent — in the
   * transaction that confirms — and, when asked, the device is remembered.
   * @throws SignInInvalidError; NotFoundError when no confirmation was requested; every error of `ConfirmerEngine.confirm`.
   */
  async confirm(token: unknown, input: ConfirmSignInInput): Promise<SignInConfirmed> {
    // The pending sign-in and its confirmation in one statement; the judge takes the confirmation as read.
    const { pending, joined } = await this.pendingWith((hash, now) => this.store.findWithConfirmation(hash, now), token);
    if (!pending.confirmation_id) throw new NotFoundError('Confirmation');
    const userId = pending.user_id;
    let device: RememberedDeviceToken | null = null;
    let cancelled: RecoveryRow | null = null;
    const confirmation = await this.confirmer.confirm(
      // `data` as given: a missing answer is refused before anything is counted (ConfirmerEngine.confirm).
      // Only a sign-in confirmation completes a sign-in: a step-up one attached here is "not found".
      { userId, id: pending.confirmation_id, data: input.data, clientIp: input.clientIp, purpose: ConfirmationPurpose.SignIn },
      async (manager, confirmed) => {
        if (confirmed.user_config_id === null) throw new WrongConfigError();
        // The claim decides; with it the confirmation is spent and a recovery of the account cancelled (issue 22).
        const completed = await this.store.complete(pending.token_hash, confirmed.id, confirmed.user_config_id, userId, Date.now(), manager);
        if (!completed) throw new SignInInvalidError();
        cancelled = completed.cancelled;
        if (input.rememberDevice === true) device = await this.devices.remember(userId, input.deviceLabel, manager);
      },
      joined,
    );
    const facts = { userId, clientIp: input.clientIp, userConfigId: confirmation.user_config_id, confirmationId: confirmation.id };
    // A backup code: how many of its set are left, for the answer and the event (the host warns when few remain).
    const remaining = confirmation.remaining;
    this.audit.emit(TwoFactorEvent.SignInCompleted, remaining === undefined ? facts : { ...facts, remaining });
    const recovery = cancelled as RecoveryRow | null;
    if (recovery) this.audit.emit(TwoFactorEvent.RecoveryCancelled, { userId, clientIp: input.clientIp, recoveryId: recovery.id, reason: 'sign_in' });
    const remembered = device as RememberedDeviceToken | null;
    if (remembered) this.audit.emit(TwoFactorEvent.DeviceRemembered, { ...facts, deviceId: remembered.device.id });
    const claims = await this.claimsOf(confirmation.method_config_id);
    // Named, not spread: this answer is built on every sign-in.
    const done: SignInConfirmed = { userId, device: remembered, method: claims.method, amr: claims.amr, acr: claims.acr };
    if (remaining !== undefined) done.remaining = remaining;
    return done;
  }

  /**
   * What a sign-in completed with a factor of `methodConfigId` says about how the user authenticated: the
   * host verified the password before `start`, so the first factor is `pwd` (`amrClaims`).
   */
  async claimsOf(methodConfigId: number): Promise<Pick<SignInConfirmed, 'method' | 'amr' | 'acr'>> {
    const factor = await this.amr.ofMethodConfig(this.registry, methodConfigId);
    const claims = amrClaims(factor, { firstFactor: ['pwd'] });
    return { method: factor.method, amr: claims.amr, acr: claims.acr };
  }

  /** Deletes expired pending sign-ins and remembered devices; returns how many rows went. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const recoveries = (await this.recoveries.purge(now)) + (await this.accessCodes.purge(now));
    return (await this.store.purge(now)) + (await this.devices.purgeExpired(now)) + recoveries;
  }

  /** The user's available factors with their public, masked destinations; and whether an active one is locked. */
  private async factorsOf(userId: string): Promise<{ factors: SignInFactor[]; locked: boolean }> {
    const active = (await this.confirmer.getUserConfigs(userId)).filter((config) => config.is_active);
    const configs = active.filter((config) => config.status === Status.Confirmed);
    const factors: SignInFactor[] = [];
    for (const config of configs) {
      const bound = await this.confirmer.makeBackend({ userConfig: config, userId }, false);
      if (!bound) continue;
      factors.push({
        id: config.id,
        method: config.method_config!.method,
        title: factorTitle(config.title, config.method_config!.title, bound.descriptor.verboseName),
        nickname: config.title || null,
        destination: destinationOf(bound.backend.publicConfig(config.config, bound.context)),
        created_at: config.created_at.toISOString(),
        last_used_at: config.last_used_at?.toISOString() ?? null,
      });
    }
    return { factors, locked: active.some((config) => config.status === Status.Locked) };
  }

  /** The unexpired pending sign-in of this token. @throws SignInInvalidError */
  pending(token: unknown): Promise<PendingSignInRow> {
    return this.pendingWith((hash, now) => this.store.find(hash, now), token);
  }

  /** What `find` reads for this token's unexpired pending sign-in. @throws SignInInvalidError when it reads nothing */
  private async pendingWith<T>(find: (tokenHash: string, now: number) => Promise<T | undefined>, token: unknown): Promise<T> {
    if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) throw new SignInInvalidError();
    const row = await find(this.secrets.hash(token), Date.now());
    if (!row) throw new SignInInvalidError();
    return row;
  }
}

/** A running recovery as a pending sign-in shows it: when it opens enrolment, and whether it does now. */
function recoveryView(recovery: RecoveryRow | null, now: number): SignInPending['recovery'] {
  return recovery ? { id: recovery.id, notBefore: new Date(recovery.not_before), enrollmentOpen: recovery.not_before <= now } : null;
}

/** The masked address or number of a sent-code method's public view (`email` or `phone`), else null. */
function destinationOf(view: Record<string, unknown>): string | null {
  for (const key of ['email', 'phone']) if (typeof view[key] === 'string') return view[key] as string;
  return null;
}
