import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Status } from '../entities/status.js';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { confirmationEvent } from './audit-events.js';
import { isCheckable, isProof } from '../rules/confirmation.rules.js';
import { ConfirmationStore } from '../persistence/confirmation.store.js';
import type { Caller, CheckResult, UseOptions, UseResult } from './confirmer.types.js';
import { isConfirmationId, readVisible } from './visible-confirmation.js';

/** `check` and `use`: whether a confirmation is a usable proof, and spending it once. */
@Injectable()
export class ProofService {
  constructor(
    private readonly store: ConfirmationStore,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Whether the confirmation is a step-up proof, confirmed, unexpired, and its method config and
   * user config are still active (and confirmed) — what `use` asks in SQL. A sign-in
   * confirmation is not shown here at all (see `isCheckable`). Statements: 1.
   */
  async check(registry: MethodRegistry, input: { id: string } & Caller): Promise<CheckResult> {
    const joined = await readVisible(this.store, input.id, input.userId ?? null).catch((error: unknown) => {
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
   * Statements: 1.
   */
  async use(registry: MethodRegistry, input: { id: string } & Caller & UseOptions, manager?: EntityManager): Promise<UseResult> {
    if (!isConfirmationId(input.id)) return { used: false, confirmation: null };
    const confirmation = await this.store.consume(input.id, input.userId ?? null, registry.keys(), input.requireFactor === true, manager);
    if (!confirmation) return { used: false, confirmation: null };
    this.audit.emit(TwoFactorEvent.ConfirmationUsed, confirmationEvent(confirmation, undefined, input.clientIp));
    return { used: true, confirmation };
  }
}
