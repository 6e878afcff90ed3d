import { forwardRef, Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { TwoFactorSetupError } from '../../errors/setup.errors.js';
import { markHostPublic, type HostPublicRouteMetadata } from '../public-route.js';
import { SIGN_IN_COOKIE, signInRoutesAt, type ResolvedSignInCookie } from './sign-in-routes.controller.js';
import { TWO_FACTOR_SIGN_IN_HANDLER, type TwoFactorSignInRoutesOptions } from './sign-in-handler.js';

/**
 * Holds the shipped sign-in routes. A module of its own because TwoFactorModule's
 * routes all sit under `routePrefix` (RouterModule prefixes a whole module) and these
 * go where the host says; it imports the configured TwoFactorModule back for its services.
 */
@Module({})
export class TwoFactorSignInRoutesModule {}

/** The module for the `signInRoutes` option; `twoFactor` returns the TwoFactorModule it belongs to. */
export function signInRoutesModule(
  options: TwoFactorSignInRoutesOptions,
  hostImports: ModuleMetadata['imports'],
  publicMetadata: HostPublicRouteMetadata | undefined,
  twoFactor: () => DynamicModule,
): DynamicModule {
  const path = typeof options?.path === 'string' ? options.path.replace(/^\/+|\/+$/g, '') : '';
  if (path === '') throw new TwoFactorSetupError('`signInRoutes.path` must name where the sign-in routes go, e.g. `api/v1/auth/login`.');
  const handler = options.handler;
  if (!isHandler(handler)) throw new TwoFactorSetupError('`signInRoutes.handler` needs a class or an object with verifyPassword and issueSession.');
  const controller = signInRoutesAt(path);
  markHostPublic([controller], publicMetadata);
  const cookie: ResolvedSignInCookie = {
    name: options.cookie?.name ?? 'two_factor_device',
    secure: options.cookie?.secure ?? process.env.NODE_ENV === 'production',
    path: options.cookie?.path,
  };
  const handlerProviders: Provider[] =
    typeof handler === 'function'
      ? [handler, { provide: TWO_FACTOR_SIGN_IN_HANDLER, useExisting: handler }]
      : [{ provide: TWO_FACTOR_SIGN_IN_HANDLER, useValue: handler }];
  return {
    module: TwoFactorSignInRoutesModule,
    imports: [forwardRef(twoFactor), ...(hostImports ?? [])],
    controllers: [controller],
    providers: [...handlerProviders, { provide: SIGN_IN_COOKIE, useValue: cookie }],
  };
}

function isHandler(handler: unknown): boolean {
  const target = typeof handler === 'function' ? handler.prototype : handler;
  return typeof target?.verifyPassword === 'function' && typeof target?.issueSession === 'function';
}
