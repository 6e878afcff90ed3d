import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import {
  AlreadyConfirmedError,
  ConfirmationExpiredError,
  ConfirmationFailedError,
  ConfirmationLockedError,
  WrongConfigError,
} from '../errors/confirmation.errors.js';
import { EmptyConfigError, NotFoundError, RateLimitedError } from '../errors/request.errors.js';
import { FactorLockedError } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodDescriptor } from '../registry/method-descriptor.js';
import { MethodRegistry } from '../registry/method-registry.js';
import { SecretBox } from '../secrets/secret-box.js';
import { InjectTwoFactorOptions } from '../two-factor.constants.js';
import { MAX_SENT_CODE_TTL_SECONDS, type ResolvedTwoFactorOptions } from '../two-factor.options.js';
import type { BackendContext, Challenge, SingleUseClaim, TwoFactorBackend, UserConfigChange, Verdict } from './backend.js';
import { BackendResolver } from './backend-resolver.js';
import { factorKey, retryAfterSeconds, windowParams } from './failure-policy.js';
import { MethodConfigCache } from './method-config.cache.js';
import { RateLimiter } from './rate-limiter.js';
import { ConfirmationStore, type JoinedRow } from './confirmation.store.js';
import { toBool, toConfirmation, toJson, toNumber } from './rows.js';
import { validateDto } from './validate-dto.js';

/** Who is asking, as every operation needs to know. */
export interface Caller {
  /** The signed-in user, or null/undefined when anonymous. */
  userId?: string | null;
  clientIp?: string;
  /** Passed to the backend as `ctx.extra`. */
  extra?: Record<string, unknown>;
}

export interface RequestConfirmationInput extends Caller {
  methodConfigId?: number;
  userConfigId?: number;
  /** What the client sent along for the backend (e.g. an address to verify). */
  data?: Record<string, unknown>;
}

export interface ConfirmInput extends Caller {
  id: string;
  /** What the user typed, e.g. `{ code: '123456' }`. */
  data: Record<string, unknown>;
  /** When set, the confirmation must have been issued for this user config. */
  userConfigId?: number;
}

/** Options of `use`. */
export interface UseOptions {
  /**
   * Accept only a confirmation issued for one of the caller's own available user
   * configs — a real second factor — not a method-level one. Step-up checks use this.
   */
  requireFactor?: boolean;
}

export interface CheckResult {
  available: boolean;
  /** Null when there is no such confirmation, or the caller may not see it. */
  confirmation: ConfirmationState | null;
}

export interface UseResult {
  used: boolean;
  confirmation: ConfirmationState | null;
}

/** A backend together with the context it works in. */
export interface BoundBackend {
  descriptor: MethodDescriptor;
  backend: TwoFactorBackend;
  context: BackendContext;
}

export interface MakeBackendInput extends Caller {
  methodConfig?: MethodConfig;
  userConfig?: UserConfig;
}

/** Work to run inside the transaction that confirms, e.g. marking an enrolment confirmed. */
export type OnConfirmed = (manager: EntityManager, confirmation: ConfirmationState) => Promise<void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The seed's confirmer: registry look-ups, backends, and the life of a
 * confirmation (request → confirm → check → use). Every state change is one
 * conditional statement whose returned rows decide, so racing callers cannot
 * both win; see README "SQL per operation" for the statement counts.
 */
@Injectable()
export class ConfirmerService {
  private readonly validatedGlobalConfigs = new Map<string, object>();
  private readonly logger = new Logger('TwoFactor');

  constructor(
    readonly registry: MethodRegistry,
    private readonly store: ConfirmationStore,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    readonly secrets: SecretBox,
    private readonly backends: BackendResolver,
    private readonly methodConfigs: MethodConfigCache,
    readonly limits: RateLimiter,
    private readonly audit: AuditTrail,
  ) {}

  /** A confirmer that offers the methods of another, hand-built registry, sharing everything else. */
  withRegistry(registry: MethodRegistry): ConfirmerService {
    return new ConfirmerService(registry, this.store, this.options, this.secrets, this.backends, this.methodConfigs, this.limits, this.audit);
  }

