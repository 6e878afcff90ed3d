/**
 * `npm run bench:scale`: check, confirm and step-up latency as the confirmation and factor tables grow
 * (10^3, 10^5, 10^6 stored rows each, other users', bulk-loaded with set-based multi-row INSERTs in the
 * server), then `ConfirmerService.purgeExpired()` over the 10^6 expired rows: total
 * time, statements, and the slowest single statement (each one deletes at most
 * `purgeBatchSize` rows, so none holds its locks longer than one batch).
 *
 *   npm run bench:scale                                # SQLite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:scale
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench:scale       (MySQL 8 or MariaDB)
 *   npm run bench:scale -- --sizes=1000,100000 --duration=3 --sqlite-rollback
 */
import type { Request } from 'autocannon';
import { API, GUARD_HEADER, GUARDED_PATH, METHOD_CODE } from './lib/api.js';
import { createBenchDatabase } from './lib/database.js';
import { measure, type RoundFigures } from './lib/load.js';
import { benchAdapter, benchPort, numberOption, option } from './lib/options.js';
import { machine, writeResults } from './lib/report.js';
import { BenchServer } from './lib/server.js';
import { BenchSession } from './lib/setup.js';

const duration = numberOption('duration', 5);
const connections = numberOption('connections', 20);
const sizes = (option('sizes') ?? '1000,100000,1000000').split(',').map(Number);
const sqliteRollback = option('sqlite-rollback') === '1';

