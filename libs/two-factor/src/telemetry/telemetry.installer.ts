import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { ChallengeIssuer } from '../confirmations/challenge.issuer.js';
import type { BoundBackend, Issued } from '../confirmations/confirmer.types.js';
import { RateLimiter } from '../confirmations/rate-limiter.js';
import { SqlRunner } from '../persistence/sql-runner.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { MethodRegistry } from '../method-api/method-registry.js';
import { recordAuditEvent } from './audit-metrics.js';
import { isCooldown, outcomeOf } from './error-outcome.js';
import { INSTRUMENTED_OPERATIONS } from './instrumented-operations.js';
import { OperationTracer, type OperationEnd } from './operation-tracer.js';
import { loadOpenTelemetryApi, TELEMETRY_SCOPE } from './otel-api.js';
import { statementSpan } from './statement-span.js';
import { meterRecords, tracingLiveness, type Liveness } from './telemetry-liveness.js';
import { TwoFactorMetrics } from './two-factor-metrics.js';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Limit keys the core itself uses besides method keys (`sends:<user>`, `anonymous-requests:<ip>`). */
const CORE_LIMITS = ['sends', 'anonymous-requests'];

/**
 * Instruments the module at start-up when the host has `@opentelemetry/api` (an optional
 * peer): it wraps, on this module's own provider instances, every operation of
 * INSTRUMENTED_OPERATIONS (span + duration), the audit trail's `emit` (the counters), the
 * SqlRunner's statements (child spans) and the rate limiter's refusals. Without the package
 * nothing is wrapped and nothing runs. With the API but no SDK the wrappers call straight
 * through (telemetry-liveness.ts): the counters are not installed (the no-op meter stays one),
 * and spans and durations start with the first call after an SDK registers a TracerProvider.
 * The services themselves know nothing of telemetry.
 */
