import { Injectable } from '@nestjs/common';
import { FactorTransitions } from '../confirmations/factor-transitions.js';
import { factorTitle } from './factor-title.js';
import type { EntityManager } from 'typeorm';
import type { AuditFields } from '../confirmations/audit-events.js';
import type { Caller } from '../confirmations/confirmer.types.js';
import { ProofService } from '../confirmations/proof.service.js';
import { SqlRunner } from '../persistence/sql-runner.js';
import { DeviceStore } from '../persistence/device.store.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import { NotFoundError } from '../errors/request.errors.js';
import { TwoFactorRequiredError, type AvailableFactor } from '../errors/step-up.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { SignInStore } from '../persistence/sign-in.store.js';
import { needsProof, ruleOf, type FactorTransition } from './factor-lifecycle.js';
import { FactorStore } from '../persistence/factor.store.js';

/** The factor a transition changes, as the table's rules need it. */
export interface FactorSubject {
  id: number;
  /** Whether its current config was ever proven (`confirmed_at` set). */
  proven: boolean;
}

/** Who asks for a user transition, and the proof they bring (header X-Two-Factor-Confirmation). */
export interface TransitionRequest {
  userId: string;
  proofId?: string;
  caller?: Caller;
}

/** What a transition's own writes get: the open transaction and the factor's new challenge number (when its confirmations were voided). */
export interface TransitionStep {
  manager: EntityManager;
  challengeSeq: number | null;
  store: FactorStore;
  /** Whether a proof was spent in this transaction. */
  proved: boolean;
}

/**
 * The single owner of a user config's life: applies the transitions of
 * `FACTOR_TRANSITIONS` in one transaction each — proof first (from a factor
 * that was available before the change), then the change, then the
 * revocations — and emits the table's audit event after the commit. Every
 * caller goes through it: the user's routes, the admin services, method-config
 * deactivation and cascade deletion, the lock path of the answer judge.
 */
@Injectable()
export class FactorLifecycleService implements FactorTransitions {
  constructor(
    private readonly store: FactorStore,
    private readonly sql: SqlRunner,
    private readonly proofs: ProofService,
    private readonly registry: MethodRegistry,
    private readonly devices: DeviceStore,
    private readonly signIns: SignInStore,
    private readonly audit: AuditTrail,
  ) {}

  /** The user's factors that can prove a step-up: confirmed, active, of an active registered method. Ids and methods only. */
  async availableFactors(userId: string, manager?: EntityManager): Promise<AvailableFactor[]> {
    const rows = await this.store.availableFactors(userId, manager);
    // The display title, as every list shows it (the sign-in's, `two_factor_required`'s).
    return rows
      .filter((row) => this.registry.has(row.method))
      .map((row) => ({ id: row.id, method: row.method, title: factorTitle(row.title, row.methodConfigTitle, this.registry.get(row.method)!.verboseName) }));
  }

  /** Whether two-factor is on for the user: then the password alone is never a sign-in. */
  isEnabled(userId: string): Promise<boolean> {
    return this.store.isEnabled(userId);
  }

  /**
   * Applies user transitions (one request may combine several, e.g. re-key and
   * make default) to one factor, in one transaction: spends the proof the table
   * asks for, voids the factor's confirmations when a transition revokes, runs
   * `write`, then revokes devices and pending sign-ins. Emits `event` (the first
   * transition's event) after the commit.
   * @throws TwoFactorRequiredError listing the user's available factors when a needed proof is missing or not usable.
   */
  async applyForUser<T>(
    transitions: FactorTransition[],
    request: TransitionRequest,
    factor: FactorSubject | null,
    write: (step: TransitionStep) => Promise<T>,
    event: () => AuditFields,
  ): Promise<T> {
    const result = await this.sql.transaction(async (manager) => {
      const proved = await this.spendProofIfNeeded(manager, transitions, request, factor);
      const written = await this.applyInside(manager, transitions, request.userId, factor?.id ?? null, write, { proved });
      await this.settleMarker(manager, transitions, request.userId, proved);
      return written;
    });
    this.emit(transitions, event());
    return result;
  }