interface SizeFigures {
  rows: number;
  fillMs: number;
  floor: RoundFigures;
  check: RoundFigures;
  confirm: RoundFigures;
  /** The step-up route spending a proof on a factor (its statement reaches the factor by key). */
  guarded: RoundFigures;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  if (sqliteRollback && db.kind === 'sqlite') db.version += ', rollback journal, synchronous=FULL (--sqlite-rollback)';
  db.version += `, ${benchAdapter()}`;
  console.log(`bench:scale: ${db.version}; sizes ${sizes.join(', ')}; ${duration} s rounds, ${connections} connections`);
  const server = await BenchServer.start({
    databaseUrl: db.url,
    port: benchPort(),
    adapter: benchAdapter(),
    env: sqliteRollback ? { BENCH_SQLITE_ROLLBACK: '1' } : {},
  });
  try {
    const session = await BenchSession.open(server, connections);
    const { api, authorization, json, methodConfigId } = session;
    const checkIds = await session.pool(100, true);
    const figures: SizeFigures[] = [];
    let confirmRate = 200;
    let guardedRate = 200;
    let stored = Number((await api.expect(200, 'POST', '/bench/fill', { count: 0 })).total);
    for (const size of sizes) {
      const fill = await api.expect(200, 'POST', '/bench/fill', { count: Math.max(0, size - stored), expired: true, method_config_id: methodConfigId });
      stored = fill.total;
      console.log(`${size} rows: filled in ${(fill.ms / 1000).toFixed(1)} s (table holds ${stored})`);
      let i = 0;
      const floor = await measure(
        server,
        { name: 'floor', load: { duration, headers: { authorization }, requests: [{ method: 'GET', path: `/bench/floor?id=${methodConfigId}` }] } },
        connections,
        size,
      );
      const check = await measure(
        server,
        {
          name: 'check',
          load: {
            duration,
            headers: { authorization },
            requests: [{ method: 'GET', setupRequest: (r: Request) => ({ ...r, path: `${API}/confirmation/${checkIds[i++ % checkIds.length]}/check/` }) }],
          },
        },
        connections,
        size,
      );
      /** One round of `amount` requests, each spending one id of a pool built before timing (sized by the last round's rate). */
      const spending = async (name: string, rate: number, confirmed: boolean, request: (id: string) => Partial<Request>) => {
        const amount = Math.max(connections * 5, Math.ceil(rate * duration));
        const ids = await session.pool(amount + connections, confirmed);
        const requests = [{ method: 'POST' as const, setupRequest: (r: Request) => ({ ...r, ...request(ids.pop()!) }) }];
        return measure(server, { name, load: { amount, requests } }, connections, size);
      };
      const confirm = await spending('confirm', confirmRate, false, (id) => ({
        path: `${API}/confirmation/confirm/`,
        headers: json,
        body: JSON.stringify({ id, data: { code: METHOD_CODE } }),
      }));
      confirmRate = confirm.rps;
      const guarded = await spending('guarded', guardedRate, true, (id) => ({ path: GUARDED_PATH, headers: { ...json, [GUARD_HEADER]: id }, body: '{}' }));
      guardedRate = guarded.rps;
      figures.push({ rows: stored, fillMs: fill.ms, floor, check, confirm, guarded });
      console.log(
        `  check p50 ${check.p50} ms p99 ${check.p99} ms ${check.rps.toFixed(0)} req/s | confirm p50 ${confirm.p50} ms p99 ${confirm.p99} ms ${confirm.rps.toFixed(0)} req/s` +
          ` | step-up p50 ${guarded.p50} ms p99 ${guarded.p99} ms ${guarded.rps.toFixed(0)} req/s | floor ${floor.rps.toFixed(0)} req/s` +
          `${check.non2xx + confirm.non2xx + guarded.non2xx ? ` | NOT 2xx: ${JSON.stringify({ check: check.statusCodes, confirm: confirm.statusCodes, guarded: guarded.statusCodes })}` : ''}`,
      );
    }
    const spread = (pick: (f: SizeFigures) => number) => {
      const values = figures.map(pick);
      return Math.max(...values) / Math.min(...values);
    };
    const targets = [
      { what: 'check p50 latency, largest ÷ smallest over the sizes', target: '≤ 1.3', actual: spread((f) => f.check.p50) },
      { what: 'confirm p50 latency, largest ÷ smallest over the sizes', target: '≤ 1.3', actual: spread((f) => f.confirm.p50) },
      { what: 'check p50 latency ÷ floor p50, largest ÷ smallest', target: '≤ 1.3 (machine drift removed)', actual: spread((f) => f.check.p50 / f.floor.p50) },
      {
        what: 'confirm p50 latency ÷ floor p50, largest ÷ smallest',
        target: '≤ 1.3 (machine drift removed)',
        actual: spread((f) => f.confirm.p50 / f.floor.p50),
      },
      { what: 'step-up p50 latency, largest ÷ smallest over the sizes', target: '≤ 1.3', actual: spread((f) => f.guarded.p50) },
    ].map((t) => ({ ...t, met: t.actual <= 1.3 }));

    console.log('\nrows       check p50/p99 ms  check req/s  confirm p50/p99 ms  confirm req/s  step-up p50/p99 ms  step-up req/s  floor req/s');
    for (const f of figures) {
      console.log(
        `${String(f.rows).padEnd(9)}  ${`${f.check.p50}/${f.check.p99}`.padStart(16)}  ${f.check.rps.toFixed(0).padStart(11)}  ${`${f.confirm.p50}/${f.confirm.p99}`.padStart(18)}  ${f.confirm.rps.toFixed(0).padStart(13)}` +
          `  ${`${f.guarded.p50}/${f.guarded.p99}`.padStart(18)}  ${f.guarded.rps.toFixed(0).padStart(13)}  ${f.floor.rps.toFixed(0).padStart(11)}`,
      );
    }
    console.log('\ntargets');
    for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'}  ${t.what}: target ${t.target}, measured ${t.actual.toFixed(2)}`);

    // Purge: every filler row is expired; the bench's own confirmations are not.
    const purge = await api.expect(200, 'POST', '/bench/purge');
    if (!purge.available) {
      console.log('\npurgeExpired: not available (ConfirmerService has no purgeExpired())');
    } else {
      console.log(
        `\npurgeExpired over ${stored} stored rows (all but the bench's own are expired filler): ${(purge.ms / 1000).toFixed(1)} s, ${purge.statements} statements, ` +
          `${purge.result} confirmations deleted, ${purge.remaining} rows left; slowest single statement ${purge.slowestMs} ms` +
          `${purge.slowestSql ? ` (${purge.slowestSql.slice(0, 100)}…)` : ''}`,
      );
    }
    const file = writeResults('scale', db.kind, {
      when: new Date().toISOString(),
      machine: machine(db.version ?? db.kind),
      options: { duration, connections, sizes, sqliteRollback },
      figures,
      targets,
      purge,
    });
    console.log(`\nraw figures: ${file}`);
  } finally {
    await server.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
