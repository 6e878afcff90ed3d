import type { TelemetryAttributes } from './otel-api.js';

const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN)\s+["`]?([A-Za-z_][A-Za-z0-9_]*)/i;

/** The most distinct statement texts whose span is kept; the module writes a few dozen, so more is a host's own SQL. */
export const MAX_CACHED_STATEMENT_SPANS = 500;

type StatementSpan = { readonly name: string; readonly attributes: TelemetryAttributes };

/** Per system, by text: a statement's span never changes, and working it out (three regular expressions) costs more than the no-op span itself. */
const spansBySystem = new Map<string, Map<string, StatementSpan>>();

/**
 * A statement's span name and attributes: `UPDATE two_factor_confirmation`, the dialect and
 * the statement's text. The text has `?` placeholders only — the module never writes a value
 * into SQL — and the parameters are never recorded (they hold hashes, ids and states).
 */
export function statementSpan(sql: string, system: string): StatementSpan {
  let spans = spansBySystem.get(system);
  if (!spans) spansBySystem.set(system, (spans = new Map()));
  const known = spans.get(sql);
  if (known) return known;
  const verb = (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? 'SQL').toUpperCase();
  const table = TABLE.exec(sql)?.[1];
  const span: StatementSpan = {
    name: table ? `${verb} ${table}` : verb,
    attributes: {
      'db.system.name': system,
      'db.operation.name': verb,
      ...(table ? { 'db.collection.name': table } : {}),
      'db.query.text': sql.replace(/\s+/g, ' ').trim().slice(0, 2000),
    },
  };
  if (spans.size < MAX_CACHED_STATEMENT_SPANS) spans.set(sql, span);
  return span;
}