  /** The registered method keys. */
  getMethods(): string[] {
    return this.registry.keys();
  }

  /** Active method configs of registered methods, by id. */
  async getMethodConfigs(): Promise<MethodConfig[]> {
    return (await this.methodConfigs.active()).filter((config) => this.registry.has(config.method) && this.hasValidGlobalConfig(config));
  }

  private hasValidGlobalConfig(config: MethodConfig): boolean {
    try {
      this.globalConfigOf(config, this.registry.get(config.method)!);
      return true;
    } catch {
      return false;
    }
  }

  /** The user's configs of active, registered methods (any status), with `method_config` loaded. */
  async getUserConfigs(userId: string): Promise<UserConfig[]> {
    const sql = this.store.sql;
    const configs = await sql.exclusive(() =>
      sql.dataSource.getRepository<UserConfig>('UserConfig').find({
        where: { user_id: userId, method_config: { is_active: true } },
        relations: { method_config: true },
        order: { id: 'ASC' },
      }),
    );
    return configs.filter((config) => this.registry.has(config.method_config!.method));
  }

  /**
   * The backend of a method config (taken from `userConfig.method_config` when only
   * the user config is given), with its global config validated into the method's DTO.
   * @returns null when the method is not registered or its config is invalid, unless `shouldRaise`.
   * @throws NotFoundError when `shouldRaise` and no backend can be made.
   */
  async makeBackend(input: MakeBackendInput, shouldRaise = true): Promise<BoundBackend | null> {
    const methodConfig = input.methodConfig ?? input.userConfig?.method_config;
    const descriptor = methodConfig && this.registry.get(methodConfig.method);
    if (!methodConfig || !descriptor) {
      if (shouldRaise) throw new NotFoundError('Method config');
      return null;
    }
    let globalConfig: object;
    try {
      globalConfig = this.globalConfigOf(methodConfig, descriptor);
    } catch (error) {
      // An admin's mistake, not the client's: the method config is simply not offered, and the log says why.
      this.logger.warn(`Method config ${methodConfig.id} ("${descriptor.key}") has an invalid global config and is not offered: ${String((error as Error).message)}`);
      if (shouldRaise) throw new NotFoundError('Method config');
      return null;
    }
    const bound: BoundBackend = {
      descriptor,
      backend: await this.backends.resolve(descriptor.backend),
      context: {
        methodConfig: { id: methodConfig.id, method: methodConfig.method, title: methodConfig.title, config: globalConfig },
        userId: input.userId ?? null,
        secrets: this.secrets,
        limits: this.limits,
        clientIp: input.clientIp,
        extra: input.extra,
      },
    };
    return input.userConfig ? this.rebind(bound, input.userConfig) : bound;
  }

  /**
   * The method config's global config validated into its DTO. Validation runs
   * once per distinct config text (it is on every confirm's path); the result is
   * frozen, since backends share it.
   */
  private globalConfigOf(methodConfig: MethodConfig, descriptor: MethodDescriptor): object {
    const key = `${descriptor.key}:${methodConfig.id}:${JSON.stringify(methodConfig.config ?? {})}`;
    let validated = this.validatedGlobalConfigs.get(key);
    if (!validated) {
      validated = Object.freeze(validateDto(descriptor.globalConfigDto, methodConfig.config ?? {}, 'config'));
      if (this.validatedGlobalConfigs.size >= 1000) this.validatedGlobalConfigs.clear();
      this.validatedGlobalConfigs.set(key, validated);
    }
    return validated;
  }

  /** The same backend and method config, now working on `userConfig` (as it is in memory). */
  rebind(bound: BoundBackend, userConfig: UserConfig): BoundBackend {
    const userConfigView = {
      id: userConfig.id,
      userId: userConfig.user_id,
      status: userConfig.status,
      config: userConfig.config,
      replayGuard: userConfig.replay_guard,
    };
    return { ...bound, context: { ...bound.context, userConfig: userConfigView } };
  }

