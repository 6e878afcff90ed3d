import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** How PgBouncer hands out server connections (`pool_mode`). */
export type PoolMode = 'session' | 'transaction';

export interface PgBouncerSettings {
  pool_mode: PoolMode;
  /** Server connections per database and user (`default_pool_size`). */
  default_pool_size: number;
  /** Protocol-level named prepared statements kept per server connection (`max_prepared_statements`, PgBouncer 1.21+; 0: off). */
  max_prepared_statements?: number;
}

/** Where Debian's package puts the binary (`/usr/sbin` is not on every user's PATH). */
const CANDIDATES = [process.env.PGBOUNCER, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];

/** The PgBouncer binary, or undefined when none is installed. */
export function pgBouncerBinary(): string | undefined {
  for (const candidate of CANDIDATES) if (candidate && existsSync(candidate)) return candidate;
  const found = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

/** The installed PgBouncer's version as [major, minor, patch], or undefined when none is installed. */
export function pgBouncerVersion(): [number, number, number] | undefined {
  const binary = pgBouncerBinary();
  if (!binary) return undefined;
  const match = /PgBouncer (\d+)\.(\d+)\.(\d+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** PgBouncer 1.21 added protocol-level named prepared statements in transaction mode (`max_prepared_statements`). */
export function keepsPreparedStatementsInTransactionMode(version = pgBouncerVersion()): boolean {
  return version !== undefined && (version[0] > 1 || (version[0] === 1 && version[1] >= 21));
}

/**
 * A PgBouncer of the test's own, in front of TEST_DATABASE_URL's server: its own
 * free port on 127.0.0.1, its own config and auth file in a temp directory, in the
 * foreground as a child of the test (stopped by `stop`). No unix socket, no pid or
 * log file: nothing outside its temp directory. Clients log in without a password
 * (`auth_type = trust`, as the test server does); PgBouncer logs in to PostgreSQL
 * as the user of TEST_DATABASE_URL. Run as root, it drops to `postgres` (or
 * `nobody`): PgBouncer refuses to run as root.
 */
export class PgBouncer {
  private child?: ChildProcess;
  private dir?: string;
  private output = '';
  port = 0;

  constructor(private readonly settings: PgBouncerSettings) {}

  /** Starts PgBouncer and waits until it answers a query for `databaseUrl`'s database. */
  async start(databaseUrl: string): Promise<this> {
    const binary = pgBouncerBinary();
    if (!binary) throw new Error("PgBouncer is not installed: install Debian's pgbouncer (apt-get install pgbouncer), or set PGBOUNCER to its binary");
    const server = new URL(databaseUrl);
    const user = decodeURIComponent(server.username) || 'postgres';
    this.port = await freePort();
    this.dir = mkdtempSync(join(tmpdir(), 'tf-pgbouncer-'));
    // PgBouncer may read its files after dropping root.
    chmodSync(this.dir, 0o755);
    const auth = join(this.dir, 'userlist.txt');
    writeFileSync(auth, `"${user}" ""\n`, { mode: 0o644 });
    const { pool_mode, default_pool_size, max_prepared_statements } = this.settings;
    const lines = [
      '[databases]',
      // Any database name a client asks for, on TEST_DATABASE_URL's server, as its user.
      `* = host=${server.hostname} port=${server.port || 5432} user=${user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${this.port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${auth}`,
      `pool_mode = ${pool_mode}`,
      `default_pool_size = ${default_pool_size}`,
      'max_client_conn = 500',
      ...(max_prepared_statements === undefined ? [] : [`max_prepared_statements = ${max_prepared_statements}`]),
      ...(process.getuid?.() === 0 ? [`user = ${systemUser('postgres') ? 'postgres' : 'nobody'}`] : []),
    ];
    const ini = join(this.dir, 'pgbouncer.ini');
    writeFileSync(ini, `${lines.join('\n')}\n`, { mode: 0o644 });
    const child = spawn(binary, [ini], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // A test run that ends without `stop` (a crash, an interrupt) leaves no PgBouncer behind.
    const orphaned = () => child.kill('SIGKILL');
    process.once('exit', orphaned);
    child.once('exit', () => process.off('exit', orphaned));
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`PgBouncer exited (${code ?? signal}) at start:\n${this.output}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([this.answered(databaseUrl), exited]);
    return this;
  }

  /** `databaseUrl` (a database on TEST_DATABASE_URL's server), reached through this PgBouncer. */
  via(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGINT: "safe shutdown" would wait for clients; SIGTERM closes at once.
      child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private async answered(databaseUrl: string): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new pg.Client({ connectionString: this.via(databaseUrl) });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        last = error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(`PgBouncer did not answer on port ${this.port}: ${(last as Error)?.message}\n${this.output}`);
  }
}

/** A TCP port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function systemUser(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}
