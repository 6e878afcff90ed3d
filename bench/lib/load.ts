import autocannon, { type Options } from 'autocannon';
import type { BenchServer } from './server.js';
import { sleep } from './server.js';
import { cpuBetween, readMachineCpu, type MachineCpu } from './machine-cpu.js';

/** One timed round of one endpoint, with the server's own accounting over exactly that round. */
export interface RoundFigures {
  name: string;
  round: number;
  /** Completed requests per second (all statuses). */
  rps: number;
  /** For flows: completed flows per second (last step answered 2xx). */
  unitsPerSec?: number;
  p50: number;
  p99: number;
  /** Requests autocannon completed, and how many were not 2xx. */
  completed: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Requests the server received during the round (its own count). */
  serverRequests: number;
  cpuMsPerRequest: number;
  /** The kernel's share of that CPU (system time: syscalls, file and socket I/O). */
  cpuSystemShare: number;
  statementsPerRequest: number;
  /** PostgreSQL, MariaDB/MySQL: the database server's processes' CPU per request (not in `cpuMsPerRequest`). */
  databaseCpuMsPerRequest?: number;
  /** The whole machine's busy share over the round, 0–1 (server, database, the load generator, the rest). */
  machineBusy?: number;
  /** PostgreSQL: mean requests queued for a pool connection, and mean connections checked out, over the round (2 ms samples). */
  poolWaiting?: number;
  poolBusy?: number;
  /** The pool's maximum. */
  poolMax?: number;
  durationS: number;
}

export interface LoadSpec {
  name: string;
  /** autocannon options other than the URL and connections; `duration` or `amount`. */
  load: Omit<Options, 'url' | 'connections'>;
  /** For flows: how many completed units (read after the round). */
  units?: () => number;
}

/** Runs one autocannon round against the server and measures it from both sides. */
export async function measure(server: BenchServer, spec: LoadSpec, connections: number, round: number): Promise<RoundFigures> {
  const before = await server.stats();
  const machineBefore = readMachineCpu(server.databaseKind);
  const started = performance.now();
  let lastResponse = started;
  let responses = 0;
  // An `amount` run ends at its last response, up to a second before autocannon notices (below):
  // the machine is read right then, or that idle second would count against its busy share.
  let machineAtEnd: MachineCpu | undefined;
  const instance = autocannon({ url: server.base, connections, timeout: 30, ...spec.load });
  instance.on('response', () => {
    lastResponse = performance.now();
    if (++responses === spec.load.amount) machineAtEnd = readMachineCpu(server.databaseKind);
  });
  const result = await instance;
  await sleep(50); // let the last responses' work finish before reading the counters
  const machineAfter = machineAtEnd ?? readMachineCpu(server.databaseKind);
  const after = await server.stats();
  // `after` counts the stats request that read it.
  const serverRequests = Math.max(1, after.requests - before.requests - 1);
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  const systemMs = (after.cpu.system - before.cpu.system) / 1000;
  const poolSamples = after.pool.samples - before.pool.samples;
  const outside = cpuBetween(machineBefore, machineAfter);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  const completed = result.requests.total;
  // From the start to the last response: autocannon notices the end of an `amount` run only
  // at its next 1-second sample, so its own duration can be up to a second too long.
  const durationS = (lastResponse - started) / 1000 || result.duration;
  return {
    name: spec.name,
    round,
    rps: completed / durationS,
    unitsPerSec: spec.units ? spec.units() / durationS : undefined,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    serverRequests,
    cpuMsPerRequest: cpuMs / serverRequests,
    cpuSystemShare: cpuMs > 0 ? systemMs / cpuMs : 0,
    statementsPerRequest: (after.statements - before.statements) / serverRequests,
    ...(outside.databaseMs === undefined ? {} : { databaseCpuMsPerRequest: outside.databaseMs / serverRequests }),
    ...(outside.machineBusy === undefined ? {} : { machineBusy: outside.machineBusy }),
    ...(poolSamples > 0
      ? {
          poolWaiting: (after.pool.waiting - before.pool.waiting) / poolSamples,
          poolBusy: (after.pool.busy - before.pool.busy) / poolSamples,
          poolMax: after.pool.max,
        }
      : {}),
    durationS,
  };
}