  /**
   * Validates `input` against the method's user-config DTO and asks the backend
   * what to store and whether the change must be confirmed. Like the seed, it
   * writes the new config onto `instance` and does not save it.
   */
  async changeUserConfig(instance: UserConfig, input: unknown, bound: BoundBackend): Promise<UserConfigChange<Record<string, unknown>>> {
    const submitted = validateDto(bound.descriptor.userConfigDto, input, 'config');
    const current = instance.id ? instance.config : undefined;
    const change = await bound.backend.changeUserConfig(submitted, current, bound.context);
    instance.config = change.config;
    if (change.resetReplayGuard) instance.replay_guard = 0;
    return change;
  }

  /**
   * Issues a confirmation for a user config (the caller's own) or a method config.
   * A user-config request bumps the factor's `challenge_seq`, which voids every
   * older pending code of that factor. Statements: 2 (method configs are cached).
   * @throws EmptyConfigError when neither id is given; NotFoundError for an unknown,
   * inactive or someone else's config; WrongConfigError when the two ids disagree.
   */
  async requestConfirmation(input: RequestConfirmationInput): Promise<{ confirmation: ConfirmationState; challenge: Challenge }> {
    if (input.userConfigId === undefined && input.methodConfigId === undefined) throw new EmptyConfigError();
    const userId = input.userId ?? null;
    const now = Date.now();
    let userConfig: UserConfig | undefined;
    let seq: number | null = null;
    let methodConfigId = input.methodConfigId;
    if (input.userConfigId !== undefined) {
      const bumped = await this.bumpChallenge(input.userConfigId, userId);
      userConfig = bumped.userConfig;
      if (userConfig.status === Status.Locked) throw new FactorLockedError();
      this.assertNoCooldown(bumped.failures, bumped.lastFailedAt, now);
      if (methodConfigId !== undefined && methodConfigId !== userConfig.method_config_id) throw new WrongConfigError();
      methodConfigId = userConfig.method_config_id;
      seq = userConfig.challenge_seq;
    }
    const methodConfig = await this.methodConfigs.find(methodConfigId!);
    if (!methodConfig || !this.registry.has(methodConfig.method)) throw new NotFoundError('Method config');
    if (userId === null) {
      // Anonymous requests insert rows (and may send messages): capped per client address.
      await this.limits.hit(`anonymous-requests:${input.clientIp ?? 'unknown'}`, this.options.anonymousRequestsPerIpPerHour, 3600);
    } else if (!userConfig) {
      const counter = await this.store.failures(factorKey(null, methodConfig.id, userId)!);
      if (counter) this.assertNoCooldown(counter.count, counter.lastFailedAt, now);
    }
    const bound = (await this.makeBackend({ ...input, methodConfig, userConfig }))!;
    const issued = await this.issue(bound, seq, input.data);
    await this.store.insert(issued.confirmation);
    this.audit.emit(TwoFactorEvent.ConfirmationRequested, this.eventOf(issued.confirmation, methodConfig.method, input.clientIp));
    await this.deliver(issued);
    if (issued.challenge.deliver) this.audit.emit(TwoFactorEvent.ConfirmationSent, this.eventOf(issued.confirmation, methodConfig.method, input.clientIp));
    return issued;
  }