  /**
   * Inside an open transaction (the engine's, an admin service's): voids the
   * factor's confirmations when a transition revokes (`moveOn`: see
   * `FactorStore.voidConfirmations`), runs `write`,
   * then revokes the user's devices and pending sign-ins. No proof: only
   * transitions whose rule asks for none may come this way.
   */
  async applyInside<T>(
    manager: EntityManager,
    transitions: FactorTransition[],
    userId: string,
    factorId: number | null,
    write: (step: TransitionStep) => Promise<T>,
    options: { moveOn?: boolean; proved?: boolean } = {},
  ): Promise<T> {
    const revokes = transitions.some((transition) => ruleOf(transition).revokes);
    const challengeSeq = revokes && factorId !== null ? await this.store.voidConfirmations(manager, factorId, options.moveOn ?? true) : null;
    const result = await write({ manager, challengeSeq, store: this.store, proved: options.proved === true });
    if (revokes) await this.revokeSessionsOf(manager, userId);
    return result;
  }

  /** The engine's lock path: 100 consecutive failures lock the factor (in the judge's transaction). */
  async lockInside(manager: EntityManager, userConfigId: number): Promise<void> {
    const userId = await this.store.lock(manager, userConfigId, Date.now());
    if (userId === null) return;
    // Pending codes keep their number: they answer factor_locked (the status stops them) until the unlock moves it on.
    await this.applyInside(manager, ['lock'], userId, userConfigId, async () => undefined, { moveOn: false });
  }

  /** The engine's record of a use that gave the factor a new stored form (and when), written with the answer; a plain use is the confirmation store's. */
  async recordUseInside(manager: EntityManager, userConfigId: number, config: Record<string, unknown>): Promise<void> {
    // `record_use` revokes nothing: a sign-in with a passkey must not sign the user's other devices out.
    await this.store.recordUse(manager, userConfigId, config, Date.now());
  }

  /**
   * The user's factor proven by its confirmation (spent here with the factor's
   * others): `confirmed`, two-factor on. A config set before two-factor went on
   * (without a proof) needs one now from another available factor.
   * @throws TwoFactorRequiredError
   */
  async confirmInside(
    manager: EntityManager,
    item: Pick<UserConfig, 'id' | 'user_id' | 'config_set_at'>,
    request: Omit<TransitionRequest, 'userId'> = {},
  ): Promise<void> {
    const enabledAt = await this.store.enabledAt(item.user_id, manager);
    const others = (await this.availableFactors(item.user_id, manager)).filter((factor) => factor.id !== item.id);
    if (enabledAt !== null && others.length > 0 && (item.config_set_at?.getTime() ?? 0) < enabledAt) {
      const spent = request.proofId
        ? await this.proofs.use(this.registry, { ...request.caller, id: request.proofId, userId: item.user_id, requireFactor: true }, manager)
        : { used: false };
      if (!spent.used) throw new TwoFactorRequiredError(others);
    }
    await this.applyInside(manager, ['confirm'], item.user_id, item.id, async ({ store }) => {
      const now = Date.now();
      await store.markConfirmed(manager, item.id, now);
      await store.enable(manager, item.user_id, now);
    });
  }

  /**
   * Issue 22, `recovery_complete`, inside the transaction that confirms the factor enrolled in a pending
   * sign-in (a recovery or an access code opened it): that factor `confirmed`, every other factor of the
   * user deleted, two-factor on; devices and pending sign-ins revoked. The caller emits the table's event.
   * @returns how many old factors went.
   */
  async completeRecoveryInside(manager: EntityManager, userId: string, factorId: number): Promise<number> {
    return this.applyInside(manager, ['recovery_complete'], userId, factorId, async ({ store }) => {
      const now = Date.now();
      await store.markConfirmed(manager, factorId, now);
      const others = (await store.idsOfUser(manager, userId)).filter((id) => id !== factorId);
      for (const id of others) await store.remove(manager, userId, id);
      await store.enable(manager, userId, now);
      return others.length;
    });
  }

  /** The user deletes a factor; removing the last available one with a proof turns two-factor off. @throws NotFoundError, TwoFactorRequiredError */
  async removeForUser(request: TransitionRequest, factor: FactorSubject, event: () => AuditFields): Promise<void> {
    return this.applyForUser(
      ['remove'],
      request,
      factor,
      async ({ manager, store }) => {
        // Thrown inside: the transaction (and the proof it spent) rolls back.
        if (!(await store.remove(manager, request.userId, factor.id))) throw new NotFoundError('User config');
      },
      event,
    );
  }

