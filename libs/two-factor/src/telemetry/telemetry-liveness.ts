import { TELEMETRY_SCOPE, type OpenTelemetryApi, type TelemetryMeter } from './otel-api.js';

/** Answers, on every call, whether what it watches can record now. */
export type Liveness = () => boolean;

const ALWAYS: Liveness = () => true;

/**
 * Whether the module's meter records anything: false only when it is the API's no-op meter,
 * which it stays (the API has no proxy for meters: a MeterProvider registered after start-up
 * never reaches a meter taken before), so the answer is fixed at start-up.
 */
export function meterRecords(api: OpenTelemetryApi, meter: TelemetryMeter): boolean {
  return typeof api.createNoopMeter !== 'function' || meter !== api.createNoopMeter();
}

/**
 * Whether a span started now could record. The API's tracers are proxies that follow the
 * TracerProvider registered later, so this is asked per call: while the global provider is
 * the API's proxy with no SDK behind it, false (a no-op span, nothing can nest under it);
 * true from the moment an SDK registers one, and always true for anything else.
 */
export function tracingLiveness(api: OpenTelemetryApi): Liveness {
  const provider = api.trace.getTracerProvider?.();
  if (typeof api.ProxyTracerProvider !== 'function' || !(provider instanceof api.ProxyTracerProvider)) return ALWAYS;
  const proxy = provider;
  // The proxy hands out a delegate's tracer only once an SDK registered one (asking starts no span).
  const registered = () => proxy.getDelegateTracer(TELEMETRY_SCOPE) !== undefined;
  if (registered()) return ALWAYS;
  let live = false;
  // Once live, stays live: a provider swapped back to none only costs the no-op spans again.
  return () => live || (live = registered());
}
