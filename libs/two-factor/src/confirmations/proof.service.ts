import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Status } from '../entities/status.js';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { confirmationEvent } from './audit-events.js';
import { isCheckable, isProof } from '../rules/confirmation.rules.js';
import { ConfirmationStore, type ProofTerms } from '../persistence/confirmation.store.js';
import type { Caller, CheckResult, UseOptions, UseResult } from './confirmer.types.js';
import { FactorAmrResolver, type FactorAmr } from './factor-amr.js';
import { confirmedSince, isConfirmedSince, matchesOperation, operationDigests, type ProofPolicy } from '../rules/step-up-policy.js';
import { SecretBox } from '../secrets/secret-box.js';
import { isConfirmationId, readVisibleForCheck } from './visible-confirmation.js';

/** `check` and `use`: whether a confirmation is a usable proof, and spending it once. */
@Injectable()
export class ProofService {
  constructor(
    private readonly store: ConfirmationStore,
    private readonly audit: AuditTrail,
    private readonly secrets: SecretBox,
    private readonly amr: FactorAmrResolver,
  ) {}

  /**
   * Whether the confirmation is a step-up proof, confirmed, unexpired, and its method config and
   * user config are still active (and confirmed) — what `use` asks in SQL. A sign-in
   * confirmation is not shown here at all (see `isCheckable`). Statements: 1.
   */
  async check(registry: MethodRegistry, input: { id: string } & Caller): Promise<CheckResult> {
    const joined = await readVisibleForCheck(this.store, input.id, input.userId ?? null).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!joined || !isCheckable(joined.confirmation)) return { available: false, confirmation: null };
    const { confirmation, methodConfig, userConfig } = joined;
    const available =
      isProof(confirmation, Date.now()) &&
      methodConfig.is_active &&
      registry.has(methodConfig.method) &&
      (userConfig === null || (userConfig.is_active && userConfig.status === Status.Confirmed));
    return { available, confirmation };
  }

  /**
   * Consumes an available confirmation: deletes it and returns it. However many
   * callers race, at most one gets `used: true` — the DELETE's returned row decides.
   * With `policy`, what it demands (allowed methods, maximum age, the operation) is part of the
   * same statement: a proof that fails it is not spent. Without one, only a plain proof (one
   * requested without an action) is spent. Statements: 1 (+1 for a WebAuthn proof's `amr`, cached).
   */
  async use(registry: MethodRegistry, input: { id: string } & Caller & UseOptions, manager?: EntityManager): Promise<SpentProofResult> {
    if (!isConfirmationId(input.id)) return { used: false, confirmation: null };
    const policy = input.policy ?? {};
    const spent = await this.store.consume(
      input.id,
      input.userId ?? null,
      allowedMethods(registry, policy),
      input.requireFactor === true,
      manager,
      this.termsOf(policy, Date.now()),
    );
    if (!spent) return { used: false, confirmation: null };
    const { confirmation, method } = spent;
    this.audit.emit(TwoFactorEvent.ConfirmationUsed, confirmationEvent(confirmation, undefined, input.clientIp));
    return { used: true, confirmation, method, ...(await this.amr.of(registry, method, confirmation.method_config_id)) };
  }

  /**
   * Why `use` with `policy` spent nothing, read after the statement decided (one SELECT, nothing
   * changes): `not_a_proof` when it is no usable proof of this caller at all (missing, someone
   * else's, unconfirmed, expired, spent, its factor gone …), else the first term it fails —
   * `factor_not_allowed`, `proof_action_mismatch`, `proof_too_old` — or `not_a_proof` when it
   * meets them all now (it was spent or changed meanwhile).
   */
  async refusal(registry: MethodRegistry, input: { id: string } & Caller & UseOptions): Promise<ProofRefusal> {
    if (!isConfirmationId(input.id)) return 'not_a_proof';
    const joined = await this.store.readJoined(input.id);
    const userId = input.userId ?? null;
    if (!joined) return 'not_a_proof';
    const { confirmation, methodConfig, userConfig } = joined;
    const now = Date.now();
    const usable =
      isProof(confirmation, now) &&
      (confirmation.user_id === null || confirmation.user_id === userId) &&
      methodConfig.is_active &&
      registry.has(methodConfig.method) &&
      (userConfig === null || (userConfig.is_active && userConfig.status === Status.Confirmed)) &&
      (input.requireFactor !== true || (confirmation.user_id === userId && userConfig !== null));
    if (!usable) return 'not_a_proof';
    const policy = input.policy ?? {};
    if (!allowedMethods(registry, policy).includes(methodConfig.method)) return 'factor_not_allowed';
    const terms = this.termsOf(policy, now);
    if (!matchesOperation(confirmation, terms.action, terms.digests)) return 'proof_action_mismatch';
    if (terms.confirmedSince !== undefined && !isConfirmedSince(confirmation, terms.confirmedSince)) return 'proof_too_old';
    return 'not_a_proof';
  }

  /** The terms `consume` matches for `policy` at `now`: the oldest confirmation time, and the operation's digests. */
  private termsOf(policy: ProofPolicy, now: number): ProofTerms {
    const terms: ProofTerms =
      policy.action === undefined
        ? { action: null, digests: [] }
        : { action: policy.action, digests: operationDigests(this.secrets, policy.action, policy.details ?? {}) };
    if (policy.maxAgeSeconds !== undefined) terms.confirmedSince = confirmedSince(policy.maxAgeSeconds, now);
    return terms;
  }
}

/** The registered methods `policy` lets pass: its `methods` (all when absent), only phishing-resistant ones with `phishingResistant`. */
export function allowedMethods(registry: MethodRegistry, policy: ProofPolicy): string[] {
  return registry
    .keys()
    .filter(
      (key) =>
        (policy.methods === undefined || policy.methods.includes(key)) && (policy.phishingResistant !== true || registry.get(key)?.phishingResistant === true),
    );
}

/** Why a proof was not spent under a policy (`ProofService.refusal`). */
export type ProofRefusal = 'not_a_proof' | 'factor_not_allowed' | 'proof_action_mismatch' | 'proof_too_old';

/** `use`'s result, with what the spent proof says about the factor (its method and RFC 8176 values). */
export type SpentProofResult = UseResult & Partial<FactorAmr> & { method?: string };
