import { ValidationFailedError } from '../errors/request.errors.js';
import { DummyGlobalConfigDto, DummyUserConfigDto } from '../methods/dummy/dummy.dto.js';
import { validateDto } from './validate-dto.js';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).fields.map((field) => field.field);
  }
  throw new Error('expected a ValidationFailedError');
}

describe('validateDto', () => {
  it('returns an instance of the DTO with its defaults', () => {
    const config = validateDto(DummyGlobalConfigDto, {}, 'config');
    expect(config).toBeInstanceOf(DummyGlobalConfigDto);
    expect(config.code).toBe('dummy-method');
  });

  it('names each bad field under the prefix', () => {
    expect(fieldsOf(() => validateDto(DummyUserConfigDto, { code: 5 }, 'config'))).toEqual(['config.code', 'config.code']);
    expect(fieldsOf(() => validateDto(DummyUserConfigDto, { code: 'x', extra: 1 }, 'config'))).toEqual(['config.extra']);
  });

  it('refuses what is not a plain object', () => {
    for (const value of [null, 'x', 3, ['code']]) expect(fieldsOf(() => validateDto(DummyUserConfigDto, value, 'config'))).toEqual(['config']);
  });
});
