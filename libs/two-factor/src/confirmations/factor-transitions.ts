import type { EntityManager } from 'typeorm';

/**
 * The two factor transitions the engine itself causes while it judges an answer:
 * the lock after too many consecutive failures, and the use a right answer records
 * (its time, and a backend's new stored form of the factor: a passkey's sign counter). The engine names them
 * here and the factor lifecycle (`factors/`) provides them, so the engine never
 * imports the lifecycle and the lifecycle stays the one writer of a factor.
 */
export abstract class FactorTransitions {
  /** Locks the factor inside the judging transaction (the lifecycle's `lock`). */
  abstract lockInside(manager: EntityManager, userConfigId: number): Promise<void>;
  /**
   * Records a right answer's use of the factor inside the confirming transaction (the lifecycle's
   * `record_use`) when the backend gave a new form of it: the form and `last_used_at`. A use without one
   * is written by the confirmation store's claim or flip statement.
   */
  abstract recordUseInside(manager: EntityManager, userConfigId: number, config: Record<string, unknown>): Promise<void>;
}
