import { metrics, trace } from '@opentelemetry/api';
import { MetricReader, type DataPoint, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A metric reader that only answers `collect()` (the test asks when it wants numbers). */
class TestMetricReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

type Attributes = Record<string, string | number | boolean>;

/**
 * The OpenTelemetry SDK with an in-memory metric reader and span exporter, registered as the
 * process's global providers — before the app boots, as a host does.
 */
export class TelemetryCapture {
  readonly reader = new TestMetricReader();
  readonly spans = new InMemorySpanExporter();

  constructor() {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [this.reader] }));
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spans)] }));
  }

  async collect(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics;
  }

  /** Every data point of the module's metrics, flattened: name, attributes, value (a histogram's count). */
  async points(): Promise<Array<{ name: string; attributes: Attributes; value: number }>> {
    const all = [];
    for (const scope of (await this.collect()).scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints as DataPoint<number | Histogram>[]) {
          const value = typeof point.value === 'number' ? point.value : point.value.count;
          all.push({ name: metric.descriptor.name, attributes: point.attributes as Attributes, value });
        }
      }
    }
    return all;
  }

  /** The sum over data points of `name` whose attributes include `match`. */
  async total(name: string, match: Attributes = {}): Promise<number> {
    return (await this.points())
      .filter((point) => point.name === name && Object.entries(match).every(([key, value]) => point.attributes[key] === value))
      .reduce((sum, point) => sum + point.value, 0);
  }

  /** How much each of `wanted` grew while `work` ran. */
  async growth(wanted: Record<string, [string, Attributes?]>, work: () => Promise<unknown>): Promise<Record<string, number>> {
    const before: Record<string, number> = {};
    for (const [key, [name, match]] of Object.entries(wanted)) before[key] = await this.total(name, match);
    await work();
    const grown: Record<string, number> = {};
    for (const [key, [name, match]] of Object.entries(wanted)) grown[key] = (await this.total(name, match)) - before[key];
    return grown;
  }

  finishedSpans(): ReadableSpan[] {
    return this.spans.getFinishedSpans();
  }
}
