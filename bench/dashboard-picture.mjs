// The dashboard's picture: every panel of docs/operations/two-factor-dashboard.json, with its own
// PromQL, evaluated by a real Prometheus that scraped the bench server's GET /metrics during a
// short bench run, drawn on one page at the panels' grid positions and screenshotted with
// headless Chromium. Not Grafana (no Grafana package is reachable where the docs are built):
// the queries and the numbers are Prometheus's, only the drawing is this script's.
// Needs Debian's `prometheus` and `chromium`. Usage (after `npm run build`):
//   node bench/dashboard-picture.mjs [out.png]   (PROMETHEUS=/usr/bin/prometheus, CHROMIUM=/usr/bin/chromium)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { API, Api, GUARDED_PATH } from '../dist/bench/lib/api.js';

const out = resolve(process.argv[2] ?? 'docs/operations/observability-dashboard.png');
const dashboard = JSON.parse(readFileSync('docs/operations/two-factor-dashboard.json', 'utf8'));
const port = 20000 + (process.pid % 20000);
const promPort = port + 1;
const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
const sleep = (ms) => new Promise((wait) => setTimeout(wait, ms));

// Prometheus scrapes the bench server every second (so `$__rate_interval` is 4 s, Grafana's rule for it).
const SCRAPE = 1;
const RATE_INTERVAL = `${4 * SCRAPE}s`;
writeFileSync(
  join(dir, 'prometheus.yml'),
  `global: {scrape_interval: ${SCRAPE}s, evaluation_interval: ${SCRAPE}s}\nscrape_configs:\n  - job_name: two-factor-demo\n    static_configs: [{targets: ['127.0.0.1:${port}']}]\n`,
);
const prometheus = spawn(
  process.env.PROMETHEUS ?? '/usr/bin/prometheus',
  [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
  { stdio: 'ignore' },
);
prometheus.once('error', (error) => {
  console.error(`prometheus did not start (${error.message}): apt-get install prometheus`);
  process.exit(1);
});

const bench = spawn(
  process.execPath,
  [
    'dist/bench/run.js',
    '--telemetry=on',
    `--port=${port}`,
    '--duration=4',
    '--rounds=1',
    '--connections=8',
    '--sign-in-factors=60',
    '--only=request,confirm,guarded,flow,login-confirm',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
let running = true;
const ended = new Promise((done) => bench.once('exit', done)).then(() => (running = false));

/**
 * What the bench never does, so that the guessing, refusal and sign-in panels have something to show:
 * bob enrols a dummy factor, then keeps answering wrong (some codes lock, his factor cools down),
 * calls the step-up route without a proof, and signs in with his second factor now and then.
 */
async function trouble() {
  const base = `http://127.0.0.1:${port}`;
  while (
    running &&
    !(await fetch(`${base}/bench/stats`)
      .then((r) => r.ok)
      .catch(() => false))
  )
    await sleep(500);
  const bob = new Api(base);
  await bob.login('bob');
  const factor = await bob.enrolDummy(await bob.dummyMethodConfigId(), 'bob-code');
  const password = process.env.DEMO_PASSWORD ?? 'demo-password';
  for (let i = 0; running; i++) {
    const id = (await bob.call('POST', `${API}/confirmation/request/`, { user_config_id: factor })).body?.id;
    if (id) for (let k = 0; k < 1 + (i % 6); k++) await bob.call('POST', `${API}/confirmation/confirm/`, { id, data: { code: `wrong-${k}` } });
    await bob.call('POST', GUARDED_PATH, {});
    if (i % 3 === 0) {
      const login = await bob.call('POST', '/api/v1/auth/login', { username: 'bob', password });
      const token = login.body?.sign_in_token;
      if (token) {
        const requested = await bob.call('POST', '/api/v1/auth/login/request', { sign_in_token: token, user_config_id: factor });
        if (requested.status === 201) await bob.call('POST', '/api/v1/auth/login/confirm', { sign_in_token: token, data: { code: 'bob-code' } });
      }
    }
    await sleep(150);
  }
}
const started = Date.now() / 1000;
// The bench's server goes away as the bench ends: only a failure well before that is worth a word.
let troubleFailed;
await Promise.all([trouble().catch((error) => (troubleFailed = { error, at: Date.now() })), ended]);
if (troubleFailed && Date.now() - troubleFailed.at > 3000) console.error(`trouble traffic stopped early: ${troubleFailed.error.message}`);
const stopped = Date.now() / 1000;

/** Evaluates `expr` over the run with Prometheus's query_range (Grafana's variables filled in as it would). */
async function range(expr) {
  const query = expr.replaceAll('$__rate_interval', RATE_INTERVAL);
  const url = `http://127.0.0.1:${promPort}/api/v1/query_range?query=${encodeURIComponent(query)}&start=${started}&end=${stopped}&step=2`;
  const reply = await (await fetch(url)).json();
  if (reply.status !== 'success') throw new Error(`prometheus refused ${query}: ${reply.error}`);
  return reply.data.result;
}

const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#96d98d', '#fade2a', '#c4162a'];
const UNITS = { reqps: 'req/s', s: 's', ops: 'ops', short: '' };
const legendOf = (format, metric) => (format ?? '').replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => metric[name] ?? '').trim() || JSON.stringify(metric);
const format = (value, unit) => (unit === 's' ? `${(value * 1000).toPrecision(3)} ms` : `${value.toPrecision(3)} ${UNITS[unit] ?? unit}`);

async function panel(p) {
  const lines = [];
  for (const target of p.targets ?? []) {
    for (const series of await range(target.expr)) {
      const points = series.values.map(([t, v]) => [Number(t) - started, Number(v)]).filter(([, v]) => Number.isFinite(v));
      if (points.length) lines.push({ label: legendOf(target.legendFormat, series.metric), points });
    }
  }
  const unit = p.fieldConfig?.defaults?.unit ?? '';
  const w = p.gridPos.w * 49 - 14;
  const h = p.gridPos.h * 30 - 100;
  const pad = 58;
  const maxX = Math.max(1, stopped - started);
  const highest = Math.max(0, ...lines.flatMap((line) => line.points.map(([, y]) => y)));
  const maxY = highest > 0 ? highest * 1.1 : 1;
  const path = (points) =>
    points.map(([x, y], i) => `${i ? 'L' : 'M'}${(pad + (x / maxX) * (w - pad - 6)).toFixed(1)},${(h - 16 - (y / maxY) * (h - 28)).toFixed(1)}`).join(' ');
  const body = lines.map((line, i) => `<path d="${path(line.points)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6"/>`).join('');
  const legend = lines
    .map((line, i) => `<span style="color:${COLORS[i % COLORS.length]}">■</span> ${line.label} <b>${format(line.points.at(-1)[1], unit)}</b>`)
    .join(' &nbsp; ');
  const { x, y } = p.gridPos;
  return `<div class="panel" style="left:${x * 49}px;top:${y * 30 + 40}px;width:${w}px;height:${p.gridPos.h * 30 - 14}px"><h3>${p.title}</h3>
<svg width="${w}" height="${h}"><text x="2" y="10" class="axis">${highest > 0 ? format(maxY, unit) : ''}</text><text x="2" y="${h - 16}" class="axis">0</text>
<text x="${w - 40}" y="${h - 2}" class="axis">${Math.round(maxX)} s</text><line x1="${pad}" y1="${h - 16}" x2="${w}" y2="${h - 16}" stroke="#444"/>${body}</svg>
<div class="legend">${legend || '<i>No data</i>'}</div></div>`;
}

const panels = [];
for (const p of dashboard.panels) panels.push(await panel(p));
prometheus.kill();
const bottom = Math.max(...dashboard.panels.map((p) => (p.gridPos.y + p.gridPos.h) * 30)) + 50;
const html = `<!doctype html><meta charset="utf-8"><style>
body{background:#111217;color:#ccccdc;font:12px sans-serif;margin:0;position:relative;width:1176px;height:${bottom}px}
h1{font-size:14px;margin:10px 8px}h3{font-size:12px;margin:2px 0 4px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;padding:6px;box-sizing:content-box}.axis{fill:#8e8e8e;font-size:10px}.legend{font-size:11px;line-height:15px}
</style><h1>${dashboard.title}: its ${dashboard.panels.length} panels and their queries, evaluated by Prometheus over a ${Math.round(stopped - started)} s bench run (${new Date().toISOString().slice(0, 16)} UTC), drawn without Grafana</h1>${panels.join('')}`;
writeFileSync(join(dir, 'index.html'), html);
execFileSync(
  process.env.CHROMIUM ?? '/usr/bin/chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    `--screenshot=${out}`,
    `--window-size=1180,${bottom}`,
    `file://${join(dir, 'index.html')}`,
  ],
  { stdio: 'ignore' },
);
console.log(`dashboard picture: ${out}`);
