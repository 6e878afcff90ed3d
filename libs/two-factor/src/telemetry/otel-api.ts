/**
 * The few parts of `@opentelemetry/api` the module uses, typed here structurally so
 * that no published `.d.ts` names the package: it is an optional peer, and a host
 * without it compiles (even with `skipLibCheck: false`) and boots.
 */
export type TelemetryAttributes = Record<string, string | number | boolean>;

export interface TelemetryCounter {
  add(value: number, attributes?: TelemetryAttributes): void;
}

export interface TelemetryHistogram {
  record(value: number, attributes?: TelemetryAttributes): void;
}

export interface TelemetryMeter {
  createCounter(name: string, options: { description: string; unit: string }): TelemetryCounter;
  createHistogram(name: string, options: { description: string; unit: string; advice?: { explicitBucketBoundaries?: number[] } }): TelemetryHistogram;
}

export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  isRecording(): boolean;
  spanContext(): { traceId: string };
  end(): void;
}

/** An OpenTelemetry context: opaque here. */
export type TelemetryContext = object;

export interface TelemetryTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: TelemetryAttributes }, context?: TelemetryContext): TelemetrySpan;
}

/** The API's global TracerProvider: a proxy that passes to the SDK's provider once one is registered. */
export interface TelemetryProxyTracerProvider {
  getDelegateTracer(name: string, version?: string): TelemetryTracer | undefined;
}

export interface OpenTelemetryApi {
  metrics: { getMeter(name: string, version?: string): TelemetryMeter };
  trace: {
    getTracer(name: string, version?: string): TelemetryTracer;
    setSpan(context: TelemetryContext, span: TelemetrySpan): TelemetryContext;
    getTracerProvider?(): unknown;
  };
  /** The API's no-op meter, what `getMeter` returns while no MeterProvider is registered (optional: older APIs). */
  createNoopMeter?(): TelemetryMeter;
  ProxyTracerProvider?: abstract new (...args: never[]) => TelemetryProxyTracerProvider;
  context: { active(): TelemetryContext; with<T>(context: TelemetryContext, work: () => T): T };
  SpanStatusCode: { ERROR: number };
  SpanKind: { INTERNAL: number; CLIENT: number };
}

/** The instrumentation scope the module's meter and tracer are named after. */
export const TELEMETRY_SCOPE = 'nestjs-two-factor';

/**
 * Loads `@opentelemetry/api` when the host has it installed; null otherwise. Loaded at
 * start-up, never imported statically (as `@nestjs/event-emitter` is by the audit trail).
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi | null> {
  return import('@opentelemetry/api').then(
    (api) => api as unknown as OpenTelemetryApi,
    () => null,
  );
}
