import { DummyBackend } from '../methods/dummy/dummy.backend.js';
import { DUMMY_METHOD } from '../methods/dummy/dummy.method.js';
import { defineMethod } from './method-descriptor.js';
import { MethodRegistry } from './method-registry.js';

describe('MethodRegistry', () => {
  it('keeps methods by key in registration order', () => {
    const other = defineMethod({ key: 'other', verboseName: 'Other', backend: DummyBackend });
    const registry = new MethodRegistry([DUMMY_METHOD, other]);
    expect(registry.keys()).toEqual(['dummy', 'other']);
    expect(registry.get('other')).toBe(other);
    expect(registry.has('missing')).toBe(false);
  });

  it('refuses a duplicate key, naming it', () => {
    const registry = new MethodRegistry([DUMMY_METHOD]);
    expect(() => registry.register({ ...DUMMY_METHOD })).toThrow('Duplicate method key "dummy"');
  });

  it('refuses a descriptor without a key or with a backend that is not a TwoFactorBackend', () => {
    const registry = new MethodRegistry();
    expect(() => registry.register({ ...DUMMY_METHOD, key: '' })).toThrow(/non-empty string `key`/);
    expect(() => registry.register({ ...DUMMY_METHOD, key: 'x', backend: class {} as never })).toThrow(/must be a class extending TwoFactorBackend/);
  });
});

describe('defineMethod', () => {
  it('generates JSON schemas from the DTO classes', () => {
    expect(DUMMY_METHOD.userConfigSchema).toMatchObject({
      type: 'object',
      required: ['code'],
      properties: { code: { type: 'string', minLength: 1, maxLength: 128 } },
    });
    expect(DUMMY_METHOD.globalConfigSchema).toMatchObject({ properties: { code: { type: 'string' } } });
  });

  it('keeps schemas given by hand, and gives an empty object schema without a DTO', () => {
    const schema = { type: 'object', properties: { phone: { type: 'string' } } };
    const method = defineMethod({ key: 'x', verboseName: 'X', backend: DummyBackend, userConfigSchema: schema });
    expect(method.userConfigSchema).toBe(schema);
    expect(method.globalConfigSchema).toEqual({ type: 'object', properties: {} });
  });
});
