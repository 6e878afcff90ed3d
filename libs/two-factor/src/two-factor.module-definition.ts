import { ConfigurableModuleBuilder, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import type { TwoFactorAdminOptions } from './admin/admin.options.js';
import type { HostPublicRouteMetadata } from './http/public-route.js';
import type { TwoFactorSignInRoutesOptions } from './http/sign-in/sign-in-handler.js';
import type { MethodDescriptor } from './method-api/method-descriptor.js';
import type { TwoFactorOptions } from './options/two-factor.options.js';

/**
 * Options that decide the module's *shape*: read when the module is built, so
 * they sit beside `useFactory` in `forRootAsync`, never inside what it returns.
 */
export interface TwoFactorModuleExtras {
  /** The methods to offer (each key once). @default [] */
  methods: MethodDescriptor<any, any>[];
  /** Mount the nine REST endpoints. Set false to use only `ConfirmerService`. @default true */
  controllers?: boolean;
  /** Path the endpoints are mounted under (through Nest's RouterModule), e.g. `api/v1/auth/2factor`. @default '' */
  routePrefix?: string;
  /** Modules whose providers the backends inject (a mailer, a config service). @default [] */
  imports?: ModuleMetadata['imports'];
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * Mount the admin API under `admin/` of `routePrefix`, guarded by the guards named here
   * (e.g. `{ guards: [AdminGuard] }`). @default undefined (no admin API)
   */
  admin?: TwoFactorAdminOptions;
  /**
   * Mount the sign-in routes `POST <path>`, `<path>/request` and `<path>/confirm` (password, then a
   * second factor, then the session), with the host's password check and session issuing
   * (`SignInHandler`). @default undefined (no sign-in routes: call `SignInService` from your own)
   */
  signInRoutes?: TwoFactorSignInRoutesOptions;
  /**
   * Also set the host's own "public route" metadata (e.g. `{ key: IS_PUBLIC_KEY }`) on the module's routes
   * that admit callers without a session, for a deny-by-default global guard. They always carry
   * `TWO_FACTOR_PUBLIC_ROUTE`. @default undefined
   */
  publicRouteMetadata?: HostPublicRouteMetadata;
}

type OptionalExtras = 'admin' | 'signInRoutes' | 'publicRouteMetadata';

export const TWO_FACTOR_EXTRAS_DEFAULTS: Required<Omit<TwoFactorModuleExtras, OptionalExtras>> & Pick<TwoFactorModuleExtras, OptionalExtras> = {
  methods: [],
  controllers: true,
  routePrefix: '',
  imports: [],
  isGlobal: false,
  // The key must be here, so that the builder strips it from the runtime options.
  admin: undefined,
  signInRoutes: undefined,
  publicRouteMetadata: undefined,
};

export const {
  ConfigurableModuleClass: TwoFactorConfigurableModule,
  MODULE_OPTIONS_TOKEN: TWO_FACTOR_OPTIONS,
  OPTIONS_TYPE: TWO_FACTOR_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TWO_FACTOR_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TwoFactorOptions>({ moduleName: 'TwoFactor' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createTwoFactorOptions')
  .setExtras<TwoFactorModuleExtras>(TWO_FACTOR_EXTRAS_DEFAULTS, (definition: DynamicModule, extras) => ({
    ...definition,
    global: extras.isGlobal ?? false,
  }))
  .build();
