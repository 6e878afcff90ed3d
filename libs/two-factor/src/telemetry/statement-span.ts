import type { TelemetryAttributes } from './otel-api.js';

const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN)\s+["`]?([A-Za-z_][A-Za-z0-9_]*)/i;

/**
 * A statement's span name and attributes: `UPDATE two_factor_confirmation`, the dialect and
 * the statement's text. The text has `?` placeholders only — the module never writes a value
 * into SQL — and the parameters are never recorded (they hold hashes, ids and states).
 */
export function statementSpan(sql: string, system: string): { name: string; attributes: TelemetryAttributes } {
  const verb = (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? 'SQL').toUpperCase();
  const table = TABLE.exec(sql)?.[1];
  return {
    name: table ? `${verb} ${table}` : verb,
    attributes: {
      'db.system.name': system,
      'db.operation.name': verb,
      ...(table ? { 'db.collection.name': table } : {}),
      'db.query.text': sql.replace(/\s+/g, ' ').trim().slice(0, 2000),
    },
  };
}
