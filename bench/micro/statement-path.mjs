// Provisional micro-measurement (issue 25 item 2): CPU per statement through the module's SqlRunner (TypeORM's
// query runner around the driver) against the driver alone (a cached better-sqlite3 statement; a named pg query on
// the pool). Needs `npm run build:lib`. Usage: node bench/micro/statement-path.mjs [iterations]; DATABASE_URL=postgres://… for PostgreSQL.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SqlRunner } from '../../libs/two-factor/dist/persistence/sql-runner.js';

const iterations = Number(process.argv[2] ?? 20_000);
const url = process.env.DATABASE_URL;
const counted = { n: 0 };
const logger = { logQuery: () => counted.n++, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
const ds = new DataSource(url ? { type: 'postgres', url, logger, logging: true } : { type: 'better-sqlite3', database: ':memory:', logger, logging: true });
await ds.initialize();
await ds.query('CREATE TABLE IF NOT EXISTS micro_t (id integer PRIMARY KEY, v integer NOT NULL)');
await ds.query('DELETE FROM micro_t');
await ds.query('INSERT INTO micro_t (id, v) VALUES (1, 0)');
const sql = new SqlRunner(ds, { preparedStatements: true });
const READ = 'SELECT id, v FROM micro_t WHERE id = ?';
const WRITE = 'UPDATE micro_t SET v = v + 1 WHERE id = ? RETURNING v';

let direct;
if (url) {
  const pool = ds.driver.master;
  direct = async (text, params, name) => (await pool.query({ name, text: text.replace(/\?/g, () => '$1'), values: params })).rows;
} else {
  const db = ds.driver.databaseConnection;
  const cache = new Map();
  direct = async (text, params) => {
    let stmt = cache.get(text);
    if (!stmt) cache.set(text, (stmt = db.prepare(text)));
    logger.logQuery(text, params);
    return stmt.reader ? stmt.all(...params) : (stmt.run(...params), []);
  };
}

async function cpuPer(run) {
  for (let i = 0; i < 500; i++) await run();
  const start = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / iterations, wall: ((performance.now() - t0) * 1000) / iterations };
}
const f = ({ cpu, wall }) => `${cpu.toFixed(1)} µs CPU (${wall.toFixed(1)} µs wall)`;
// The same SqlRunner with its statements sent through TypeORM's query (as before issue 25), for comparison.
const viaTypeorm = new SqlRunner(ds, { preparedStatements: false }); // on PostgreSQL: unnamed statements
Object.defineProperty(viaTypeorm, 'sqlite', { value: undefined });
for (const [label, text] of [
  ['primary-key SELECT', READ],
  ['UPDATE … RETURNING', WRITE],
]) {
  for (let k = 0; k < 3; k++) {
    const before = await cpuPer(() => viaTypeorm.rows(text, [1]));
    const after = await cpuPer(() => sql.rows(text, [1]));
    console.log(`${url ? 'PostgreSQL' : 'SQLite'} ${label}: SqlRunner through TypeORM's query ${f(before)}; SqlRunner as built ${f(after)}`);
  }
  const viaRunner = await cpuPer(() => sql.rows(text, [1]));
  const viaDriver = await cpuPer(() => direct(text, [1], `micro_${text === READ ? 'read' : 'write'}`));
  console.log(
    `${url ? 'PostgreSQL' : 'SQLite'} ${label}: SqlRunner (TypeORM) ${f(viaRunner)}, driver alone ${f(viaDriver)}; difference ${(viaRunner.cpu - viaDriver.cpu).toFixed(1)} µs CPU per statement`,
  );
}
console.log(`statements logged: ${counted.n}`);
await ds.destroy();
