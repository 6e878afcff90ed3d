import { Injectable } from '@nestjs/common';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import {
  AlreadyConfirmedError,
  ConfirmationExpiredError,
  ConfirmationFailedError,
  ConfirmationLockedError,
  WrongConfigError,
} from '../errors/confirmation.errors.js';
import { NotFoundError, RateLimitedError } from '../errors/request.errors.js';
import { FactorLockedError } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import type { SingleUseClaim, Verdict, VerdictObject } from '../method-api/backend.js';
import { BackendBinder, bindInputOf } from './backend-binder.js';
import type { AuditFields } from './audit-events.js';
import { attemptsLeft, isExpired, isFor, isNewest } from '../rules/confirmation.rules.js';
import { ConfirmationStore, type JoinedConfirmation } from '../persistence/confirmation.store.js';
import type { BoundBackend, ConfirmedState, ConfirmInput, OnConfirmed } from './confirmer.types.js';
import { assertNoCooldown, factorKey, windowParams } from '../rules/failure-policy.js';
import { readVisible, visible } from './visible-confirmation.js';
import { FactorTransitions } from './factor-transitions.js';

/**
 * `confirm`: judges an answer. The read explains (which error), the conditional
 * statements decide (who wins a race): a success flips the row and applies the
 * backend's single-use claim in one transaction; a wrong answer counts against
 * the confirmation and its factor. Each judged answer claims the factor's
 * failure window, so parallel guesses get one judgement per cooldown window.
 */
