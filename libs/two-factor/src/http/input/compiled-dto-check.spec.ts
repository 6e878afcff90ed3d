import { Logger, type ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import fc from 'fast-check';
import '../../index.js';
import '../../methods/index.js';
import '../admin/admin-request.dto.js';
import '../../method-api/sent-code.dto.js';
import { ConfirmConfirmationDto, RequestConfirmationDto } from '../user/dto/request-bodies.dto.js';
import { compileDtoCheck, compiledCheckOf } from '../../method-api/compiled-dto-check.js';
import { errorBody } from '../errors/error-body.js';
import { createTwoFactorValidationPipe } from './validation.pipe.js';

type Dto = new () => object;
interface Rule {
  name?: string;
  constraints: unknown[];
}

/** Every class class-validator holds rules for: a new DTO of the module is covered without being named here. */
const DTOS: Dto[] = [...(getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas.keys()].filter(
  (target): target is Dto => typeof target === 'function',
);

/** The rules of one property, as the metadata declares them. */
function rulesOf(dto: Dto): Map<string, Rule[]> {
  const rules = new Map<string, Rule[]>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false)) {
    rules.set(metadata.propertyName, [...(rules.get(metadata.propertyName) ?? []), { name: metadata.name, constraints: metadata.constraints ?? [] }]);
  }
  return rules;
}

const around = (n: number): unknown[] => [n - 1, n, n + 1, n - 0.5, String(n)];
const ofLength = (n: number): string[] => (n < 0 ? [] : ['a'.repeat(n), 'é'.repeat(n), ':'.repeat(n)]);

/** Values near each rule's edges (a Max of 10 → 9, 10, 11, 10.5, "10"), so both sides of every rule are generated. */
function edgeValues(rules: Rule[]): unknown[] {
  return rules.flatMap(({ name, constraints: [first, second] }) => {
    if ((name === 'min' || name === 'max') && typeof first === 'number') return around(first);
    if ((name === 'minLength' || name === 'maxLength') && typeof first === 'number') return ofLength(first - 1).concat(ofLength(first), ofLength(first + 1));
    if (name === 'length' && typeof first === 'number') return [first - 1, first, second as number, (second as number) + 1].flatMap(ofLength);
    if (name === 'isIn' && Array.isArray(first)) return first.flatMap((item: unknown) => [item, String(item), [item]]);
    if (name === 'isUuid')
      return [
        '3b241101-e2bb-4255-8caf-4136c566a962',
        '3B241101-E2BB-4255-8CAF-4136C566A962',
        '3b241101-e2bb-4255-8caf-4136c566a96',
        '00000000-0000-0000-0000-000000000000',
      ];
    if (name === 'isEmail') return ['a@example.com', 'a@b', 'not an email', 'a@example.com '];
    if (name === 'matches') return ['plain', 'with:colon', '+4915112345678', '0151', ''];
    if (name === 'contains' && typeof first === 'string') return [first, `x${first}x`, 'x'];
    if (name === 'isObject') return [{}, { code: '123456' }, [], 'x'];
    if (name === 'isString') return ['', 'x', 1];
    if (name === 'isBoolean') return [true, false, 'true', 0];
    if (name === 'isInt') return [0, 1, 7, 1.5, '7'];
    return [];
  });
}

/** Any JSON value a client could send, small. */
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1, 1.5, 2 ** 31, '', 'true', '1', '0', 'x'),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** The candidates (absent, or an edge value) that class-validator accepts for `property` on its own. */
function passingValues(dto: Dto, property: string, candidates: unknown[]): unknown[] {
  return candidates.filter((value) => {
    const body = value === undefined ? {} : { [property]: value };
    return !validateSync(plainToInstance(dto, body), STRICT).some((error) => error.property === property);
  });
}

/**
 * A body for `dto`: each known property absent, at an edge of its rules, or (when `wild`) anything; sometimes
 * an unknown key. A third of the bodies take only values that pass their property's rules, so a DTO with
 * several required fields still gets accepted bodies in every run, not by luck.
 */
