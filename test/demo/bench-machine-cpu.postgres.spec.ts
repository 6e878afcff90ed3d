import pg from 'pg';
import { cpuBetween, readMachineCpu } from '../../bench/lib/machine-cpu.js';

/**
 * The bench's "DB CPU" and "machine" columns (bench/lib/machine-cpu.ts) decide whether a cell is limited
 * by the server process or by the machine (docs/operations/benchmarks.md), so they must count what the
 * database really spent: work PostgreSQL does for a query shows up, and SQLite (in-process) has none.
 */
describe('the bench reads the database server’s CPU from /proc', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it('counts the CPU a PostgreSQL backend spends on a query, and the machine as busy meanwhile', async () => {
    const before = readMachineCpu('postgres');
    const started = performance.now();
    // One backend counting 10^7 rows: CPU-bound work inside PostgreSQL, none in this process.
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('SELECT count(*) FROM generate_series(1, 10000000)');
    const wall = performance.now() - started;
    const { databaseMs, machineBusy } = cpuBetween(before, readMachineCpu('postgres'));
    expect(databaseMs).toBeGreaterThan(wall * 0.5);
    expect(machineBusy).toBeGreaterThan(0);
    expect(machineBusy).toBeLessThanOrEqual(1);
  });

  it('counts no database CPU on SQLite, which runs inside the server', () => {
    expect(readMachineCpu('sqlite').databaseMs).toBeUndefined();
  });
});