  /**
   * Judges the user's answer. On success the confirmation becomes `confirmed`
   * (a one-time proof valid for `proofTtlSeconds`); on a wrong code its attempt
   * counter grows, and at `maxAttempts` it locks. Statements: 2 on success.
   * @throws NotFoundError, WrongConfigError, AlreadyConfirmedError, ConfirmationLockedError,
   * ConfirmationExpiredError, ConfirmationFailedError (with the attempts left).
   */
  async confirm(input: ConfirmInput, onConfirmed?: OnConfirmed): Promise<ConfirmationState> {
    const userId = input.userId ?? null;
    const row = await this.readJoined(input.id, userId);
    if (input.userConfigId !== undefined && toNumber(row.user_config_id) !== input.userConfigId) throw new WrongConfigError();
    this.assertConfirmable(row, Date.now());
    const userConfig = row.uc_id === null ? undefined : this.userConfigOf(row);
    const methodConfig = this.methodConfigOf(row);
    const bound = await this.makeBackend({ ...input, methodConfig, userConfig });
    const verdict = normalize(await bound!.backend.confirm(toJson(row.state), input.data ?? {}, bound!.context));
    const event = { userId, clientIp: input.clientIp, method: row.mc_method, methodConfigId: methodConfig.id, userConfigId: userConfig?.id ?? null, confirmationId: input.id };
    // The factor's failure window as read: judging this answer claims it, so parallel guesses get one judgement per window.
    const window = windowParams({ key: row.f_key, count: toNumber(row.f_count ?? 0), lastFailedAt: toNumber(row.f_last_failed_at ?? 0) }, this.options);
    if (verdict.ok) {
      const resetKey = toNumber(row.f_count ?? 0) > 0 ? row.f_key : null;
      const confirmed = await this.markConfirmed(input.id, verdict.claim, toNumber(row.uc_id), resetKey, window, onConfirmed);
      if (confirmed) {
        this.audit.emit(TwoFactorEvent.ConfirmationConfirmed, event);
        return confirmed;
      }
      if (!verdict.claim) return this.explainRefusal(input.id, userId);
      // The code was right but its time step or slot was already spent: a replay counts as a wrong code.
    }
    return this.recordFailure(input.id, userId, row, window, event);
  }

  /**
   * Whether the confirmation is confirmed, unexpired, and its method config and
   * user config are still active (and confirmed). Statements: 1.
   */
  async check(input: { id: string } & Caller): Promise<CheckResult> {
    const row = await this.readJoined(input.id, input.userId ?? null).catch((error) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!row) return { available: false, confirmation: null };
    const available =
      row.status === Status.Confirmed &&
      toNumber(row.expires_at) > Date.now() &&
      toBool(row.mc_is_active) &&
      this.registry.has(row.mc_method) &&
      (row.uc_id === null || (toBool(row.uc_is_active) && row.uc_status === Status.Confirmed));
    return { available, confirmation: toConfirmation(row) };
  }

  /**
   * Consumes an available confirmation: deletes it and returns it. However many
   * callers race, at most one gets `used: true` — the DELETE's returned row decides.
   * Statements: 1.
   */
  async use(input: { id: string } & Caller & UseOptions, manager?: EntityManager): Promise<UseResult> {
    if (typeof input.id !== 'string' || !UUID.test(input.id)) return { used: false, confirmation: null };
    const methods = this.registry.keys();
    const userId = input.userId ?? null;
    const row = await this.store.consume(input.id, userId, methods, input.requireFactor === true, manager);
    if (!row) return { used: false, confirmation: null };
    const confirmation = toConfirmation(row);
    this.audit.emit(TwoFactorEvent.ConfirmationUsed, this.eventOf(confirmation, undefined, input.clientIp));
    return { used: true, confirmation };
  }

  /**
   * Deletes expired confirmations (locked ones included: they keep their expiry)
   * and finished rate windows, `purgeBatchSize` rows per statement so that no
   * statement holds its locks for long. Returns how many confirmations went.
   */
  async purgeExpired(now = Date.now()): Promise<number> {
    const total = await this.store.purge('two_factor_confirmation', now, this.options.purgeBatchSize);
    await this.store.purge('two_factor_rate_counter', now, this.options.purgeBatchSize);
    this.audit.emit(TwoFactorEvent.ConfirmationsPurged, { userId: null, count: total });
    return total;
  }

