import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../events/audit-trail.js';
import type { MethodRegistry } from '../method-api/method-registry.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';
import { AnswerJudge } from './answer.judge.js';
import { BackendBinder } from './backend-binder.js';
import { ConfirmationRequester } from './confirmation.requester.js';
import { ExpiryStore } from '../persistence/expiry.store.js';
import type { ConfirmerParts } from './confirmer.engine.js';
import { ConfirmerEngine } from './confirmer.engine.js';
import { MethodConfigCache } from './method-config.cache.js';
import { ProofService } from './proof.service.js';
import { UserConfigStore } from '../persistence/user-config.store.js';

/**
 * Makes ConfirmerEngines: the module's (over the injected registry, see
 * two-factor.module.ts) and one per hand-built registry (`withRegistry`). Every
 * piece comes from the injector; only the registry differs.
 */
@Injectable()
export class ConfirmerFactory {
  private readonly parts: ConfirmerParts;

  constructor(
    binder: BackendBinder,
    requester: ConfirmationRequester,
    judge: AnswerJudge,
    proofs: ProofService,
    userConfigs: UserConfigStore,
    methodConfigs: MethodConfigCache,
    expiry: ExpiryStore,
    audit: AuditTrail,
    @InjectTwoFactorOptions() options: ResolvedTwoFactorOptions,
  ) {
    this.parts = { binder, requester, judge, proofs, userConfigs, methodConfigs, expiry, audit, options, confirmerFor: (registry) => this.create(registry) };
  }

  create(registry: MethodRegistry): ConfirmerEngine {
    return new ConfirmerEngine(registry, this.parts);
  }
}
