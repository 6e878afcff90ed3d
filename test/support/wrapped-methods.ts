import type { INestApplicationContext, Type } from '@nestjs/common';

/**
 * Which of `methods` the app's provider instance holds as its own property rather than its class's:
 * the telemetry installer wraps a method by setting it on the instance, so these are the wrapped ones.
 */
export function wrappedMethods(app: INestApplicationContext, methods: ReadonlyArray<readonly [Type<unknown>, string]>): string[] {
  return methods.filter(([type, method]) => Object.hasOwn(app.get(type) as object, method)).map(([type, method]) => `${type.name}.${method}`);
}
