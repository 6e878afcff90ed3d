/**
 * `npm run bench`: boots the compiled bench server (the demo behind bench/server/'s routes, NODE_ENV=production) on a
 * fresh database as a separate process and drives it over HTTP with
 * autocannon, in interleaved rounds (floor, endpoint, floor, endpoint …).
 * See docs/operations/benchmarks.md for what each figure means.
 *
 *   npm run bench                                   # SQLite, 3 rounds of 5 s, 20 connections
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench       (MySQL 8 or MariaDB)
 *   npm run bench -- --duration=2 --rounds=1 --only=check,confirm --profile
 *   npm run bench -- --sqlite-rollback              # SQLite with the rollback journal instead of WAL, for comparison
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { TWO_FACTOR_DEFAULTS } from 'nestjs-two-factor';
import { BENCH_LIMIT_OVERRIDES } from './server/bench-limits.js';
import { API, FACTOR_CODE, GUARD_HEADER, GUARDED_PATH, METHOD_CODE } from './lib/api.js';
import { createBenchDatabase } from './lib/database.js';
import { measure, type LoadSpec, type RoundFigures } from './lib/load.js';
import { benchAdapter, benchPort, benchTelemetry, numberOption, option } from './lib/options.js';
import { summarizeCpuProfile, type CpuProfile, type ProfileSummary } from './lib/profile.js';
import { machine, summarize, table, targetLines, writeResults, type Summary, type Target } from './lib/report.js';
import { BenchServer } from './lib/server.js';
import { BenchSession } from './lib/setup.js';
import { LOGIN_PATH, SignInPool } from './lib/sign-in.js';

const duration = numberOption('duration', 5);
const rounds = numberOption('rounds', 3);
const connections = numberOption('connections', 20);
const only = option('only')
  ?.split(',')
  .map((s) => s.trim());
const profile = option('profile') === '1';
/** Factors enrolled for login/confirm's pool: one pending sign-in per factor, so a round has at most this many requests. */
const signInFactors = numberOption('sign-in-factors', 300);
/** SQLite only: the rollback journal (synchronous=FULL) instead of the demo's default WAL, for comparison. */
const sqliteRollback = option('sqlite-rollback') === '1';
/** The demo's HTTP platform for the whole run, the floor included. */
const adapter = benchAdapter();
/** The demo's OpenTelemetry SDK on, off (the API's no-ops), or the API absent for the module (issue 24: what metrics and traces cost). */
const telemetry = benchTelemetry();

/**
 * `--telemetry=absent`: the server imports `server/hide-opentelemetry-api.js`, whose resolve hook
 * refuses the module's import of `@opentelemetry/api` and logs each refusal to a file; the run stops
 * unless the module asked and was refused (so "absent" is measured, not assumed).
 */
