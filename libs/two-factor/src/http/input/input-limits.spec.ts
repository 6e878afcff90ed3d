import { ValidationFailedError } from '../../errors/request.errors.js';
import { assertWithinInputLimits, TWO_FACTOR_INPUT_LIMITS } from './input-limits.js';

/** A body `levels` objects deep: `{data: {a: {a: … 1}}}`. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 1; i < levels; i++) value = { a: value };
  return { data: value };
};

function refusal(value: unknown): string | undefined {
  try {
    assertWithinInputLimits(value);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).fields[0].message;
  }
}

describe('assertWithinInputLimits', () => {
  it('accepts ordinary bodies, surrogate pairs (emoji) included', () => {
    expect(refusal({ method_config_id: 1, config: { email: 'ann😀@example.com' }, title: 'x'.repeat(255) })).toBeUndefined();
  });

  it('refuses nesting one level past the limit, and 5,000 levels without overflowing the stack', () => {
    expect(refusal(nested(TWO_FACTOR_INPUT_LIMITS.maxDepth))).toBeUndefined();
    expect(refusal(nested(TWO_FACTOR_INPUT_LIMITS.maxDepth + 1))).toMatch(/nested deeper than 8 levels/);
    expect(refusal(JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`))).toMatch(/nested deeper/);
  });

  it('refuses too many values, long strings and long keys', () => {
    expect(refusal({ data: Array.from({ length: TWO_FACTOR_INPUT_LIMITS.maxNodes }, () => 0) })).toMatch(/more than 1000 values/);
    expect(refusal({ data: { code: 'x'.repeat(TWO_FACTOR_INPUT_LIMITS.maxStringLength + 1) } })).toMatch(/body\.data\.code is longer/);
    expect(refusal({ ['k'.repeat(TWO_FACTOR_INPUT_LIMITS.maxKeyLength + 1)]: 1 })).toMatch(/key longer/);
  });

  it('refuses lone surrogates in values and keys', () => {
    expect(refusal({ data: { email: '\udc00x@example.com' } })).toMatch(/body\.data\.email is not well-formed Unicode/);
    expect(refusal({ data: { ['a\ud800']: 1 } })).toMatch(/key that is not well-formed/);
  });

  it('refuses NUL in values and keys, and never echoes such a key', () => {
    expect(refusal({ title: 'a\u0000b' })).toBe('body.title must not contain a NUL character');
    expect(refusal({ data: { list: ['ok', '\u0000'] } })).toMatch(/body\.data\.list\.1 must not contain a NUL/);
    expect(refusal({ data: { ['k\u0000']: 1 } })).toBe('body.data has a key with a NUL character');
  });

  it('refuses prototype keys anywhere', () => {
    expect(refusal(JSON.parse('{"data":{"__proto__":{"x":1}}}'))).toMatch(/"__proto__" key/);
    expect(refusal({ config: { constructor: 1 } })).toMatch(/"constructor" key/);
  });
});