@Injectable()
export class TelemetryInstaller implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    const api = await loadOpenTelemetryApi();
    if (!api) return;
    const version = '0';
    const meter = api.metrics.getMeter(TELEMETRY_SCOPE, version);
    const metrics = new TwoFactorMetrics(meter);
    const tracer = new OperationTracer(api, api.trace.getTracer(TELEMETRY_SCOPE, version), metrics);
    const confirmedMethods = new Map<string, string>();
    // With the API but no SDK (a host whose dependencies bring the API), every call would pay for no-op
    // spans and samples: the wrappers pass straight to the original until something can record.
    const tracing = tracingLiveness(api);
    const recording = meterRecords(api, meter);
    const operationsLive = recording ? () => true : tracing;
    if (recording) {
      // Counters only: with the no-op meter, which never becomes a real one, they would count nothing.
      this.instrumentAudit(metrics, confirmedMethods);
      this.instrumentLimits(metrics);
      this.instrumentIssuer(metrics);
    }
    this.instrumentStatements(tracer, tracing);
    for (const { provider, operations } of INSTRUMENTED_OPERATIONS) {
      const instance = this.find(provider);
      if (!instance) continue; // e.g. the admin services when the `admin` option is off
      for (const [method, operation] of Object.entries(operations) as [string, string][]) {
        wrap(
          instance,
          method,
          (original) =>
            (...args) =>
              operationsLive() ? tracer.operation(operation, () => original(...args), outcomeMetrics(operation, metrics, confirmedMethods)) : original(...args),
        );
      }
    }
  }

  private instrumentAudit(metrics: TwoFactorMetrics, confirmedMethods: Map<string, string>): void {
    const audit = this.find(AuditTrail);
    if (!audit) return;
    const emit = audit.emit.bind(audit);
    audit.emit = (name, event) => {
      // The method of a right answer, for the judge's time-to-confirm (read back as the judge returns).
      if (name === TwoFactorEvent.ConfirmationConfirmed && event.confirmationId && event.method) confirmedMethods.set(event.confirmationId, event.method);
      recordAuditEvent(metrics, name, event);
      emit(name, event);
    };
  }

  /** Statement spans only: no metric is taken per statement, so they run while tracing can record. */
  private instrumentStatements(tracer: OperationTracer, tracing: Liveness): void {
    const sql = this.find(SqlRunner);
    if (!sql) return;
    for (const method of ['rows', 'write'] as const) {
      wrap(sql, method, (original) => (...args) => {
        if (!tracing()) return original(...args);
        const { name, attributes } = statementSpan(String(args[0]), sql.systemName);
        return tracer.statement(name, attributes, () => original(...args));
      });
    }
    for (const method of ['transaction', 'transactionUnlessNull'] as const) {
      wrap(
        sql,
        method,
        (original) =>
          (...args) =>
            tracing() ? tracer.statement('TRANSACTION', { 'db.system.name': sql.systemName }, () => original(...args)) : original(...args),
      );
    }
  }

  private instrumentLimits(metrics: TwoFactorMetrics): void {
    const limiter = this.find(RateLimiter);
    const registry = this.find(MethodRegistry);
    if (!limiter) return;
    const known = new Set([...CORE_LIMITS, ...(registry?.all().map((method) => method.key) ?? [])]);
    wrap(limiter, 'hit', (original) => async (...args) => {
      try {
        return await original(...args);
      } catch (error) {
        if (outcomeOf(error) === 'rate_limited') {
          // Only the key's first word, and only a known one: the rest names a user or an address.
          const [first, second] = String(args[0]).split(':');
          metrics.count('limitsRefused', { limit: known.has(first) ? first : 'other', kind: second === 'cooldown' ? 'resend_cooldown' : 'cap' });
        }
        throw error;
      }
    });
  }

  /**
   * Every challenge issued (a request, an enrolment, a sign-in) and every code handed to its
   * sender, by method: the issuer is the one place all of them pass, whoever asked.
   */
  private instrumentIssuer(metrics: TwoFactorMetrics): void {
    const issuer = this.find(ChallengeIssuer);
    if (!issuer) return;
    wrap(issuer, 'issue', (original) => async (...args) => {
      const issued = (await original(...args)) as Issued;
      const method = (args[0] as BoundBackend).context.methodConfig.method;
      metrics.count('confirmationsRequested', { method });
      const deliver = issued.challenge.deliver;
      if (deliver) {
        // Counted once the sender took it (delivery runs after the row is committed).
        issued.challenge.deliver = async () => {
          await deliver();
          metrics.count('codesSent', { method });
        };
      } else if (issued.challenge.sent) {
        metrics.count('codesSent', { method });
      }
      return issued;
    });
  }

  private find<T>(type: abstract new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(type as never, { strict: true }) as T;
    } catch {
      return null;
    }
  }
}

/** Replaces `instance[method]` (on the instance, never the class) with a wrapper of the bound original. */
function wrap(instance: object, method: string, wrapper: (original: AnyMethod) => AnyMethod): void {
  const target = instance as Record<string, AnyMethod>;
  target[method] = wrapper(target[method].bind(instance));
}

/** The counters an operation's end decides: step-up passes and refusals, refused answers, cooldowns, time to confirm. */
function outcomeMetrics(operation: string, metrics: TwoFactorMetrics, confirmedMethods: Map<string, string>): OperationEnd {
  return ({ error, result }) => {
    const outcome = outcomeOf(error);
    if (operation === 'step_up') metrics.count('stepUps', error ? { outcome: 'refused', reason: outcome } : { outcome: 'pass', reason: 'none' });
    if (error && isCooldown(error)) metrics.count('cooldowns', { operation });
    if (operation !== 'confirmation.confirm') return;
    // A wrong answer was counted from its audit event; every other error refused the answer unjudged.
    if (error && outcome !== 'confirmation_failed') metrics.count('confirmationsJudged', { method: 'unknown', outcome: 'refused', reason: outcome });
    const confirmed = result as ConfirmationState | undefined;
    if (!confirmed) return;
    const method = confirmedMethods.get(confirmed.id) ?? 'unknown';
    confirmedMethods.delete(confirmed.id);
    metrics.record('timeToConfirm', Math.max(0, (Date.now() - new Date(confirmed.created_at).getTime()) / 1000), { method });
  };
}
