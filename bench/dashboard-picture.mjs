// A stand-in for a Grafana screenshot (Grafana is not available where the docs are built): runs a
// short bench with telemetry on, scrapes the bench server's GET /metrics every second, and plots
// the dashboard's main series (docs/operations/two-factor-dashboard.json) as SVG on one HTML
// page, then screenshots it with headless Chromium. Usage (after `npm run build`):
//   node bench/dashboard-picture.mjs [out.png]   (CHROMIUM=/usr/bin/chromium by default)
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'docs/operations/observability-dashboard.png');
const port = 20000 + (process.pid % 20000);
const bench = spawn(
  process.execPath,
  ['dist/bench/run.js', '--telemetry=on', `--port=${port}`, '--duration=4', '--rounds=1', '--connections=8', '--only=request,confirm,guarded,flow'],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const ended = new Promise((done) => bench.once('exit', done));

/** Prometheus text → { 'name{labels}': value } for the two_factor_* series. */
function parse(text) {
  const series = {};
  for (const line of text.split('\n')) {
    const match = /^(two_factor_[a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match) series[match[1] + (match[2] ?? '').replace(/,?otel_scope_[a-z]+="[^"]*"/g, '').replace('{,', '{')] = Number(match[3]);
  }
  return series;
}

const samples = [];
let running = true;
ended.then(() => (running = false));
while (running) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    if (response.ok) samples.push({ t: Date.now(), series: parse(await response.text()) });
  } catch {
    // The server is not up yet, or already gone.
  }
  await new Promise((wait) => setTimeout(wait, 1000));
}
if (samples.length < 3) throw new Error('too few scrapes of /metrics');

/** Per-second rate of the summed series matching `filter`, grouped by the label `by`. */
function rates(filter, by) {
  const lines = {};
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    const seconds = (b.t - a.t) / 1000;
    const sums = {};
    for (const [key, value] of Object.entries(b.series)) {
      if (!filter(key)) continue;
      const label = by ? (new RegExp(`${by}="([^"]*)"`).exec(key)?.[1] ?? '') : 'all';
      sums[label] = (sums[label] ?? 0) + (value - (a.series[key] ?? 0)) / seconds;
    }
    for (const [label, value] of Object.entries(sums)) (lines[label] ??= []).push([i, value]);
  }
  return lines;
}

/** Mean duration (sum/count rate) per operation, in ms. */
function meanDuration() {
  const lines = {};
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    const ops = {};
    for (const [key, value] of Object.entries(b.series)) {
      const match = /^two_factor_operation_duration_seconds_(sum|count)\{operation="([^"]*)"/.exec(key);
      if (!match) continue;
      (ops[match[2]] ??= { sum: 0, count: 0 })[match[1]] += value - (a.series[key] ?? 0);
    }
    for (const [op, { sum, count }] of Object.entries(ops)) if (count > 0) (lines[op] ??= []).push([i, (sum / count) * 1000]);
  }
  return lines;
}

const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#96d98d'];
function chart(title, unit, lines) {
  const w = 370,
    h = 190,
    pad = 36;
  const all = Object.values(lines).flat();
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const maxY = Math.max(1e-9, ...all.map(([, y]) => y)) * 1.1;
  const path = (points) =>
    points.map(([x, y], i) => `${i ? 'L' : 'M'}${(pad + (x / maxX) * (w - pad - 8)).toFixed(1)},${(h - 20 - (y / maxY) * (h - 40)).toFixed(1)}`).join(' ');
  const legend = Object.keys(lines)
    .map((label, i) => `<span style="color:${COLORS[i % COLORS.length]}">■ ${label}</span>`)
    .join(' ');
  const body = Object.values(lines)
    .map((points, i) => `<path d="${path(points)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`)
    .join('');
  return `<div class="panel"><h3>${title}</h3><svg width="${w}" height="${h}"><text x="4" y="14" class="axis">${maxY.toPrecision(3)} ${unit}</text><text x="4" y="${h - 22}" class="axis">0</text><line x1="${pad}" y1="${h - 20}" x2="${w}" y2="${h - 20}" stroke="#444"/>${body}</svg><div class="legend">${legend || '<i>no samples</i>'}</div></div>`;
}

const has = (name) => (key) => key.startsWith(`${name}{`) || key === name;
const panels = [
  chart('Confirmations requested / s, by method', 'req/s', rates(has('two_factor_confirmations_requested_total'), 'method')),
  chart('Answers judged / s, by outcome', 'req/s', rates(has('two_factor_confirmations_judged_total'), 'outcome')),
  chart('Step-up checks / s, by outcome', 'req/s', rates(has('two_factor_step_ups_total'), 'outcome')),
  chart('Proofs used / s', 'req/s', rates(has('two_factor_proofs_used_total'))),
  chart('Operations / s, by operation', 'ops/s', rates(has('two_factor_operation_duration_seconds_count'), 'operation')),
  chart('Mean operation duration, by operation', 'ms', meanDuration()),
];
const html = `<!doctype html><meta charset="utf-8"><style>
body{background:#111217;color:#ccccdc;font:13px sans-serif;margin:12px;width:1180px}h1{font-size:16px}h3{font-size:13px;margin:4px 0}
.panel{display:inline-block;width:372px;background:#181b1f;border:1px solid #2c3235;margin:4px;padding:6px;vertical-align:top}.axis{fill:#8e8e8e;font-size:10px}.legend{font-size:11px}
</style><h1>two-factor for NestJS — stand-in for the Grafana dashboard (not Grafana): the demo's /metrics scraped every second during a short bench run (${samples.length} scrapes, ${new Date().toISOString().slice(0, 16)} UTC)</h1>${panels.join('')}`;
const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
writeFileSync(join(dir, 'index.html'), html);
execFileSync(
  process.env.CHROMIUM ?? '/usr/bin/chromium',
  ['--headless', '--no-sandbox', '--disable-gpu', `--screenshot=${out}`, '--window-size=1210,900', `file://${join(dir, 'index.html')}`],
  { stdio: 'ignore' },
);
console.log(`dashboard picture: ${out}`);