function bodyOf(dto: Dto): fc.Arbitrary<Record<string, unknown>> {
  const fieldsOf = (wild: boolean) =>
    [...rulesOf(dto).entries()].map(([property, rules]) => {
      const edges = edgeValues(rules);
      const value = fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: edges.length > 0 ? fc.constantFrom(...edges) : anyJson, weight: 3 },
        { arbitrary: anyJson, weight: wild ? 1 : 0 },
      );
      return value.map((v) => (v === undefined ? undefined : ([property, v] as const)));
    });
  const passingFields = () =>
    [...rulesOf(dto).entries()].map(([property, rules]) => {
      const passing = passingValues(dto, property, [undefined, ...edgeValues(rules)]);
      const value = passing.length > 0 ? fc.constantFrom(...passing) : fc.constant(undefined);
      return value.map((v) => (v === undefined ? undefined : ([property, v] as const)));
    });
  const extra = fc.option(fc.tuple(fc.constantFrom('unknown', 'toString', 'valueOf', 'id', 'code'), anyJson), { nil: undefined, freq: 3 });
  // Edge values alone half of the time: a DTO with many optional fields then gets valid bodies too.
  const fields = fc.oneof(fc.tuple(...fieldsOf(true)), fc.tuple(...fieldsOf(false)), fc.tuple(...passingFields()));
  return fc.tuple(fields, extra).map(([entries, more]) => Object.fromEntries([...entries, more].filter((entry) => entry !== undefined)));
}

/** The module's pipe, and the same pipe with class-validator judging every value (the reference). */
const pipe = createTwoFactorValidationPipe();
const reference = createTwoFactorValidationPipe();
Object.defineProperty(reference, 'compiledCheck', { value: () => undefined });
/** How many values the module's pipe accepted on its fast path (without ValidationPipe and class-validator). */
let fastAccepted = 0;
const fastPath = (pipe as unknown as { acceptedByCompiledCheck: (...args: unknown[]) => unknown }).acceptedByCompiledCheck.bind(pipe);
Object.defineProperty(pipe, 'acceptedByCompiledCheck', {
  value: (...args: unknown[]) => {
    const accepted = fastPath(...args);
    if (accepted) fastAccepted++;
    return accepted;
  },
});

const logger = new Logger('compiled-dto-check.spec');
/** What the pipe answers: the transformed value (with its class), or the module's error answer as sent. */
async function answer(through: ValidationPipe, value: unknown, metadata: ArgumentMetadata): Promise<{ accepted: unknown } | { refused: string }> {
  try {
    // As a body parser hands it over: parsed JSON, a fresh copy for each pipe.
    return { accepted: await through.transform(JSON.parse(JSON.stringify(value)), metadata) };
  } catch (error) {
    return { refused: JSON.stringify(errorBody(error, logger)) };
  }
}

const STRICT = { whitelist: true, forbidNonWhitelisted: true };

describe('validation compiled from class-validator metadata', () => {
  it('finds the module DTOs in the metadata storage, and compiles the hot routes’ bodies', () => {
    expect(DTOS).toEqual(expect.arrayContaining([ConfirmConfirmationDto, RequestConfirmationDto]));
    expect(DTOS.length).toBeGreaterThan(15);
    expect(compiledCheckOf(ConfirmConfirmationDto)).toBeDefined();
    expect(compiledCheckOf(RequestConfirmationDto)).toBeDefined();
  });

  describe.each(DTOS.map((dto) => [dto.name, dto] as const))('%s', (_name, dto) => {
    it('the compiled check accepts exactly what class-validator accepts', () => {
      const check = compileDtoCheck(dto);
      // Not compiled (a rule it does not know): class-validator judges this DTO alone, nothing to compare.
      if (!check) return;
      const seen = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(bodyOf(dto), (body) => {
          let instance: object;
          try {
            instance = plainToInstance(dto, body);
          } catch {
            return; // class-transformer refuses it (a null-prototype object under @Type): no instance to judge, on either path.
          }
          const valid = validateSync(plainToInstance(dto, body), STRICT).length === 0;
          seen[valid ? 'accepted' : 'refused']++;
          expect(check(instance)).toBe(valid);
        }),
        { numRuns: 400 },
      );
      // Both sides of the rules were generated, or the comparison proves little.
      expect(seen.accepted).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(0);
    });

    it.each(['body', 'query'] as const)('the pipe answers as with class-validator alone (%s): same value, byte-identical errors', async (type) => {
      await fc.assert(
        fc.asyncProperty(bodyOf(dto), async (body) => {
          const metadata: ArgumentMetadata = { type, metatype: dto, data: undefined };
          const before = fastAccepted;
          const fast = await answer(pipe, body, metadata);
          const slow = await answer(reference, body, metadata);
          expect(fast).toStrictEqual(slow);
          // Every accepted value of a compiled DTO took the fast path; a refused one never did.
          expect(fastAccepted - before).toBe('accepted' in fast && compiledCheckOf(dto) ? 1 : 0);
          if ('refused' in fast) expect(fast.refused).toBe((slow as { refused: string }).refused);
          else expect(JSON.stringify(fast.accepted)).toBe(JSON.stringify((slow as { accepted: unknown }).accepted));
        }),
        { numRuns: 200 },
      );
    });
  });
});
