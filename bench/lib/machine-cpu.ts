import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU outside the bench server, read from /proc (Linux): what the local database server's
 * processes spent, and how busy the whole machine was. The server's own CPU (`process.cpuUsage`)
 * leaves out the database's work; on PostgreSQL and MariaDB that is the other half of a request,
 * and on a 2-core machine it decides whether the server process or the machine is the limit.
 */
export interface MachineCpu {
  /** CPU ms of the database server's processes (`postgres`, `mariadbd`, `mysqld`) so far; undefined on SQLite and off Linux. */
  databaseMs?: number;
  /** Busy and total jiffies of all cores so far (`/proc/stat`'s first line); undefined off Linux. */
  busy?: number;
  total?: number;
}

/** The database kinds the bench runs against (BenchDatabase's). */
export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

/** Process names of each database server (SQLite runs inside the bench server: none). */
const DATABASE_PROCESSES: Record<DatabaseKind, ReadonlySet<string>> = {
  sqlite: new Set(),
  postgres: new Set(['postgres']),
  mysql: new Set(['mariadbd', 'mysqld']),
};

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of every live process named as `kind`'s server, in ms. */
function databaseMs(kind: DatabaseKind): number | undefined {
  const names = DATABASE_PROCESSES[kind];
  if (names.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // `pid (comm) state …`: comm may hold spaces, so split after its closing parenthesis.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (!names.has(stat.slice(open + 1, close))) continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
  }
  return (ticks * 1000) / clockTicks();
}

/** All cores' busy and total time from /proc/stat (idle and iowait count as not busy). */
function machine(): { busy: number; total: number } | undefined {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const values = cpu.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    return { busy: total - values[3] - (values[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** A reading now, for a run on `kind`; subtract two with `cpuBetween`. */
export function readMachineCpu(kind: DatabaseKind): MachineCpu {
  return { databaseMs: databaseMs(kind), ...machine() };
}

/** The database's CPU ms and the machine's busy share (0–1) between two readings. */
export function cpuBetween(before: MachineCpu, after: MachineCpu): { databaseMs?: number; machineBusy?: number } {
  const databaseDelta = before.databaseMs === undefined || after.databaseMs === undefined ? undefined : after.databaseMs - before.databaseMs;
  const total = (after.total ?? 0) - (before.total ?? 0);
  const machineBusy = total > 0 ? ((after.busy ?? 0) - (before.busy ?? 0)) / total : undefined;
  return { databaseMs: databaseDelta, machineBusy };
}
