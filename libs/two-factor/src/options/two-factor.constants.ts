import { Inject } from '@nestjs/common';

/** Injection token of the resolved runtime options (defaults merged). Use `InjectTwoFactorOptions()`. */
export const TWO_FACTOR_RESOLVED_OPTIONS = Symbol('TwoFactorResolvedOptions');

/** The injection token of a registered method's descriptor, like TypeORM's `getRepositoryToken`. */
export function getMethodToken(key: string): string {
  return `TwoFactorMethod:${key}`;
}

/** Injects the descriptor of the method registered under `key`. */
export const InjectMethod = (key: string): ParameterDecorator & PropertyDecorator => Inject(getMethodToken(key));

/** Injects the module's runtime options with every default filled in. */
export const InjectTwoFactorOptions = (): ParameterDecorator & PropertyDecorator => Inject(TWO_FACTOR_RESOLVED_OPTIONS);

/** The module's route prefix (a shape option), for the pieces that must know where its routes are. Internal. */
export const TWO_FACTOR_ROUTE_PREFIX = Symbol('TwoFactorRoutePrefix');
