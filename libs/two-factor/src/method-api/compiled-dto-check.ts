import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface, type ValidatorOptions } from 'class-validator';

/**
 * A DTO's validation compiled once: whether an instance (what class-transformer made of
 * the body) passes every rule, answered without class-validator's per-call work (metadata
 * lookup, grouping, error objects). It judges with class-validator's own metadata and calls
 * each rule's own constraint instance with the arguments class-validator would pass, so no
 * rule is written twice. A body it refuses (or any DTO it cannot compile) goes to
 * class-validator, which then says why; so an error answer is class-validator's, always.
 * `compiled-dto-check.spec.ts` compares both on generated bodies for every DTO registered.
 */
export type DtoCheck = (instance: object) => boolean;

/**
 * class-validator's built-in decorators (by their metadata `name`) that judge the value
 * alone against their declared constraints: synchronous and pure, so calling them once more
 * changes nothing. Any other custom constraint (a host's, an async one) is not compiled.
 */
const PURE_BUILT_INS = new Set([
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isArray',
  'isUuid',
  'isEmail',
  'isIn',
  'isNotIn',
  'isNotEmpty',
  'isEmpty',
  'isPositive',
  'isNegative',
  'min',
  'max',
  'length',
  'minLength',
  'maxLength',
  'matches',
  'contains',
  'notContains',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayNotEmpty',
  'isEnum',
  // The module's own pure rules (an operation's details, http/user/dto/request-bodies.dto.ts).
  'isOperationDetails',
]);

interface Rule {
  property: string;
  constraints: unknown[];
  validateIf?: (object: object, value: unknown) => boolean;
  validators: ValidatorConstraintInterface[];
}

interface Property {
  conditions: Array<(object: object, value: unknown) => boolean>;
  rules: Rule[];
}

/** The options the checks are compiled for: the module's strict validation (see `createTwoFactorValidationPipe`, `validateDto`). */
export function isStrictValidation(options: ValidatorOptions | undefined): boolean {
  if (!options || options.whitelist !== true || options.forbidNonWhitelisted !== true) return false;
  return !(
    options.groups?.length ||
    options.always ||
    options.strictGroups ||
    options.skipMissingProperties ||
    options.skipNullProperties ||
    options.skipUndefinedProperties ||
    options.stopAtFirstError
  );
}

const compiled = new WeakMap<object, DtoCheck | null>();

/** The compiled check of `target`, or undefined when class-validator must judge it (nothing compiled is guessed). */
export function compiledCheckOf(target: unknown): DtoCheck | undefined {
  if (typeof target !== 'function') return undefined;
  let check = compiled.get(target);
  if (check === undefined) {
    check = compileDtoCheck(target) ?? null;
    compiled.set(target, check);
  }
  return check ?? undefined;
}

/** Builds the check from class-validator's metadata, as `ValidationExecutor.execute` reads it (same call, same arguments). */
export function compileDtoCheck(target: Function): DtoCheck | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false);
  // No rules at all: class-validator's own answer depends on forbidUnknownValues; leave it to class-validator.
  if (metadatas.length === 0) return undefined;
  const properties = new Map<string, Property>();
  for (const metadata of metadatas) {
    const property = properties.get(metadata.propertyName) ?? { conditions: [], rules: [] };
    properties.set(metadata.propertyName, property);
    if (metadata.each) return undefined;
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const condition = metadata.constraints?.[0] as unknown;
      if (typeof condition !== 'function') return undefined;
      property.conditions.push(condition as (object: object, value: unknown) => boolean);
      continue;
    }
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION || !metadata.name || !PURE_BUILT_INS.has(metadata.name)) return undefined;
    const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
    if (constraints.length === 0 || constraints.some((constraint) => constraint.async)) return undefined;
    property.rules.push({
      property: metadata.propertyName,
      constraints: metadata.constraints,
      validateIf: metadata.validateIf,
      validators: constraints.map((constraint) => constraint.instance as ValidatorConstraintInterface),
    });
  }
  const entries = [...properties.entries()];
  return (instance: object): boolean => {
    const object = instance as Record<string, unknown>;
    // whitelist + forbidNonWhitelisted: an own property without metadata is an error.
    for (const key of Object.keys(object)) if (!properties.has(key)) return false;
    for (const [name, { conditions, rules }] of entries) {
      const value = object[name];
      if (!conditions.every((condition) => condition(instance, value))) continue;
      for (const rule of rules) {
        if (rule.validateIf && !rule.validateIf(instance, value)) continue;
        const args: ValidationArguments = { targetName: instance.constructor?.name, property: name, object: instance, value, constraints: rule.constraints };
        for (const validator of rule.validators) {
          const valid: unknown = validator.validate(value, args);
          // A promise is never expected (async constraints are not compiled); class-validator decides then.
          if (!valid || valid instanceof Promise) return false;
        }
      }
    }
    return true;
  };
}