@Injectable()
export class AnswerJudge {
  constructor(
    private readonly store: ConfirmationStore,
    private readonly binder: BackendBinder,
    private readonly audit: AuditTrail,
    private readonly lifecycle: FactorTransitions,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * Only a confirmation issued for `input.purpose` (default `step_up`) is judged: one of another
   * purpose is NotFoundError, and nothing about it changes (the flip and the count say so in SQL too).
   * Statements on success: 3 for a factor (the third, or the claim, records its use: `last_used_at`), 2 method-level.
   * @throws NotFoundError, WrongConfigError, AlreadyConfirmedError,
   * ConfirmationLockedError, ConfirmationExpiredError, FactorLockedError, RateLimitedError,
   * ConfirmationFailedError (with the attempts left).
   */
  async confirm(registry: MethodRegistry, input: ConfirmInput, onConfirmed?: OnConfirmed, read?: JoinedConfirmation | null): Promise<ConfirmedState> {
    const userId = input.userId ?? null;
    // The path judging it: a confirmation issued for another purpose is not found here, and nothing about it changes.
    const purpose = input.purpose ?? ConfirmationPurpose.StepUp;
    // `read`: the module's sign-in read the confirmation with its pending sign-in (null: none was found); the same rule applies to it.
    const joined = read === undefined ? await readVisible(this.store, input.id, userId) : visible(read, input.id, userId);
    const { confirmation, methodConfig, userConfig, failures } = joined;
    if (input.userConfigId !== undefined && confirmation.user_config_id !== input.userConfigId) throw new WrongConfigError();
    this.assertConfirmable(registry, joined, purpose, Date.now());
    const bound = await this.binder.bind(registry, bindInputOf(input, methodConfig, userConfig));
    const verdict = normalize(await bound.backend.confirm(confirmation.state, input.data ?? {}, bound.context));
    const event: AuditFields = {
      userId,
      clientIp: input.clientIp,
      method: methodConfig.method,
      methodConfigId: methodConfig.id,
      userConfigId: userConfig?.id ?? null,
      confirmationId: confirmation.id,
    };
    if (confirmation.action) event.action = confirmation.action;
    // The factor's failure window as read: judging this answer claims it.
    const window = windowParams(failures, this.options);
    if (verdict.ok) {
      const outcome = await this.markConfirmed(joined, purpose, verdict, window, onConfirmed);
      if ('confirmed' in outcome) {
        const remaining = remainingAfter(bound, outcome.replayGuard);
        this.audit.emit(TwoFactorEvent.ConfirmationConfirmed, remaining === undefined ? event : { ...event, remaining });
        return remaining === undefined ? outcome.confirmed : Object.assign(outcome.confirmed, { remaining });
      }
      // A right code whose time step or slot was already spent is a replay: it counts as a wrong code.
      if (outcome.refused !== 'claim-spent') return this.explainRefusal(registry, input.id, userId, purpose, outcome.refused);
    }
    // The backend's word for why (e.g. WebAuthn's counter_regressed) goes to the audit event, never to the client.
    return this.recordFailure(registry, joined, purpose, window, verdict.reason ? { ...event, reason: verdict.reason } : event);
  }

  /** The refusals the read can explain, in the order a client can act on them. */
  private assertConfirmable(registry: MethodRegistry, joined: JoinedConfirmation, purpose: ConfirmationPurpose, now: number): void {
    const { confirmation, methodConfig, userConfig, failures } = joined;
    if (!isFor(confirmation, purpose)) throw new NotFoundError('Confirmation');
    if (!methodConfig.is_active || !registry.has(methodConfig.method)) throw new NotFoundError('Confirmation');
    if (confirmation.status === Status.Confirmed) throw new AlreadyConfirmedError();
    if (confirmation.status === Status.Locked || attemptsLeft(confirmation) === 0) throw new ConfirmationLockedError();
    if (isExpired(confirmation, now)) throw new ConfirmationExpiredError();
    if (!isNewest(confirmation, userConfig)) throw new ConfirmationExpiredError({ key: 'error.confirmation_expired.replaced' });
    if (userConfig?.status === Status.Locked) throw new FactorLockedError();
    if (failures.key !== null) assertNoCooldown(failures, now, this.options);
  }

  /**
   * Flips the confirmation to confirmed and, in the same transaction, applies the
   * single-use claim and ends the factor's run of failures. Null when it lost a race.
   */
  private markConfirmed(joined: JoinedConfirmation, purpose: ConfirmationPurpose, verdict: VerdictObject, window: number[], onConfirmed?: OnConfirmed) {
    const now = Date.now();
    const { confirmation, userConfig, failures } = joined;
    const claim: SingleUseClaim | undefined = verdict.claim;
    // The factor's record of this use, the lifecycle's `record_use`: its `last_used_at` and a backend's new stored
    // form of it (e.g. the WebAuthn credential this confirmation proved). Without a new form the store writes
    // `last_used_at` in a statement it runs anyway (the claim's, or the flip's), so recording costs no round trip.
    const config = userConfig ? verdict.config : undefined;
    const also: OnConfirmed | undefined =
      userConfig && config
        ? async (manager, confirmed) => {
            await this.lifecycle.recordUseInside(manager, userConfig.id, config);
            await onConfirmed?.(manager, confirmed);
          }
        : onConfirmed;
    return this.store.markConfirmed(confirmation.id, purpose, now, now + this.options.proofTtlSeconds * 1000, {
      claim: claim && { userConfigId: userConfig?.id ?? null, claim },
      resetKey: failures.count > 0 ? failures.key : null,
      window,
      recordUse: userConfig !== null && !config,
      onConfirmed: also,
    });
  }

  /** Counts a wrong answer on the confirmation and its factor, then says how many attempts are left. */
  private async recordFailure(
    registry: MethodRegistry,
    joined: JoinedConfirmation,
    purpose: ConfirmationPurpose,
    window: number[],
    event: AuditFields,
  ): Promise<never> {
    const { confirmation, userConfig } = joined;
    const key = factorKey(userConfig?.id ?? null, confirmation.method_config_id, confirmation.user_id);
    const lock = { at: this.options.maxConsecutiveFailures, apply: this.lifecycle.lockInside.bind(this.lifecycle) };
    const judged = await this.store.recordWrongAnswer(confirmation.id, purpose, key, window, userConfig?.id ?? null, lock);
    if (!judged.judged) return this.explainRefusal(registry, confirmation.id, event.userId, purpose, judged.reason);
    this.audit.emit(TwoFactorEvent.ConfirmationFailed, { ...event, attemptsLeft: judged.attemptsLeft, consecutiveFailures: judged.failures });
    if (judged.attemptsLeft === 0) this.audit.emit(TwoFactorEvent.ConfirmationLocked, event);
    if (userConfig && judged.failures === this.options.maxConsecutiveFailures) this.audit.emit(TwoFactorEvent.UserConfigDisabled, event);
    throw new ConfirmationFailedError(judged.attemptsLeft);
  }

  /**
   * After losing a race, re-reads the confirmation to say why (locked, expired,
   * replaced, already confirmed, cooling down …): the read that explains, not the
   * statement that decided. A closed confirmation always has a reason the read sees;
   * a taken window may not (the other answer succeeded), and is then worth a retry.
   */
  private async explainRefusal(
    registry: MethodRegistry,
    id: string,
    userId: string | null,
    purpose: ConfirmationPurpose,
    reason: 'closed' | 'window-taken',
  ): Promise<never> {
    this.assertConfirmable(registry, await readVisible(this.store, id, userId), purpose, Date.now());
    if (reason === 'window-taken') throw new RateLimitedError(1, { key: 'error.rate_limited.window_taken' });
    // Unreachable unless the row moved back between the two statements; locked is the safe answer (nothing changed).
    throw new ConfirmationLockedError();
  }
}

/**
 * How many single-use codes the factor has left after this answer's claim (backup codes), from the guard the
 * claim's statement returned — not from the guard read before it, which a parallel use may have moved.
 * Undefined for a method without a countable set.
 */
function remainingAfter(bound: BoundBackend, replayGuard: number | undefined): number | undefined {
  const userConfig = bound.context.userConfig;
  if (replayGuard === undefined || !userConfig) return undefined;
  const remaining = bound.backend.remaining(userConfig.config, { ...bound.context, userConfig: { ...userConfig, replayGuard } });
  return remaining ?? undefined;
}

function normalize(verdict: Verdict): VerdictObject {
  return typeof verdict === 'boolean' ? { ok: verdict } : { ok: verdict.ok === true, claim: verdict.claim, config: verdict.config, reason: verdict.reason };
}