function hideOpenTelemetryApi(): { nodeFlags: string[]; env: Record<string, string>; assertHidden(): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-otel-'));
  const log = join(dir, 'hidden.log');
  writeFileSync(log, '');
  return {
    nodeFlags: ['--import', new URL('./server/hide-opentelemetry-api.js', import.meta.url).href],
    env: { BENCH_HIDDEN_API_LOG: log },
    assertHidden() {
      if (readFileSync(log, 'utf8').trim() === '')
        throw new Error('--telemetry=absent: the module never asked for @opentelemetry/api, or the hook did not run');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface Endpoint {
  name: string;
  label: string;
  /** Builds the load for one round (pools are built here, before timing starts). */
  prepare(estimatedRps: number, seconds: number): Promise<LoadSpec>;
  unitsForRatio?: boolean;
  note?: string;
  available: boolean;
}

async function main(): Promise<void> {
  if (!existsSync('dist/bench/server/main.js') || !existsSync('dist/bench/run.js')) throw new Error('run `npm run build` first (npm run bench does)');
  const db = await createBenchDatabase();
  if (sqliteRollback && db.kind === 'sqlite') db.version += ', rollback journal, synchronous=FULL (--sqlite-rollback)';
  db.version += `, ${adapter === 'fastify' ? 'Fastify' : 'Express'}, telemetry ${telemetry}`;
  console.log(
    `bench: ${db.version}; ${rounds} round(s) of ${duration} s per endpoint, ${connections} connections${profile ? "; CPU profile of each endpoint's first round" : ''}`,
  );
  console.log(`bench: module limit options for the run (bench/server/bench-limits.ts): ${describeOverrides()}`);
  warnIfBusy('before');
  const hidden = telemetry === 'absent' ? hideOpenTelemetryApi() : undefined;
  const server = await BenchServer.start({
    databaseUrl: db.url,
    port: benchPort(),
    adapter,
    nodeFlags: hidden?.nodeFlags,
    env: { TELEMETRY: telemetry === 'on' ? 'on' : 'off', ...hidden?.env, ...(sqliteRollback ? { BENCH_SQLITE_ROLLBACK: '1' } : {}) },
  });
  try {
    hidden?.assertHidden();
    await run(server, `${db.kind}-${adapter}`, db.version ?? db.kind);
  } finally {
    await server.stop();
    await db.drop();
    hidden?.remove();
  }
  warnIfBusy('after');
}

/** The bench shares the machine with whatever else runs: say so when the load average is high. */
function warnIfBusy(when: string): void {
  const [one] = loadavg();
  const cores = availableParallelism();
  if (one > cores * 0.5)
    console.log(`bench: WARNING: load average ${one.toFixed(2)} on ${cores} cores ${when} the run: other work competes for the CPU, figures are noisy`);
}

/** Each override against the module's default: which limits the run raised, and which it only restates. */
function describeOverrides(): string {
  const defaults: Record<string, unknown> = TWO_FACTOR_DEFAULTS;
  const entries = Object.entries(BENCH_LIMIT_OVERRIDES);
  if (entries.length === 0) return 'none (the module defaults)';
  return entries
    .map(([key, value]) =>
      JSON.stringify(defaults[key]) === JSON.stringify(value)
        ? `${key}=${JSON.stringify(value)} (the default)`
        : `${key}: ${JSON.stringify(defaults[key])} → ${JSON.stringify(value)} (raised)`,
    )
    .join(', ');
}

async function run(server: BenchServer, kind: string, database: string): Promise<void> {
  const session = await BenchSession.open(server, connections);
  const { authorization, methodConfigId, json } = session;
  const pool = (size: number, confirmed: boolean) => session.pool(size, confirmed);
  const perClient = (requests: (factor: number) => Request[]) => session.perClient(requests);
  const popper = (ids: string[], build: (request: Request, id: string) => Request) => (request: Request) =>
    build(request, ids.pop() ?? '00000000-0000-4000-8000-000000000000');
  const sized = (estimatedRps: number, seconds: number) => Math.max(connections * 5, Math.ceil(estimatedRps * seconds));

  const guard = await session.probeGuardedRoute();
  const signIns = new SignInPool(session);
  if (!only || only.includes('login-confirm')) await signIns.enrol(signInFactors);
  let flowsDone = 0;

  const endpoints: Endpoint[] = [
    {
      name: 'floor-anon',
      label: 'floor, no bearer token (demo auth cost)',
      available: true,
      prepare: async () => ({ name: 'floor-anon', load: { duration, requests: [{ method: 'GET', path: `/bench/floor?id=${methodConfigId}` }] } }),
    },
    {
      name: 'check',
      label: 'GET confirmation/:id/check/',
      available: true,
      prepare: async () => {
        // Fresh each round: a confirmed proof expires (proofTtlSeconds), and rounds with 2000 sign-ins outlast it (410s).
        const checkIds = await pool(100, true);
        let i = 0;
        return {
          name: 'check',
          load: {
            duration,
            headers: { authorization },
            requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `${API}/confirmation/${checkIds[i++ % checkIds.length]}/check/` }) }],
          },
        };
      },
    },
    {
      name: 'request',
      label: 'POST confirmation/request/ (user-bound)',
      available: true,
      prepare: async () => ({
        name: 'request',
        load: {
          duration,
          setupClient: perClient((factor) => [
            { method: 'POST', path: `${API}/confirmation/request/`, headers: json, body: JSON.stringify({ user_config_id: factor }) },
          ]),
        },
      }),
    },
    {
      name: 'confirm',
      label: 'POST confirmation/confirm/ (right code)',
      available: true,
      prepare: async (estimatedRps, seconds) => {
        const amount = sized(estimatedRps, seconds);
        const ids = await pool(amount + connections, false);
        return {
          name: 'confirm',
          load: {
            amount,
            requests: [
              {
                method: 'POST',
                path: `${API}/confirmation/confirm/`,
                headers: json,
                setupRequest: popper(ids, (r, id) => ({ ...r, body: JSON.stringify({ id, data: { code: METHOD_CODE } }) })),
              },
            ],
          },
        };
      },
    },
    {
      name: 'guarded',
      label: `POST ${GUARDED_PATH.slice(1)} (step-up)`,
      available: guard.available,
      note: guard.note,
      prepare: async (estimatedRps, seconds) => {
        const amount = sized(estimatedRps, seconds);
        const ids = await pool(amount + connections, true);
        return {
          name: 'guarded',
          load: {
            amount,
            requests: [
              // As a client calls it (docs/guide/webauthn.md): the proof's header and no body, which this route does not take.
              { method: 'POST', path: GUARDED_PATH, setupRequest: popper(ids, (r, id) => ({ ...r, headers: { authorization, [GUARD_HEADER]: id } })) },
            ],
          },
        };
      },
    },
    {
      name: 'login-confirm',
      label: `POST ${LOGIN_PATH.slice(1)}/confirm (sign-in)`,
      available: true,
      note: 'each request a pending sign-in of its own with a confirmation requested on its own factor (made before timing by the bench server: SignInService.start without the password, then requestConfirmation)',
      prepare: async (estimatedRps, seconds) => {
        const tokens = await signIns.take(Math.min(sized(estimatedRps, seconds), signIns.size));
        return {
          name: 'login-confirm',
          load: {
            amount: tokens.length,
            requests: [
              {
                method: 'POST',
                path: `${LOGIN_PATH}/confirm`,
                headers: { 'content-type': 'application/json' },
                setupRequest: (r) => ({ ...r, body: JSON.stringify({ sign_in_token: tokens.pop() ?? 'none', data: { code: FACTOR_CODE } }) }),
              },
            ],
          },
        };
      },
    },
    {
      name: 'flow',
      label: guard.available ? 'flow: request → confirm → guarded' : 'flow: request → confirm (no guarded route)',
      available: true,
      unitsForRatio: true,
      prepare: async () => {
        flowsDone = 0;
        const last = (status: number) => {
          if (status >= 200 && status < 300) flowsDone++;
        };
        return {
          name: 'flow',
          units: () => flowsDone,
          load: {
            duration,
            setupClient: perClient((factor) => session.flow(factor, guard.available, last)),
          },
        };
      },
    },
  ];
  const floor: Endpoint = {
    name: 'floor',
    label: 'floor: one primary-key SELECT',
    available: true,
    prepare: async () => ({
      name: 'floor',
      load: { duration, headers: { authorization }, requests: [{ method: 'GET', path: `/bench/floor?id=${methodConfigId}` }] },
    }),
  };
  const chosen = endpoints.filter((e) => e.available && (!only || only.includes(e.name)));

  // Warm-up (not recorded): JIT, connection pools, and a first rate estimate for the pool sizes.
  const estimates = new Map<string, number>();
  const warmDuration = Math.min(2, duration);
  for (const endpoint of [floor, ...chosen]) {
    const spec = await endpoint.prepare(100, warmDuration);
    if (!spec.load.amount) spec.load.duration = warmDuration;
    const figures = await measure(server, spec, connections, 0);
    estimates.set(endpoint.name, figures.rps);
  }

  const results = new Map<string, RoundFigures[]>();
  const floorsBefore = new Map<string, RoundFigures[]>();
  const profiles = new Map<string, ProfileSummary>();
  const push = (map: Map<string, RoundFigures[]>, key: string, value: RoundFigures) => map.set(key, [...(map.get(key) ?? []), value]);
  for (let round = 1; round <= rounds; round++) {
    for (const endpoint of chosen) {
      const spec = await endpoint.prepare(estimates.get(endpoint.name) ?? 100, duration);
      const profilingFloor = profile && !profiles.has('floor');
      if (profilingFloor) await server.startProfile();
      const floorFigures = await measure(server, await floor.prepare(0, duration), connections, round);
      if (profilingFloor) profiles.set('floor', saveProfile('floor', kind, await server.stopProfile(), floorFigures.serverRequests));
      push(results, 'floor', floorFigures);
      push(floorsBefore, endpoint.name, floorFigures);
      const profiling = profile && round === 1;
      if (profiling) await server.startProfile();
      const figures = await measure(server, spec, connections, round);
      if (profiling) profiles.set(endpoint.name, saveProfile(endpoint.name, kind, await server.stopProfile(), figures.serverRequests));
      push(results, endpoint.name, figures);
      estimates.set(endpoint.name, figures.rps);
      console.log(
        `round ${round}  floor ${floorFigures.rps.toFixed(0)} req/s  |  ${endpoint.name} ${figures.rps.toFixed(0)} req/s` +
          `${figures.unitsPerSec !== undefined ? ` (${figures.unitsPerSec.toFixed(0)} flows/s)` : ''}, ${figures.cpuMsPerRequest.toFixed(3)} CPU ms/req` +
          `${figures.databaseCpuMsPerRequest === undefined ? '' : ` (+${figures.databaseCpuMsPerRequest.toFixed(3)} in the database)`}` +
          `${figures.machineBusy === undefined ? '' : `, machine ${(figures.machineBusy * 100).toFixed(0)}% busy`}, ${figures.statementsPerRequest.toFixed(2)} SQL/req` +
          `${figures.poolWaiting === undefined ? '' : `, pool ${figures.poolBusy!.toFixed(1)}/${figures.poolMax} busy, ${figures.poolWaiting.toFixed(1)} waiting`}` +
          `${figures.non2xx + figures.errors ? `, ${figures.non2xx + figures.errors} NOT 2xx ${JSON.stringify(figures.statusCodes)}` : ''}`,
      );
    }
  }

  const summaries: Summary[] = [summarize('floor', floor.label, results.get('floor') ?? [], results.get('floor') ?? [])];
  for (const endpoint of endpoints) {
    if (!endpoint.available) {
      summaries.push({ name: endpoint.name, label: endpoint.label, available: false, note: endpoint.note } as Summary);
    } else if (results.has(endpoint.name)) {
      summaries.push(summarize(endpoint.name, endpoint.label, results.get(endpoint.name)!, floorsBefore.get(endpoint.name)!, endpoint.unitsForRatio));
    }
  }
  const targets = evaluateTargets(summaries, kind.startsWith('postgres') || kind.startsWith('mysql'), kind.startsWith('mysql'));
  const byName = new Map(summaries.map((s) => [s.name, s]));
  const flow = byName.get('flow');

  console.log(
    `\n${database}, ${connections} connections, ${rounds} × ${duration} s rounds; ratios are per round against the floor round just before, median (min–max)`,
  );
  console.log(table(summaries));
  if (flow?.available && flow.unitsPerSec !== undefined) {
    console.log(
      `flow: ${flow.unitsPerSec.toFixed(0)} flows/s (its "vs floor" is flows/s ÷ floor req/s; CPU and SQL are per request, ×${guard.available ? 3 : 2} per flow)`,
    );
  }
  console.log(`module limit options for the run (bench/server/bench-limits.ts): ${describeOverrides()}`);
  console.log(`\ntargets\n${targetLines(targets)}`);
  const file = writeResults('bench', kind, {
    command: process.argv.slice(2),
    when: new Date().toISOString(),
    machine: machine(database),
    loadAverageAtEnd: loadavg(),
    options: { duration, rounds, connections, only, profile, sqliteRollback, adapter, telemetry },
    limitOverrides: BENCH_LIMIT_OVERRIDES,
    guardedRoute: guard,
    pools:
      'confirm and guarded: method-level dummy confirmations owned by alice (code "dummy-method"), requested (and for guarded confirmed) before each timed round; flow and request: user-bound, one dummy factor per connection',
    summaries,
    targets,
    profiles: Object.fromEntries(profiles),
    rounds: Object.fromEntries(results),
  });
  for (const [name, summary] of profiles) console.log(`\nserver CPU profile of ${name}'s first round (${summary.file})\n${summary.text}`);
  console.log(`\nraw figures: ${file}`);
}

