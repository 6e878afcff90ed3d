import { Injectable } from '@nestjs/common';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import { WrongConfigError } from '../errors/confirmation.errors.js';
import { EmptyConfigError, invalidField, NotFoundError, ValidationFailedError } from '../errors/request.errors.js';
import type { BoundOperation } from '../method-api/backend.js';
import { isAction, isOperationDetails, OPERATION_LIMITS, operationDigest, type OperationDetails } from '../rules/step-up-policy.js';
import { SecretBox } from '../secrets/secret-box.js';
import { MessageTranslator } from '../translation/message-translator.js';
import { FactorLockedError } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { BackendBinder, bindInputOf } from './backend-binder.js';
import { ChallengeIssuer } from './challenge.issuer.js';
import { ConfirmationStore } from '../persistence/confirmation.store.js';
import type { Issued, RequestConfirmationInput } from './confirmer.types.js';
import { assertNoCooldown, methodFactorKey } from '../rules/failure-policy.js';
import { MethodConfigCache } from './method-config.cache.js';
import { RateLimiter } from './rate-limiter.js';
import { SqlRunner } from '../persistence/sql-runner.js';
import { UserConfigStore } from '../persistence/user-config.store.js';
import { confirmationEvent } from './audit-events.js';

/**
 * `requestConfirmation`: finds what to challenge (the caller's own user config,
 * or a method config), applies the cooldown and the anonymous cap, and has the
 * challenge issued and delivered.
 */
@Injectable()
export class ConfirmationRequester {
  constructor(
    private readonly userConfigs: UserConfigStore,
    private readonly store: ConfirmationStore,
    private readonly methodConfigs: MethodConfigCache,
    private readonly limits: RateLimiter,
    private readonly binder: BackendBinder,
    private readonly issuer: ChallengeIssuer,
    private readonly audit: AuditTrail,
    private readonly sql: SqlRunner,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly secrets: SecretBox,
    private readonly translator: MessageTranslator,
  ) {}

  /**
   * A user-config request bumps the factor's `challenge_seq`, which voids every
   * older pending code of that factor. Statements: 2 (method configs are cached).
   * @throws EmptyConfigError when neither id is given; NotFoundError for an unknown,
   * inactive or someone else's config; WrongConfigError when the two ids disagree;
   * FactorLockedError; RateLimitedError in a cooldown or beyond a cap.
   */
  async request(registry: MethodRegistry, input: RequestConfirmationInput): Promise<Issued> {
    if (input.userConfigId === undefined && input.methodConfigId === undefined) throw new EmptyConfigError();
    // Before anything changes (a user-config request bumps the factor's challenge number).
    const requested = requestedOperation(input);
    const userId = input.userId ?? null;
    let userConfig: UserConfig | undefined;
    let methodConfigId = input.methodConfigId;
    if (input.userConfigId !== undefined) {
      const bumped = userId === null ? undefined : await this.userConfigs.bumpChallenge(input.userConfigId, userId);
      if (!bumped) throw new NotFoundError('User config');
      userConfig = bumped.userConfig;
      if (userConfig.status === Status.Locked) throw new FactorLockedError();
      assertNoCooldown(bumped.failures, Date.now(), this.options);
      if (methodConfigId !== undefined && methodConfigId !== userConfig.method_config_id) throw new WrongConfigError();
      methodConfigId = userConfig.method_config_id;
    }
    const methodConfig = methodConfigId === undefined ? undefined : await this.methodConfigs.find(methodConfigId);
    if (!methodConfig || !registry.has(methodConfig.method)) throw new NotFoundError('Method config');
    await this.checkCooldown(methodConfig, userConfig, input);
    const purpose = purposeOf(input, userConfig);
    const operation = requested && this.operationOf(requested, purpose, input.language);
    const bound = await this.binder.bind(registry, bindInputOf(input, methodConfig, userConfig, operation));
    const issued =
      userId === null
        ? // Anonymous requests insert rows (and may send messages): capped per client address, in one
          // transaction with the challenge, so a request the method refuses (bad data, a cap) counts nothing.
          await this.sql.transaction(async (manager) => {
            await this.limits.hit(`anonymous-requests:${input.clientIp ?? 'unknown'}`, this.options.anonymousRequestsPerIpPerHour, 3600, manager);
            return this.issuer.issue(bound, purpose, null, input.data, manager);
          })
        : await this.issuer.issue(bound, purpose, userConfig?.challenge_seq ?? null, input.data);
    this.audit.emit(TwoFactorEvent.ConfirmationRequested, confirmationEvent(issued.confirmation, methodConfig.method, input.clientIp));
    await this.issuer.deliver(issued);
    if (issued.challenge.deliver) this.audit.emit(TwoFactorEvent.ConfirmationSent, confirmationEvent(issued.confirmation, methodConfig.method, input.clientIp));
    return issued;
  }

  /**
   * The requested operation with its keyed digest and its description in the caller's language.
   * @throws ValidationFailedError for an action on a confirmation that is no step-up (an enrolment's).
   */
  private operationOf({ action, details }: { action: string; details: OperationDetails }, purpose: ConfirmationPurpose, language?: string): BoundOperation {
    if (purpose !== ConfirmationPurpose.StepUp) throw new ValidationFailedError([invalidField('action', 'validation.action_needs_step_up')]);
    const fallback = `${action} (${Object.entries(details)
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ')})`;
    return {
      action,
      details: { ...details },
      digest: operationDigest(this.secrets, action, details),
      // Asked in English too when the caller has no language: a host describes its operations in every language it speaks.
      description: this.translator.text(`operation.${action}`, { ...details }, language ?? 'en', undefined, fallback),
    };
  }

  /** A signed-in user's method-level requests wait out the factor's cooldown. */
  private async checkCooldown(methodConfig: MethodConfig, userConfig: UserConfig | undefined, input: RequestConfirmationInput): Promise<void> {
    const userId = input.userId ?? null;
    if (userId !== null && !userConfig) {
      const failures = await this.store.failures(methodFactorKey(methodConfig.id, userId));
      if (failures) assertNoCooldown(failures, Date.now(), this.options);
    }
  }
}

/**
 * The operation a request names, checked (the REST body is validated already; a host's call is checked here).
 * @throws ValidationFailedError for a malformed action or details, or details without an action.
 */
function requestedOperation(input: RequestConfirmationInput): { action: string; details: OperationDetails } | undefined {
  if (input.action === undefined) {
    if (input.details !== undefined) throw new ValidationFailedError([invalidField('details', 'validation.isOperationDetails')]);
    return undefined;
  }
  if (!isAction(input.action))
    throw new ValidationFailedError([invalidField('action', 'validation.matches', { constraint1: String(OPERATION_LIMITS.action) })]);
  const details = input.details ?? {};
  if (!isOperationDetails(details)) throw new ValidationFailedError([invalidField('details', 'validation.isOperationDetails')]);
  return { action: input.action, details };
}

/**
 * What a request is for, fixed now: the caller's word when it gives one (the
 * module's sign-in says `sign_in`); else enrolment for a factor that is not
 * confirmed yet — the re-sent code that `user-config/own/confirm` takes —
 * else step-up. Never a client's choice: the REST routes pass none.
 */
function purposeOf(input: RequestConfirmationInput, userConfig: UserConfig | undefined): ConfirmationPurpose {
  if (input.purpose !== undefined) return input.purpose;
  return userConfig && userConfig.status !== Status.Confirmed ? ConfirmationPurpose.Enrollment : ConfirmationPurpose.StepUp;
}
