import { TWO_FACTOR_METRICS, type TwoFactorMetricKey } from './metric-names.js';
import type { TelemetryAttributes, TelemetryCounter, TelemetryHistogram, TelemetryMeter } from './otel-api.js';

type HistogramKey = 'timeToConfirm' | 'operationDuration';
type CounterKey = Exclude<TwoFactorMetricKey, HistogramKey>;

/** Buckets in seconds: statements take milliseconds, a human typing a code takes tens of seconds. */
const OPERATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const CONFIRM_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/** The module's instruments, made once from the host's meter (a no-op meter costs next to nothing). */
export class TwoFactorMetrics {
  private readonly counters = new Map<CounterKey, TelemetryCounter>();
  private readonly histograms = new Map<HistogramKey, TelemetryHistogram>();

  constructor(meter: TelemetryMeter) {
    for (const [key, metric] of Object.entries(TWO_FACTOR_METRICS) as [TwoFactorMetricKey, (typeof TWO_FACTOR_METRICS)[TwoFactorMetricKey]][]) {
      const options = { description: metric.description, unit: metric.unit };
      if (key === 'timeToConfirm' || key === 'operationDuration') {
        const buckets = key === 'timeToConfirm' ? CONFIRM_BUCKETS : OPERATION_BUCKETS;
        this.histograms.set(key, meter.createHistogram(metric.name, { ...options, advice: { explicitBucketBoundaries: buckets } }));
      } else {
        this.counters.set(key, meter.createCounter(metric.name, options));
      }
    }
  }

  count(key: CounterKey, attributes: TelemetryAttributes = {}, value = 1): void {
    this.counters.get(key)!.add(value, attributes);
  }

  record(key: HistogramKey, value: number, attributes: TelemetryAttributes = {}): void {
    this.histograms.get(key)!.record(value, attributes);
  }
}