/** Writes a round's profile to bench/results/profiles/ and summarises it, per request of the round. */
function saveProfile(name: string, kind: string, cpuProfile: CpuProfile, requests: number): ProfileSummary {
  const dir = join('bench', 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(cpuProfile));
  return { ...summarizeCpuProfile(cpuProfile, 12, requests), file };
}

function evaluateTargets(summaries: Summary[], isServer: boolean, isMysql: boolean): Target[] {
  const byName = new Map(summaries.map((s) => [s.name, s]));
  const targets: Target[] = [];
  const stmt = (name: string, what: string, max: number) => {
    const s = byName.get(name);
    if (!s?.available)
      return targets.push({ what: `SQL statements per ${what}`, target: `≤ ${max}`, actual: s ? 'not available' : 'not measured (--only)', met: null });
    targets.push({
      what: `SQL statements per ${what}`,
      target: `≤ ${max}`,
      actual: s.statementsPerRequest.toFixed(2),
      met: s.statementsPerRequest <= max + 0.05,
    });
  };
  // A fraction above the budget is the method-config cache (refreshed every 5 s), spread over the round.
  // The budgets of CONTRIBUTING.md "SQL per operation", counted here with BEGIN/COMMIT: MySQL/MariaDB have no RETURNING,
  // so use, confirm and request read back the row their write decided, in a transaction (confirm: with its record of use).
  stmt('check', 'check', 1);
  stmt('guarded', 'use (guarded route)', isMysql ? 4 : 1);
  stmt('confirm', 'confirm', isMysql ? 6 : 2);
  stmt('request', 'request', isMysql ? 5 : 2);
  // Issue 14's targets: each endpoint ≥ 0.6 of the floor on SQLite, ≥ 0.5 on PostgreSQL (and MySQL); flows ≥ 0.2; confirm ≤ 0.45 ms of server CPU.
  const endpointShare = isServer ? 0.5 : 0.6;
  for (const s of summaries) {
    if (s.name === 'floor' || s.name === 'floor-anon') continue;
    const share = s.name === 'flow' ? 0.2 : endpointShare;
    const what = s.name === 'flow' ? 'flows/s vs floor req/s' : `${s.name} req/s vs floor`;
    if (!s.available) {
      targets.push({ what, target: `≥ ${share * 100}%`, actual: 'not available', met: null });
      continue;
    }
    targets.push({
      what,
      target: `≥ ${share * 100}%`,
      actual: `${(s.ratio! * 100).toFixed(0)}% (${(s.ratioMin! * 100).toFixed(0)}–${(s.ratioMax! * 100).toFixed(0)}%)`,
      met: s.ratio! >= share,
    });
  }
  const confirm = byName.get('confirm');
  if (confirm?.available)
    targets.push({
      what: 'server CPU per confirm',
      target: '≤ 0.45 ms',
      actual: `${confirm.cpuMsPerRequest.toFixed(3)} ms`,
      met: confirm.cpuMsPerRequest <= 0.45,
    });
  for (const s of summaries) {
    if (s.available && s.non2xx > 0)
      targets.push({ what: `${s.name}: every response 2xx`, target: '0 failures', actual: `${s.non2xx} ${JSON.stringify(s.statusCodes)}`, met: false });
  }
  return targets;
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
