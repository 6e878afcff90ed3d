import { SetMetadata, type ExecutionContext, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/**
 * Metadata key on the module's routes that admit callers without a session, for a
 * host's deny-by-default global guard: read it with `twoFactorRouteAccess` or
 * `isTwoFactorPublicRoute` and let those routes through.
 */
export const TWO_FACTOR_PUBLIC_ROUTE = 'two_factor:public_route';

/**
 * `anonymous`: the route never reads a session (method-config list, the shipped sign-in routes).
 * `optional`: anonymous callers are served, and a signed-in caller is served as themselves
 * (the confirmation routes) — authenticate when credentials come, do not refuse when none do.
 */
export type TwoFactorRouteAccess = 'anonymous' | 'optional';

/** Marks a controller's routes (internal; the host reads the metadata). */
export const TwoFactorPublicRoute = (access: TwoFactorRouteAccess): ClassDecorator & MethodDecorator => SetMetadata(TWO_FACTOR_PUBLIC_ROUTE, access);

/** The host's own "public" marker, set beside the module's on the same routes (the `publicRouteMetadata` option). */
export interface HostPublicRouteMetadata {
  /** The metadata key the host's guard reads, e.g. its `IS_PUBLIC_KEY`. */
  key: string | symbol;
  /** @default true */
  value?: unknown;
}

/** What a host's guard reads: how the route being called admits callers, or undefined for every other route. */
export function twoFactorRouteAccess(context: ExecutionContext, reflector: Reflector): TwoFactorRouteAccess | undefined {
  return reflector.getAllAndOverride<TwoFactorRouteAccess | undefined>(TWO_FACTOR_PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
}

/** True on the module's routes that must not be refused for want of a session. */
export function isTwoFactorPublicRoute(context: ExecutionContext, reflector: Reflector): boolean {
  return twoFactorRouteAccess(context, reflector) !== undefined;
}

/** Sets the host's marker on the given controllers (their classes carry it for the life of the process). */
export function markHostPublic(controllers: Type[], metadata: HostPublicRouteMetadata | undefined): void {
  if (!metadata) return;
  for (const controller of controllers) SetMetadata(metadata.key, metadata.value === undefined ? true : metadata.value)(controller);
}
