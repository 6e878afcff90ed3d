import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchStats } from '../server/bench.controller.js';
import type { BenchAdapter } from './options.js';
import type { DatabaseKind } from './machine-cpu.js';
import type { CpuProfile } from './profile.js';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

export interface ServerOptions {
  databaseUrl: string;
  port: number;
  /** The demo's HTTP platform (HTTP_ADAPTER); express unless given. */
  adapter?: BenchAdapter;
  /** Write a V8 CPU profile of the server into this directory (node --cpu-prof). */
  profileDir?: string;
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

/** The bench server (the demo behind the bench's routes, bench/server/), running as its own process from the compiled output. */
export class BenchServer {
  readonly base: string;
  /** The database the server runs on, by its URL (the processes whose CPU the rounds read: machine-cpu.ts). */
  readonly databaseKind: DatabaseKind;
  private exited: Promise<number | null>;
  private output = '';
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    port: number,
    databaseUrl: string,
  ) {
    this.base = `http://127.0.0.1:${port}`;
    this.databaseKind = /^postgres(ql)?:/.test(databaseUrl) ? 'postgres' : /^(mysql|mariadb):/.test(databaseUrl) ? 'mysql' : 'sqlite';
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A server that dies mid-run would otherwise show only as a failed fetch in the bench.
    child.once('exit', (code, signal) => {
      if (!this.stopping) console.error(`bench: the bench server exited unexpectedly (${code ?? signal}):\n${this.output}`);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts `node dist/bench/server/main.js` with NODE_ENV=production, and waits for /health. */
  static async start(options: ServerOptions): Promise<BenchServer> {
    const flags = [...(options.nodeFlags ?? [])];
    if (options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      flags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
    }
    // dist/bench/lib/server.js → dist/bench/server/main.js, wherever the bench is started from.
    const main = fileURLToPath(new URL('../server/main.js', import.meta.url));
    const child = spawn(process.execPath, [...flags, main], {
      env: {
        ...process.env,
        // Off unless the run asks (bench/run.ts --telemetry=on): numbers stay comparable with earlier runs.
        TELEMETRY: 'off',
        ...options.env,
        NODE_ENV: 'production',
        PORT: String(options.port),
        DATABASE_URL: options.databaseUrl,
        // Set, never inherited: the floor and the endpoints must run on the platform the report names.
        HTTP_ADAPTER: options.adapter ?? 'express',
        TWO_FACTOR_SECRET: BENCH_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new BenchServer(child, options.port, options.databaseUrl);
    await server.waitForHealth();
    const running = (await server.stats()).httpAdapter;
    if (running !== (options.adapter ?? 'express')) {
      await server.stop();
      throw new Error(`the bench server runs on ${running}, not on ${options.adapter ?? 'express'}`);
    }
    return server;
  }

  private async waitForHealth(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code ?? -1));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`the bench server exited (${exitCode}) before it was healthy:\n${this.output}`);
      try {
        const response = await fetch(`${this.base}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`the bench server was not healthy within ${timeoutMs} ms:\n${this.output}`);
  }

  /** The server's own CPU, statement, request and memory counters (`gc`: collect garbage first). */
  async stats(gc = false): Promise<BenchStats> {
    const response = await fetch(`${this.base}/bench/stats${gc ? '?gc=1' : ''}`);
    if (!response.ok) throw new Error(`GET /bench/stats answered ${response.status}`);
    return (await response.json()) as BenchStats;
  }

  /** Starts the server's in-process CPU profiler (bench route; V8's sampling profiler, as `--cpu-prof`). */
  async startProfile(): Promise<void> {
    const response = await fetch(`${this.base}/bench/profile/start`, { method: 'POST' });
    if (!response.ok) throw new Error(`POST /bench/profile/start answered ${response.status}`);
  }

  /** Stops the profiler and returns the `.cpuprofile` object. */
  async stopProfile(): Promise<CpuProfile> {
    const response = await fetch(`${this.base}/bench/profile/stop`, { method: 'POST' });
    if (!response.ok) throw new Error(`POST /bench/profile/stop answered ${response.status}`);
    return (await response.json()) as CpuProfile;
  }

  /** Stops the server; with a profile, through /bench/exit so that V8 writes it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null) return;
    try {
      await fetch(`${this.base}/bench/exit`, { method: 'POST' });
    } catch {
      this.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
