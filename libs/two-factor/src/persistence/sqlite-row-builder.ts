/** Turns one row that better-sqlite3 answers as an array (raw mode) into the object it answers otherwise. */
export type RowBuilder = (values: unknown[]) => Record<string, unknown>;

/**
 * The builder of a statement's rows from its column names, or undefined for a `__proto__` column
 * (better-sqlite3 sets it as a property, which can change the row's prototype: not rebuilt here).
 * Two columns of one name keep the last value and the first position, as better-sqlite3's do.
 *
 * better-sqlite3 builds each row object through V8's API, one call per column, which for the
 * module's 20-column reads cost about half as much as running the statement. Raw mode answers an array
 * (one call), and a function compiled once per statement from its column names builds the
 * object as one literal of a fixed shape. Where a host forbids code from strings
 * (`--disallow-code-generation-from-strings`) the same object is built by a loop.
 */
export function rowBuilder(names: readonly string[], compile = true): RowBuilder | undefined {
  if (names.includes('__proto__')) return undefined;
  if (compile) {
    try {
      // The names are the statement's own column names, each written as a JSON string literal.
      return new Function('v', `return { ${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')} };`) as RowBuilder;
    } catch {
      // Code generation refused: the loop below.
    }
  }
  return (values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
    return row;
  };
}
