import { AsyncLocalStorage } from 'node:async_hooks';
import type { OpenTelemetryApi, TelemetryAttributes, TelemetryContext, TelemetrySpan, TelemetryTracer } from './otel-api.js';
import { outcomeOf } from './error-outcome.js';
import type { TwoFactorMetrics } from './two-factor-metrics.js';

/** The trace id of the API's no-op spans (`INVALID_SPAN_CONTEXT`). */
const INVALID_TRACE_ID = '00000000000000000000000000000000';

/** What an operation's caller may add once it ends: a metric per outcome, an attribute of the result. */
export type OperationEnd = (outcome: { error?: unknown; result?: unknown; seconds: number }) => void;

/**
 * Runs module operations and statements inside spans, and times operations. The parent of a
 * span is the operation running in this async flow (kept in an AsyncLocalStorage of our own,
 * so statements nest under their operation even when the host registered no context manager),
 * else the host's active context (e.g. its HTTP server span).
 */
export class OperationTracer {
  private readonly current = new AsyncLocalStorage<TelemetryContext>();

  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly tracer: TelemetryTracer,
    private readonly metrics: TwoFactorMetrics,
  ) {}

  /** One span and one duration sample for `operation` (a fixed name such as `confirmation.confirm`). */
  async operation<T>(operation: string, work: () => Promise<T>, onEnd?: OperationEnd): Promise<T> {
    const started = performance.now();
    let error: unknown;
    let result: T | undefined;
    try {
      result = await this.span(`two_factor.${operation}`, { 'two_factor.operation': operation }, work, this.api.SpanKind.INTERNAL);
      return result;
    } catch (thrown) {
      error = thrown ?? new Error('undefined thrown');
      throw thrown;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.record('operationDuration', seconds, { operation, outcome: outcomeOf(error) });
      onEnd?.({ error, result, seconds });
    }
  }

  /** A child span for one statement or transaction; attributes must be bounded and secret-free (no parameters). */
  statement<T>(name: string, attributes: TelemetryAttributes, work: () => Promise<T>): Promise<T> {
    return this.span(name, attributes, work, this.api.SpanKind.CLIENT);
  }

  private async span<T>(name: string, attributes: TelemetryAttributes, work: () => Promise<T>, kind: number): Promise<T> {
    const parent = this.current.getStore() ?? this.api.context.active();
    const span: TelemetrySpan = this.tracer.startSpan(name, { kind, attributes }, parent);
    try {
      // The API without an SDK hands out a span of the invalid trace: nothing can nest under it, so
      // the work runs as it is, without an async context of its own (what keeps the no-SDK cost near zero).
      if (!span.isRecording() && span.spanContext().traceId === INVALID_TRACE_ID) return await work();
      const inner = this.api.trace.setSpan(parent, span);
      return await this.current.run(inner, () => this.api.context.with(inner, work));
    } catch (error) {
      const outcome = outcomeOf(error);
      span.setAttribute('two_factor.outcome', outcome);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: outcome });
      throw error;
    } finally {
      span.end();
    }
  }
}