  /** Admin transitions on one factor of `userId` (unlock, deactivate, remove): no proof, always revoking. */
  adminChange(transition: 'admin_unlock' | 'admin_deactivate' | 'admin_remove', userId: string, id: number, event: AuditFields): Promise<boolean> {
    return this.applyAdmin(
      transition,
      userId,
      id,
      async ({ manager, store }) => {
        const now = Date.now();
        if (transition === 'admin_unlock') {
          if (!(await store.unlock(manager, userId, id, now))) return false;
          await store.forgetFailures(manager, id);
          return true;
        }
        if (transition === 'admin_deactivate') return store.switchOff(manager, userId, id, now);
        return store.remove(manager, userId, id);
      },
      event,
    );
  }

  /** The admin removes two-factor for the user: every factor deleted, two-factor off, sessions of the second step revoked. */
  async removeTwoFactor(userId: string, event: AuditFields): Promise<number> {
    const removed = await this.sql.transaction(async (manager) => {
      const ids = await this.store.idsOfUser(manager, userId);
      for (const id of ids) await this.store.remove(manager, userId, id);
      await this.store.disable(manager, userId);
      await this.revokeSessionsOf(manager, userId);
      return ids.length;
    });
    this.emit(['admin_remove_two_factor'], { ...event, count: removed });
    return removed;
  }

  /**
   * Inside the method config's transaction: each of its factors is switched off
   * with it (`method_config_deactivate`) or deleted (`method_config_cascade_delete`).
   * The method config's own event is the caller's. @returns how many factors it had.
   */
  async methodConfigChangedInside(
    manager: EntityManager,
    transition: 'method_config_deactivate' | 'method_config_cascade_delete',
    methodConfigId: number,
  ): Promise<number> {
    const factors = await this.store.ofMethodConfig(manager, methodConfigId);
    for (const factor of factors) {
      await this.applyInside(manager, [transition], factor.userId, factor.id, async ({ store }) => {
        if (transition === 'method_config_cascade_delete') await store.remove(manager, factor.userId, factor.id);
      });
    }
    return factors.length;
  }

  private async applyAdmin(
    transition: FactorTransition,
    userId: string,
    id: number,
    write: (step: TransitionStep) => Promise<boolean>,
    event: AuditFields,
  ): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    // The write decides whether the factor is the user's; a miss rolls everything back (nothing revoked).
    const done = await this.sql.transactionUnlessNull(async (manager) => ((await this.applyInside(manager, [transition], userId, id, write)) ? true : null));
    if (done) this.emit([transition], event);
    return done === true;
  }

  /**
   * The two-factor marker after a user transition: on whenever the user has an
   * available factor; off only when the user, with a proof, removed or switched
   * off the last available one (an opt-out the user proved). Nothing else turns it off
   * but the admin's `removeTwoFactor`.
   */
  private async settleMarker(manager: EntityManager, transitions: FactorTransition[], userId: string, proved: boolean): Promise<void> {
    if ((await this.store.availableFactors(userId, manager)).length > 0) await this.store.enable(manager, userId, Date.now());
    else if (proved && transitions.some((transition) => transition === 'remove' || transition === 'deactivate')) await this.store.disable(manager, userId);
  }

  /** @returns whether a proof was spent. */
  private async spendProofIfNeeded(
    manager: EntityManager,
    transitions: FactorTransition[],
    request: TransitionRequest,
    factor: FactorSubject | null,
  ): Promise<boolean> {
    const available = await this.availableFactors(request.userId, manager);
    const protectedUser = available.length > 0 || (await this.store.isEnabled(request.userId, manager));
    const facts = { protectedUser, factorProven: factor?.proven ?? true };
    if (!transitions.some((transition) => needsProof(transition, facts))) return false;
    const spent = request.proofId
      ? await this.proofs.use(this.registry, { ...request.caller, id: request.proofId, userId: request.userId, requireFactor: true }, manager)
      : { used: false };
    if (!spent.used) throw new TwoFactorRequiredError(available);
    return true;
  }

  private async revokeSessionsOf(manager: EntityManager, userId: string): Promise<void> {
    await this.devices.removeAll(userId, manager);
    await this.signIns.removeAll(userId, manager);
  }

  private emit(transitions: FactorTransition[], fields: AuditFields): void {
    const name = ruleOf(transitions[0]).event;
    if (name) this.audit.emit(name, fields);
  }
}
