import { MAX_CACHED_STATEMENT_SPANS, statementSpan } from './statement-span.js';

describe('statementSpan', () => {
  it('names the span by verb and table and keeps the text without its line breaks', () => {
    const span = statementSpan('UPDATE two_factor_confirmation\n    SET status = ? WHERE id = ?', 'sqlite');
    expect(span).toEqual({
      name: 'UPDATE two_factor_confirmation',
      attributes: {
        'db.system.name': 'sqlite',
        'db.operation.name': 'UPDATE',
        'db.collection.name': 'two_factor_confirmation',
        'db.query.text': 'UPDATE two_factor_confirmation SET status = ? WHERE id = ?',
      },
    });
  });

  it('works a text out once per system: the same text gives the same span object, another system its own', () => {
    const text = 'SELECT id FROM two_factor_method_config WHERE id = ?';
    expect(statementSpan(text, 'postgresql')).toBe(statementSpan(`${'SELECT id FROM'} two_factor_method_config WHERE id = ?`, 'postgresql'));
    expect(statementSpan(text, 'mysql').attributes['db.system.name']).toBe('mysql');
  });

  it('keeps at most MAX_CACHED_STATEMENT_SPANS texts per system: later texts are worked out each time (bounded memory)', () => {
    for (let i = 0; i < MAX_CACHED_STATEMENT_SPANS; i += 1) statementSpan(`SELECT ${i} FROM host_table`, 'bounded');
    const late = 'SELECT late FROM host_table';
    expect(statementSpan(late, 'bounded')).not.toBe(statementSpan(late, 'bounded'));
    expect(statementSpan(late, 'bounded')).toEqual(statementSpan(late, 'bounded'));
  });
});
