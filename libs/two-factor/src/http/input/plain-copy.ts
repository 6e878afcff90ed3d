import { createRequire } from 'node:module';

/** The slice of class-transformer's metadata storage (the one its decorators write to) that `plainCopy` reads. */
interface TransformerMetadata {
  getStrategy(target: Function): string;
  getExposedMetadatas(target: Function): unknown[];
  getExcludedMetadatas(target: Function): unknown[];
  findTypeMetadata(target: Function, property: string): unknown;
  findTransformMetadatas(target: Function, property: string, transformationType: number): unknown[];
}

/** class-transformer's storage is not in its index; @nestjs/mapped-types reads it from the same path. */
const { defaultMetadataStorage: metadata } = createRequire(import.meta.url)('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadata;
};
/** class-transformer's `TransformationType.PLAIN_TO_CLASS`. */
const PLAIN_TO_CLASS = 0;

/** Whether class-transformer changes the key set of `dto`'s instances (`@Expose`, `@Exclude`): worked out once per class. */
const reshaped = new WeakMap<Function, boolean>();
function isReshaped(dto: Function): boolean {
  let known = reshaped.get(dto);
  if (known === undefined) {
    known = metadata.getStrategy(dto) !== 'none' || metadata.getExposedMetadatas(dto).length > 0 || metadata.getExcludedMetadatas(dto).length > 0;
    reshaped.set(dto, known);
  }
  return known;
}

/** `copyOf`'s answer where class-transformer could do more than copy. */
const NOT_COPIED = Symbol('not copied');

/**
 * What class-transformer makes of a value under a key with no metadata: a primitive as it is; an array
 * rebuilt element by element (holes dropped, as its `forEach` does); a plain object rebuilt as `{}`
 * without the keys it skips (what `{}` inherits, such as `toString`). Any other object (a null
 * prototype, a class instance) or a prototype key is left to class-transformer.
 */
function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // a hole: class-transformer's forEach never visits it
      const itemCopy = copyOf(value[i]);
      if (itemCopy === NOT_COPIED) return NOT_COPIED;
      copy.push(itemCopy);
    }
    return copy;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_COPIED;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // class-transformer reads an own `constructor` as the value's class (and throws): not a copy. The pipe's input limits refuse both keys first.
    if (key === '__proto__' || key === 'constructor') return NOT_COPIED;
    if (key in copy) continue;
    const itemCopy = copyOf((value as Record<string, unknown>)[key]);
    if (itemCopy === NOT_COPIED) return NOT_COPIED;
    copy[key] = itemCopy;
  }
  return copy;
}

/**
 * What `plainToInstance(dto, body, { enableImplicitConversion: false })` makes of a JSON body, without
 * class-transformer's walk (a few % of a write route's time): a new `dto` with each of the body's own
 * keys copied as class-transformer copies them (copyOf). Undefined wherever class-transformer could do
 * more, and the caller then asks class-transformer itself: a key with `@Type` or `@Transform` metadata
 * (converted), a class with `@Expose` or `@Exclude` (keys added or dropped), a key the new instance
 * inherits or holds as a function (skipped, like `toString` or `constructor`), a value that is no
 * plain JSON value. The body must already be stripped of `__proto__` keys.
 */
export function plainCopy(dto: new () => object, body: Record<string, unknown>): object | undefined {
  if (isReshaped(dto)) return undefined;
  const instance = new dto() as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if ((key in instance && !Object.hasOwn(instance, key)) || typeof instance[key] === 'function') return undefined;
    if (metadata.findTypeMetadata(dto, key) !== undefined || metadata.findTransformMetadatas(dto, key, PLAIN_TO_CLASS).length > 0) return undefined;
    const copy = copyOf(body[key]);
    if (copy === NOT_COPIED) return undefined;
    instance[key] = copy;
  }
  return instance;
}
