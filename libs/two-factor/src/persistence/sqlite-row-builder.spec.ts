import Database from 'better-sqlite3';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { rowBuilder } from './sqlite-row-builder.js';
import { SqlRunner } from './sql-runner.js';

/** A column alias as SQLite reads it: any text but NUL, quoted. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** Keys and values in order: what a JSON answer and a deep equality both depend on. */
const entries = (row: unknown) => Object.entries(row as Record<string, unknown>);

const columnName = fc.oneof(
  fc.string({ maxLength: 12 }).filter((name) => !name.includes('\0')),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', '1', '10', '-1', 'a b', 'é', '"', "'", '\\', '${x}', '`'),
);
// A BLOB comes back as a Buffer: an object, the one kind of value a `__proto__` key could turn into a prototype.
const columnValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)),
);

describe('rowBuilder: a raw row becomes the object better-sqlite3 answers without raw mode', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());

  it.each([true, false])('for any column names and values (compiled: %s), names twice included, or it declines for __proto__', (compile) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(columnName, columnValue), { minLength: 1, maxLength: 8 }), (columns) => {
        const text = `SELECT ${columns.map(([name]) => `? AS ${quoted(name)}`).join(', ')}`;
        const values = columns.map(([, value]) => value);
        const asObject = db.prepare(text).get(values);
        const statement = db.prepare(text).raw(true);
        const names = statement.columns().map((column) => column.name);
        const toRow = rowBuilder(names, compile);
        // It may decline only for a `__proto__` column (there it must: a Buffer would become the prototype).
        if (!toRow) return expect(names).toContain('__proto__');
        const built = toRow!(statement.get(values) as unknown[]);
        expect(entries(built)).toEqual(entries(asObject));
        expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
      }),
      { numRuns: 300 },
    );
  });
  it('where code generation is refused (--disallow-code-generation-from-strings), builds the same rows by a loop', () => {
    const statement = db.prepare('SELECT 1 AS id, ? AS name, NULL AS details').raw(true);
    const names = statement.columns().map((column) => column.name);
    const realFunction = globalThis.Function;
    let toRow: ReturnType<typeof rowBuilder>;
    // What `new Function` does in such a process: an EvalError.
    globalThis.Function = function refused() {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    try {
      toRow = rowBuilder(names);
    } finally {
      globalThis.Function = realFunction;
    }
    expect(entries(toRow!(statement.get(['x']) as unknown[]))).toEqual([
      ['id', 1],
      ['name', 'x'],
      ['details', null],
    ]);
  });
});

describe('SqliteStatements through SqlRunner: rows as TypeORM answers them', () => {
  let ds: DataSource;
  let sql: SqlRunner;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    sql = new SqlRunner(ds, { preparedStatements: true });
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, at INTEGER, flag INTEGER)');
    await ds.query(`INSERT INTO t VALUES (1, 'a', 1765000000000, 1), (2, NULL, 0, 0)`);
  });
  afterAll(() => ds.destroy());

  it('every column, in order, for one row, several rows and none, run twice (prepared once)', async () => {
    for (const [text, params] of [
      ['SELECT id, name, at, flag FROM t WHERE id = ?', [1]],
      ['SELECT * FROM t ORDER BY id', []],
      ['SELECT id, name FROM t WHERE flag = ?', [true]],
      ['SELECT id FROM t WHERE id = ?', [3]],
    ] as const) {
      const expected = (
        await ds.query(
          text,
          params.map((value) => (value === true ? 1 : value)),
        )
      ).map(entries);
      expect((await sql.rows(text, [...params])).map(entries)).toEqual(expected);
      expect((await sql.rows(text, [...params])).map(entries)).toEqual(expected);
    }
  });

  it('a statement with two columns of one name answers as without raw mode (the last one)', async () => {
    expect((await sql.rows('SELECT 1 AS a, 2 AS a', [])).map(entries)).toEqual([[['a', 2]]]);
  });

  it('a write answers no rows and writes', async () => {
    expect(await sql.rows('UPDATE t SET name = ? WHERE id = ?', ['b', 2])).toEqual([]);
    expect(await ds.query('SELECT name FROM t WHERE id = 2')).toEqual([{ name: 'b' }]);
  });
});
