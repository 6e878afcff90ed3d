import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Times are stored as epoch milliseconds in a BIGINT: the same representation on
 * every database, compared in SQL against a parameter without any driver's date
 * conversion in between. PostgreSQL hands BIGINT back as a string, hence the transformer.
 */
const epochMs: ValueTransformer = {
  to: (value: Date | number | null | undefined) => (value instanceof Date ? value.getTime() : (value ?? null)),
  from: (value: string | number | null) => (value === null || value === undefined ? null : new Date(Number(value))),
};

/** A BIGINT epoch-millisecond column mapped to a `Date`. */
export function timestampColumn(options: ColumnOptions = {}): ColumnOptions {
  return { type: 'bigint', transformer: epochMs, ...options };
}

/** JSON stored as text: portable across SQLite and PostgreSQL. */
export function jsonColumn(options: ColumnOptions = {}): ColumnOptions {
  return { type: 'simple-json', ...options };
}

/** Numbers kept in a BIGINT (PostgreSQL returns them as strings). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value ?? null,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
