import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RoundFigures } from './load.js';

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  database: string;
}

export function machine(database: string): Machine {
  let cores = cpus().length;
  try {
    cores = Number(execSync('nproc', { encoding: 'utf8' }).trim()) || cores;
  } catch {
    // no nproc: keep os.cpus()
  }
  return {
    cores,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    database,
  };
}

/** An endpoint over all its rounds, with the floor rounds that ran just before each of them. */
export interface Summary {
  name: string;
  label: string;
  available: boolean;
  note?: string;
  rounds: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  unitsPerSec?: number;
  /** Median over rounds of (this round's req/s ÷ the floor round just before it); flows use flows/s. */
  ratio?: number;
  ratioMin?: number;
  ratioMax?: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  cpuSystemShare: number;
  statementsPerRequest: number;
  /** Median over rounds: the database server's CPU per request (not SQLite), and the machine's busy share (RoundFigures). */
  databaseCpuMsPerRequest?: number;
  machineBusy?: number;
  /** PostgreSQL: median over rounds of the mean requests queued for a pool connection, and of the connections in use. */
  poolWaiting?: number;
  poolBusy?: number;
  poolMax?: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export function summarize(name: string, label: string, rounds: RoundFigures[], floors: RoundFigures[], unitsForRatio = false): Summary {
  const rps = rounds.map((r) => r.rps);
  const ratios = rounds.map((r, i) => (unitsForRatio ? (r.unitsPerSec ?? 0) : r.rps) / floors[i].rps);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    name,
    label,
    available: true,
    rounds: rounds.length,
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    unitsPerSec: rounds[0]?.unitsPerSec === undefined ? undefined : median(rounds.map((r) => r.unitsPerSec!)),
    ratio: name === 'floor' ? 1 : median(ratios),
    ratioMin: name === 'floor' ? 1 : Math.min(...ratios),
    ratioMax: name === 'floor' ? 1 : Math.max(...ratios),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuMsPerRequest: median(rounds.map((r) => r.cpuMsPerRequest)),
    cpuSystemShare: median(rounds.map((r) => r.cpuSystemShare)),
    statementsPerRequest: median(rounds.map((r) => r.statementsPerRequest)),
    ...(rounds[0]?.databaseCpuMsPerRequest === undefined ? {} : { databaseCpuMsPerRequest: median(rounds.map((r) => r.databaseCpuMsPerRequest ?? 0)) }),
    ...(rounds[0]?.machineBusy === undefined ? {} : { machineBusy: median(rounds.map((r) => r.machineBusy ?? 0)) }),
    ...(rounds[0]?.poolWaiting === undefined
      ? {}
      : {
          poolWaiting: median(rounds.map((r) => r.poolWaiting ?? 0)),
          poolBusy: median(rounds.map((r) => r.poolBusy ?? 0)),
          poolMax: rounds[0].poolMax,
        }),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    statusCodes,
  };
}

export interface Target {
  what: string;
  target: string;
  actual: string;
  met: boolean | null;
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

/** The readable table printed on stdout. */
export function table(summaries: Summary[]): string {
  const header = [
    'endpoint',
    'req/s (median)',
    'min–max',
    'vs floor',
    'p50 ms',
    'p99 ms',
    'CPU ms/req',
    'DB CPU',
    'machine',
    'SQL/req',
    'pool busy/wait',
    'non-2xx',
  ];
  const rows = summaries.map((s) =>
    s.available
      ? [
          s.label,
          s.unitsPerSec === undefined ? fmt(s.rps) : `${fmt(s.rps)} (${fmt(s.unitsPerSec)} flows/s)`,
          `${fmt(s.rpsMin)}–${fmt(s.rpsMax)}`,
          s.name === 'floor' ? '1.00' : `${fmt(s.ratio, 2)}${s.ratioMin !== undefined ? ` (${fmt(s.ratioMin, 2)}–${fmt(s.ratioMax, 2)})` : ''}`,
          fmt(s.p50, 1),
          fmt(s.p99, 1),
          fmt(s.cpuMsPerRequest, 3),
          fmt(s.databaseCpuMsPerRequest, 3),
          s.machineBusy === undefined ? '–' : `${fmt(s.machineBusy * 100)}%`,
          fmt(s.statementsPerRequest, 2),
          s.poolWaiting === undefined ? '–' : `${fmt(s.poolBusy, 1)}/${s.poolMax} ${fmt(s.poolWaiting, 1)}`,
          s.non2xx ? `${s.non2xx} ${JSON.stringify(nonOk(s.statusCodes))}` : '0',
        ]
      : [s.label, `not available${s.note ? `: ${s.note}` : ''}`, ...header.slice(2).map(() => '')],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i].length > 60 && i === 1 ? 0 : r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function nonOk(codes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(codes).filter(([code]) => !code.startsWith('2')));
}

export function targetLines(targets: Target[]): string {
  return targets.map((t) => `${t.met === null ? 'n/a   ' : t.met ? 'met   ' : 'MISSED'}  ${t.what}: target ${t.target}, measured ${t.actual}`).join('\n');
}

/** Writes the raw figures to bench/results/<name>-<db>-<time>.json and returns the path. */
export function writeResults(name: string, kind: string, data: unknown): string {
  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
