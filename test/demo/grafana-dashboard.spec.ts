import { readFileSync } from 'node:fs';
import { TWO_FACTOR_METRICS } from 'nestjs-two-factor';

/** The Prometheus series names a metric shows as: counters with _total, histograms with their _bucket/_count/_sum. */
function seriesOf(name: string, unit: string): string[] {
  return unit === 's' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [`${name}_total`];
}

describe('the Grafana dashboard (docs/operations/two-factor-dashboard.json; no database, no adapter)', () => {
  const dashboard = JSON.parse(readFileSync('docs/operations/two-factor-dashboard.json', 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));

  it('queries only series the module records', () => {
    const known = new Set(Object.values(TWO_FACTOR_METRICS).flatMap((metric) => seriesOf(metric.name, metric.unit)));
    const used = expressions.flatMap((expr) => expr.match(/two_factor_[a-z_]+/g) ?? []);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });

  it('has a panel for every metric', () => {
    const text = expressions.join('\n');
    expect(
      Object.values(TWO_FACTOR_METRICS)
        .filter((metric) => !seriesOf(metric.name, metric.unit).some((series) => text.includes(series)))
        .map((metric) => metric.name),
    ).toEqual([]);
  });
});
