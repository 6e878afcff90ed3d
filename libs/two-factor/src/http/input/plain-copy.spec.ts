import { Exclude, Expose, plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import '../../index.js';
import '../../methods/index.js';
import '../admin/admin-request.dto.js';
import '../../method-api/sent-code.dto.js';
import { ConfirmConfirmationDto, RequestConfirmationDto } from '../user/dto/request-bodies.dto.js';
import { SearchConfirmationsQueryDto } from '../admin/admin-request.dto.js';
import { SmsGlobalConfigDto } from '../../methods/sms/sms.dto.js';
import { plainCopy } from './plain-copy.js';

type Dto = new () => object;

/** No DTO of the module reshapes its keys today; a host's method DTO may. */
class Renamed {
  @Expose({ name: 'display_name' })
  name?: string;
}
class WithHidden {
  @Exclude()
  hidden?: string;
}

/** Every class class-validator holds rules for: a new DTO of the module is covered without being named here. */
const DTOS: Dto[] = [...(getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas.keys()].filter(
  (target): target is Dto => typeof target === 'function',
);
const propertiesOf = (dto: Dto): string[] => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', false, false)
      .map((m) => m.propertyName),
  ),
];

/** What the pipe's fast path used before: class-transformer itself, with the pipe's options. */
const reference = (dto: Dto, body: object) => plainToInstance(dto, body, { enableImplicitConversion: false });

const primitive = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const nestedKey = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('toString', 'constructor', '__proto__', 'hasOwnProperty', 'code'));
const { anyJson } = fc.letrec((tie) => ({
  anyJson: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    fc.array(tie('anyJson'), { maxLength: 3 }),
    fc.dictionary(nestedKey, tie('anyJson'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));
/** Bodies of `dto`'s own properties, and now and then a key it inherits or does not know. */
function bodyOf(dto: Dto): fc.Arbitrary<Record<string, unknown>> {
  const keys = fc.constantFrom(...propertiesOf(dto), 'unknown', 'toString', 'valueOf', 'constructor', 'hasOwnProperty');
  return fc.dictionary(keys, fc.oneof({ arbitrary: primitive, weight: 4 }, { arbitrary: anyJson, weight: 1 }), { maxKeys: 5 });
}

describe('plainCopy: class-transformer’s answer for a flat body, without class-transformer', () => {
  describe.each(DTOS.map((dto) => [dto.name, dto] as const))('%s', (_name, dto) => {
    it('copies exactly what class-transformer makes of the body, or leaves the body to it', () => {
      let copied = 0;
      fc.assert(
        fc.property(bodyOf(dto), (body) => {
          let expected: { instance: object } | undefined;
          try {
            expected = { instance: reference(dto, body) };
          } catch {
            expected = undefined; // class-transformer throws (an own `constructor` nested in the body): no copy either
          }
          const copy = plainCopy(dto, body);
          if (copy === undefined) return;
          copied++;
          expect(expected).toBeDefined();
          expect(copy).toStrictEqual(expected!.instance);
        }),
        { numRuns: 300 },
      );
      expect(copied).toBeGreaterThan(0);
    });
  });

  it('copies the hot routes’ bodies, nested values rebuilt as class-transformer rebuilds them (the fast path is taken)', () => {
    const list: unknown[] = [1];
    list[2] = { a: null }; // a hole at 1: class-transformer's forEach drops it
    const confirm = { id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { code: '123456', toString: 'x', list } };
    expect(plainCopy(ConfirmConfirmationDto, confirm)).toStrictEqual(reference(ConfirmConfirmationDto, confirm));
    expect(plainCopy(ConfirmConfirmationDto, confirm)).toBeInstanceOf(ConfirmConfirmationDto);
    expect((plainCopy(ConfirmConfirmationDto, confirm) as ConfirmConfirmationDto).data).not.toBe(confirm.data);
    const request = { user_config_id: 7 };
    expect(plainCopy(RequestConfirmationDto, request)).toStrictEqual(reference(RequestConfirmationDto, request));
  });

  it.each([
    ['a nested object without a prototype', ConfirmConfirmationDto, { data: Object.create(null) as object }],
    ['a nested class instance', ConfirmConfirmationDto, { data: [new Date(0)] }],
    ['a nested constructor key (class-transformer throws on it)', ConfirmConfirmationDto, { data: { constructor: 'x' } }],
    ['a class with @Expose (class-transformer renames the key)', Renamed, { display_name: 'x' }],
    ['a class with @Exclude (class-transformer drops the key)', WithHidden, { hidden: 'x' }],
    ['a key the instance inherits (class-transformer skips it)', ConfirmConfirmationDto, { code: '1', toString: 'x' }],
    ['constructor (class-transformer skips it)', ConfirmConfirmationDto, { constructor: 'x' }],
    ['a key with @Type (class-transformer converts it)', SearchConfirmationsQueryDto, { method_config_id: '10' }],
    ['a key with @Transform (class-transformer converts it)', SmsGlobalConfigDto, { default_country: 'de' }],
  ])('leaves %s to class-transformer', (_case, dto, body) => {
    expect(plainCopy(dto as Dto, body)).toBeUndefined();
  });
});
