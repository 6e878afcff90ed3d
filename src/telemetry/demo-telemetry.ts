import { metrics, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The demo's OpenTelemetry SDK: metrics read by a Prometheus exporter, spans batched to a bounded in-memory buffer. */
export interface DemoTelemetry {
  prometheus: PrometheusExporter;
  spans: BoundedSpanExporter;
}

let started: DemoTelemetry | undefined;

/**
 * Registers the SDK as the process's global meter and tracer providers, once per process
 * (before the app boots: the module takes its meter at start-up). A real host sends spans
 * to a collector (an OTLP exporter); the demo keeps the last few in memory so it runs alone.
 */
export function startDemoTelemetry(): DemoTelemetry {
  if (started) return started;
  // preventServerStart: the demo serves the text itself at GET /metrics, on its own port (metrics.controller.ts).
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [prometheus] }));
  const spans = new BoundedSpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] }));
  started = { prometheus, spans };
  return started;
}

/** The SDK registered by `startDemoTelemetry`, if any. */
export function demoTelemetry(): DemoTelemetry | undefined {
  return started;
}

/** An in-memory exporter that keeps only the newest spans (the demo runs for days). */
export class BoundedSpanExporter implements SpanExporter {
  private static readonly KEEP = 1000;
  private spans: ReadableSpan[] = [];

  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.spans = [...this.spans, ...spans].slice(-BoundedSpanExporter.KEEP);
    done({ code: 0 });
  }

  finished(): readonly ReadableSpan[] {
    return this.spans;
  }

  async shutdown(): Promise<void> {
    this.spans = [];
  }

  async forceFlush(): Promise<void> {}
}