  /**
   * Asks the backend for a challenge for `bound`'s factor; nothing is written yet.
   * Exposed for `UserConfigService`, which stores it in the same transaction as the user config.
   */
  async issue(
    bound: BoundBackend,
    seq: number | null,
    data?: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<{ confirmation: ConfirmationState; challenge: Challenge }> {
    const id = randomUUID();
    // Inside a transaction (on SQLite: the one connection's turn) the limits must count within it, or they would wait for it.
    const limits = manager ? this.limits.within(manager) : this.limits;
    const challenge = await bound.backend.requestConfirmation(data, { ...bound.context, limits, confirmationId: id });
    const userId = bound.context.userId;
    if (userId !== null && (challenge.sent || challenge.deliver)) {
      // Checked before the row exists, so a refused send leaves nothing behind and sends nothing.
      await limits.hit(`sends:${userId}`, this.options.sendsPerUserPerHour, 3600);
    }
    const now = Date.now();
    let ttl = Math.min(this.options.confirmationTtlSeconds, challenge.ttlSeconds ?? Infinity);
    if (challenge.sent) ttl = Math.min(ttl, MAX_SENT_CODE_TTL_SECONDS);
    const confirmation = Object.assign(new ConfirmationState(), {
      id,
      method_config_id: bound.context.methodConfig.id,
      user_config_id: bound.context.userConfig?.id ?? null,
      challenge_seq: seq,
      user_id: bound.context.userId,
      status: Status.InProcess,
      state: challenge.state,
      attempts: 0,
      max_attempts: this.options.maxAttempts,
      expires_at: new Date(now + ttl * 1000),
      created_at: new Date(now),
      updated_at: new Date(now),
    });
    return { confirmation, challenge };
  }

  /** Inserts an issued confirmation (inside `manager`'s transaction when given). */
  insert(confirmation: ConfirmationState, manager?: EntityManager): Promise<void> {
    return this.store.insert(confirmation, manager);
  }

  /** Runs the challenge's delivery after its row is stored; if sending fails, the row goes too. */
  async deliver(issued: { confirmation: ConfirmationState; challenge: Challenge }): Promise<void> {
    if (!issued.challenge.deliver) return;
    try {
      await issued.challenge.deliver();
    } catch (error) {
      await this.store.remove(issued.confirmation.id);
      throw error;
    }
  }

  /**
   * Reads the user's own active user config, with its failure count, and starts
   * a new challenge number for it — all in one statement.
   */
  private async bumpChallenge(userConfigId: number, userId: string | null): Promise<{ userConfig: UserConfig; failures: number; lastFailedAt: number }> {
    const row = userId !== null && Number.isSafeInteger(userConfigId) ? await this.store.bumpChallenge(userConfigId, userId) : undefined;
    if (!row) throw new NotFoundError('User config');
    return { userConfig: this.userConfigOf(row, ''), failures: toNumber(row.f_count ?? 0), lastFailedAt: toNumber(row.f_last_failed_at ?? 0) };
  }

  private assertNoCooldown(failures: number, lastFailedAt: number, now: number): void {
    const wait = retryAfterSeconds(failures, lastFailedAt, now, this.options);
    if (wait > 0) throw new RateLimitedError(wait, 'Too many wrong codes on this factor: wait before trying again.');
  }

  /** One SELECT: the confirmation with what decides its fate. Someone else's is "not found". */
  private async readJoined(id: string, userId: string | null): Promise<JoinedRow> {
    const row = typeof id === 'string' && UUID.test(id) ? await this.store.readJoined(id) : undefined;
    if (!row || (row.user_id !== null && row.user_id !== userId)) throw new NotFoundError('Confirmation');
    return row;
  }

  private assertConfirmable(row: JoinedRow, now: number): void {
    if (!toBool(row.mc_is_active) || !this.registry.has(row.mc_method)) throw new NotFoundError('Confirmation');
    if (row.status === Status.Confirmed) throw new AlreadyConfirmedError();
    if (row.status === Status.Locked || toNumber(row.attempts) >= toNumber(row.max_attempts)) throw new ConfirmationLockedError();
    if (toNumber(row.expires_at) <= now) throw new ConfirmationExpiredError();
    if (row.uc_id !== null && toNumber(row.challenge_seq) !== toNumber(row.uc_challenge_seq)) {
      throw new ConfirmationExpiredError('A newer confirmation replaced this one: use the latest code.');
    }
    if (row.uc_status === Status.Locked) throw new FactorLockedError();
    if (row.f_key !== null) this.assertNoCooldown(toNumber(row.f_count), toNumber(row.f_last_failed_at), now);
  }

  /**
   * Flips a pending confirmation to confirmed — only if it is still pending,
   * unlocked, unexpired and the factor's newest — and applies the backend's
   * single-use claim in the same transaction. Returns null when it lost a race.
   */
  private async markConfirmed(
    id: string,
    claim: SingleUseClaim | undefined,
    userConfigId: number,
    resetKey: string | null,
    window: number[],
    onConfirmed?: OnConfirmed,
  ): Promise<ConfirmationState | null> {
    const now = Date.now();
    const flip = (manager?: EntityManager) => this.store.flipToConfirmed(id, now, now + this.options.proofTtlSeconds * 1000, manager);
    if (!claim && !onConfirmed && !resetKey) {
      const row = await flip();
      return row ? toConfirmation(row) : null;
    }
    return this.store.sql.transactionUnlessNull(async (manager) => {
      if (claim && !(await this.store.claim(manager, userConfigId, claim))) return null;
      const row = await flip(manager);
      if (!row) return null;
      const confirmation = toConfirmation(row);
      if (resetKey && !(await this.store.resetFailures(resetKey, window, manager))) return null;
      await onConfirmed?.(manager, confirmation);
      return confirmation;
    });
  }

  /** Counts a wrong answer on the confirmation and its factor, then says how many attempts are left. */
  private async recordFailure(id: string, userId: string | null, row: JoinedRow, window: number[], event: Record<string, unknown>): Promise<never> {
    const userConfigId = row.uc_id === null ? null : toNumber(row.uc_id);
    const key = factorKey(userConfigId, toNumber(row.method_config_id), row.user_id ?? null);
    const judged = await this.store.recordWrongAnswer(id, key, window, userConfigId, this.options.maxConsecutiveFailures);
    if (!judged.judged) return this.explainRefusal(id, userId, judged.reason);
    this.audit.emit(TwoFactorEvent.ConfirmationFailed, { ...event, attemptsLeft: judged.attemptsLeft, consecutiveFailures: judged.failures } as never);
    if (judged.attemptsLeft === 0) this.audit.emit(TwoFactorEvent.ConfirmationLocked, event as never);
    if (row.uc_id !== null && judged.failures === this.options.maxConsecutiveFailures) this.audit.emit(TwoFactorEvent.UserConfigDisabled, event as never);
    throw new ConfirmationFailedError(judged.attemptsLeft);
  }

  /** After losing a race, re-reads the confirmation to say why (locked, expired, already confirmed, cooling down …). */
  private async explainRefusal(id: string, userId: string | null, reason: 'closed' | 'window-taken' = 'closed'): Promise<never> {
    const row = await this.readJoined(id, userId);
    this.assertConfirmable(row, Date.now());
    // Another answer on the factor was judged at the same moment (and succeeded, or no cooldown followed): try again.
    if (reason === 'window-taken') throw new RateLimitedError(1, 'Another answer on this factor was judged at the same moment: try again.');
    throw new ConfirmationLockedError();
  }

  private eventOf(confirmation: ConfirmationState, method: string | undefined, clientIp: string | undefined) {
    return {
      userId: confirmation.user_id,
      clientIp,
      method,
      methodConfigId: confirmation.method_config_id,
      userConfigId: confirmation.user_config_id,
      confirmationId: confirmation.id,
    };
  }

  private methodConfigOf(row: JoinedRow): MethodConfig {
    return {
      id: toNumber(row.method_config_id),
      method: row.mc_method,
      title: row.mc_title,
      config: toJson(row.mc_config),
      is_active: toBool(row.mc_is_active),
    } as MethodConfig;
  }

  private userConfigOf(row: Record<string, any>, prefix = 'uc_'): UserConfig {
    const column = (name: string) => row[`${prefix}${name}`];
    return {
      id: toNumber(column('id')),
      method_config_id: toNumber(row.method_config_id),
      user_id: column('user_id'),
      status: column('status'),
      config: toJson(column('config')),
      is_active: toBool(column('is_active')),
      replay_guard: toNumber(column('replay_guard')),
      challenge_seq: toNumber(column('challenge_seq')),
    } as UserConfig;
  }
}

function normalize(verdict: Verdict): { ok: boolean; claim?: SingleUseClaim } {
  return typeof verdict === 'boolean' ? { ok: verdict } : { ok: verdict.ok === true, claim: verdict.claim };
}
