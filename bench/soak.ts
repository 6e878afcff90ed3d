/**
 * `npm run bench:soak`: runs full flows (request → confirm → guarded action, one
 * factor per connection) and reports the server's RSS and heap after a warm-up
 * and at the end, both read after a full GC (the server runs with --expose-gc),
 * plus samples taken during the run. Target: growth under 10%.
 *
 *   npm run bench:soak                                 # 10^5 flows on SQLite
 *   npm run bench:soak -- --flows=10000 --sqlite-rollback
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:soak
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench:soak       (MySQL 8 or MariaDB)
 */
import autocannon from 'autocannon';
import { createBenchDatabase } from './lib/database.js';
import { benchAdapter, benchPort, numberOption, option } from './lib/options.js';
import { machine, writeResults } from './lib/report.js';
import { BenchServer, sleep } from './lib/server.js';
import { BenchSession } from './lib/setup.js';

const flows = numberOption('flows', 100_000);
const warmupFlows = numberOption('warmup-flows', 1_000);
const connections = numberOption('connections', 20);
const sqliteRollback = option('sqlite-rollback') === '1';

const MiB = 2 ** 20;

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  if (sqliteRollback && db.kind === 'sqlite') db.version += ', rollback journal, synchronous=FULL (--sqlite-rollback)';
  db.version += `, ${benchAdapter()}`;
  console.log(`bench:soak: ${db.version}; ${flows} flows after ${warmupFlows} warm-up flows, ${connections} connections`);
  const server = await BenchServer.start({
    databaseUrl: db.url,
    port: benchPort(),
    adapter: benchAdapter(),
    nodeFlags: ['--expose-gc'],
    env: sqliteRollback ? { BENCH_SQLITE_ROLLBACK: '1' } : {},
  });
  try {
    const session = await BenchSession.open(server, connections);
    const guard = await session.probeGuardedRoute();
    const steps = guard.available ? 3 : 2;
    let ok = 0;
    let failed = 0;
    const done = (status: number) => (status >= 200 && status < 300 ? ok++ : failed++);
    const run = (count: number) =>
      autocannon({
        url: server.base,
        connections,
        // Whole flows per connection.
        amount: Math.ceil(count / connections) * connections * steps,
        timeout: 30,
        setupClient: session.perClient((factor) => session.flow(factor, guard.available, done)),
      });

    await run(warmupFlows);
    const start = await server.stats(true);
    console.log(
      `after warm-up: rss ${(start.memory.rss / MiB).toFixed(1)} MiB, heap used ${(start.memory.heapUsed / MiB).toFixed(1)} MiB (after GC: ${start.gc})`,
    );
    ok = 0;
    failed = 0;
    const samples: Array<{ s: number; flows: number; rssMiB: number; heapUsedMiB: number }> = [];
    const began = Date.now();
    let sampling = true;
    const sampler = (async () => {
      for (let tick = 1; sampling; tick++) {
        await sleep(500);
        if (!sampling) break;
        if (tick % 20 !== 0) continue; // a sample every 10 s
        const stats = await server.stats();
        samples.push({ s: Math.round((Date.now() - began) / 1000), flows: ok, rssMiB: stats.memory.rss / MiB, heapUsedMiB: stats.memory.heapUsed / MiB });
        console.log(
          `  ${samples.at(-1)!.s} s: ${ok} flows, rss ${samples.at(-1)!.rssMiB.toFixed(1)} MiB, heap used ${samples.at(-1)!.heapUsedMiB.toFixed(1)} MiB`,
        );
      }
    })();
    const result = await run(flows);
    const seconds = (Date.now() - began) / 1000;
    sampling = false;
    await sampler;
    await sleep(200);
    const end = await server.stats(true);
    const growth = (a: number, b: number) => ((b - a) / a) * 100;
    const rssGrowth = growth(start.memory.rss, end.memory.rss);
    const heapGrowth = growth(start.memory.heapUsed, end.memory.heapUsed);
    console.log(
      `\n${ok} flows completed (${failed} failed) in ${seconds.toFixed(0)} s: ${(ok / seconds).toFixed(0)} flows/s; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms per request`,
    );
    console.log(
      `rss       start ${(start.memory.rss / MiB).toFixed(1)} MiB  end ${(end.memory.rss / MiB).toFixed(1)} MiB  growth ${rssGrowth.toFixed(1)}%  ${rssGrowth < 10 ? 'met' : 'MISSED'} (target < 10%)`,
    );
    console.log(
      `heap used start ${(start.memory.heapUsed / MiB).toFixed(1)} MiB  end ${(end.memory.heapUsed / MiB).toFixed(1)} MiB  growth ${heapGrowth.toFixed(1)}%  ${heapGrowth < 10 ? 'met' : 'MISSED'} (target < 10%)`,
    );
    const file = writeResults('soak', db.kind, {
      when: new Date().toISOString(),
      machine: machine(db.version ?? db.kind),
      options: { flows, warmupFlows, connections, sqliteRollback },
      guardedRoute: guard,
      flowsCompleted: ok,
      flowsFailed: failed,
      seconds,
      latency: { p50: result.latency.p50, p99: result.latency.p99 },
      start: start.memory,
      end: end.memory,
      growthPercent: { rss: rssGrowth, heapUsed: heapGrowth },
      samples,
    });
    console.log(`raw figures: ${file}`);
  } finally {
    await server.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
