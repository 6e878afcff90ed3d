import type { AuditTrail } from '../events/audit-trail.js';
import type { MethodRegistry } from '../registry/method-registry.js';
import type { ResolvedTwoFactorOptions } from '../two-factor.options.js';
import type { AnswerJudge } from './answer.judge.js';
import type { BackendBinder } from './backend-binder.js';
import type { ConfirmationRequester } from './confirmation.requester.js';
import type { ExpiryStore } from './expiry.store.js';
import type { ConfirmerEngine } from './confirmer.service.js';
import type { MethodConfigCache } from './method-config.cache.js';
import type { ProofService } from './proof.service.js';
import type { UserConfigStore } from './user-config.store.js';

/** The injected pieces every ConfirmerEngine shares, whatever its registry. */
export interface ConfirmerParts {
  readonly binder: BackendBinder;
  readonly requester: ConfirmationRequester;
  readonly judge: AnswerJudge;
  readonly proofs: ProofService;
  readonly userConfigs: UserConfigStore;
  readonly methodConfigs: MethodConfigCache;
  readonly expiry: ExpiryStore;
  readonly audit: AuditTrail;
  readonly options: ResolvedTwoFactorOptions;
  /** The confirmer of another registry, from the same factory. */
  confirmerFor(registry: MethodRegistry): ConfirmerEngine;
}
