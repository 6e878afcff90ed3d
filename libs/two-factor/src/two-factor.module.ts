import { Module, Optional, type DynamicModule, type NestModule, type Provider, type Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { adminShape, ADMIN_SERVICES } from './http/admin/admin.module-parts.js';
import { MethodConfigService } from './admin/method-config.service.js';
import { UserConfigAdminService } from './admin/user-config-admin.service.js';
import { ConfirmationAdminService } from './admin/confirmation-admin.service.js';
import { AnswerJudge } from './confirmations/answer.judge.js';
import { BackendBinder } from './confirmations/backend-binder.js';
import { BackendResolver } from './confirmations/backend-resolver.js';
import { ChallengeIssuer } from './confirmations/challenge.issuer.js';
import { ConfirmationRequester } from './confirmations/confirmation.requester.js';
import { ConfirmationStore } from './persistence/confirmation.store.js';
import { ConfirmerFactory } from './confirmations/confirmer.factory.js';
import { ConfirmerEngine } from './confirmations/confirmer.engine.js';
import { ConfirmerService } from './public-api/confirmer.service.js';
import { ExpiryStore } from './persistence/expiry.store.js';
import { GlobalConfigCache } from './confirmations/global-config.cache.js';
import { MethodConfigCache } from './confirmations/method-config.cache.js';
import { ProofService } from './confirmations/proof.service.js';
import { PurgeScheduler } from './maintenance/purge.scheduler.js';
import { RateLimiter } from './confirmations/rate-limiter.js';
import { SqlRunner } from './persistence/sql-runner.js';
import { UserConfigService } from './factors/user-config.service.js';
import { UserConfigStore } from './persistence/user-config.store.js';
import { DeviceService } from './devices/device.service.js';
import { DeviceStore } from './persistence/device.store.js';
import { EnrollmentService } from './enrollment/enrollment.service.js';
import { TwoFactorEnrollmentGuard } from './http/step-up/require-enrollment.decorator.js';
import { TWO_FACTOR_ENTITIES } from './entities/index.js';
import { AuditTrail } from './events/audit-trail.js';
import { ConfirmationController } from './http/user/confirmation.controller.js';
import { FastifyTrailingSlash } from './http/fastify-trailing-slash.js';
import { DeviceController } from './http/user/device.controller.js';
import { MethodConfigController } from './http/user/method-config.controller.js';
import { RequestUser } from './http/input/request-user.js';
import { TwoFactorStepUpGuard } from './http/step-up/two-factor-step-up.guard.js';
import { PublicViewMapper } from './public-api/public-view.mapper.js';
import { TwoFactorExceptionFilter } from './http/errors/two-factor-exception.filter.js';
import { UserConfigController } from './http/user/user-config.controller.js';
import { MessageTranslator } from './translation/message-translator.js';
import { MethodRegistry } from './method-api/method-registry.js';
import { FactorTransitions } from './confirmations/factor-transitions.js';
import { FactorLifecycleService } from './factors/factor-lifecycle.service.js';
import { FactorStore } from './persistence/factor.store.js';
import { SecretBox } from './secrets/secret-box.js';
import { getMethodToken, TWO_FACTOR_RESOLVED_OPTIONS, TWO_FACTOR_ROUTE_PREFIX } from './options/two-factor.constants.js';
import { SignInService } from './sign-in/sign-in.service.js';
import { SignInFlow } from './sign-in/sign-in.flow.js';
import { SignInStore } from './persistence/sign-in.store.js';
import { RecoveryStore } from './persistence/recovery.store.js';
import { AccessCodeStore } from './persistence/access-code.store.js';
import { RecoveryFlow } from './sign-in/recovery.flow.js';
import { AccessCodeAdminService } from './admin/access-code-admin.service.js';
import { signInRoutesModule } from './http/sign-in/sign-in-routes.module.js';
import { markHostPublic } from './http/public-route.js';
import { MethodConfigSeeder } from './admin/method-config.seeder.js';
import { TELEMETRY_EXPORTS, TELEMETRY_PROVIDERS } from './telemetry/telemetry.providers.js';
import {
  TWO_FACTOR_ASYNC_OPTIONS_TYPE,
  TWO_FACTOR_EXTRAS_DEFAULTS,
  TWO_FACTOR_OPTIONS,
  TWO_FACTOR_OPTIONS_TYPE,
  TwoFactorConfigurableModule,
  type TwoFactorModuleExtras,
} from './two-factor.module-definition.js';
import { resolveTwoFactorOptions, type ResolvedTwoFactorOptions, type TwoFactorOptions } from './options/two-factor.options.js';

/** The confirmer's pieces (confirmations/, persistence/): storage, binding, requesting, judging, proofs. */
const CONFIRMER_PARTS = [
  SqlRunner,
  ConfirmationStore,
  UserConfigStore,
  ExpiryStore,
  RateLimiter,
  BackendResolver,
  GlobalConfigCache,
  BackendBinder,
  MethodConfigCache,
  ChallengeIssuer,
  ConfirmationRequester,
  AnswerJudge,
  ProofService,
  ConfirmerFactory,
];

const SERVICES = [
  AuditTrail,
  MessageTranslator,
  ...CONFIRMER_PARTS,
  UserConfigService,
  RequestUser,
  PublicViewMapper,
  TwoFactorExceptionFilter,
  TwoFactorStepUpGuard,
  PurgeScheduler,
];

/** The module's engine: the factory's, over the injected registry (`withRegistry` gives others). */
const CONFIRMER_ENGINE: Provider = {
  provide: ConfirmerEngine,
  useFactory: (factory: ConfirmerFactory, registry: MethodRegistry) => factory.create(registry),
  inject: [ConfirmerFactory, MethodRegistry],
};

/** What host code injects: the engine's nine operations with public results. */
const CONFIRMER: Provider = {
  provide: ConfirmerService,
  useFactory: (engine: ConfirmerEngine, views: PublicViewMapper, registry: MethodRegistry) => new ConfirmerService(engine, views, registry),
  inject: [ConfirmerEngine, PublicViewMapper, MethodRegistry],
};

/** Sign-in second step, remembered devices and required enrolment. */
/** The factor lifecycle (issue 18) sits here: the sign-in and device stores are among its dependencies. */
const FACTOR_SERVICES: Provider[] = [
  FactorStore,
  FactorLifecycleService,
  // The engine's lock and record-use go through the lifecycle, which it names only by this seam.
  { provide: FactorTransitions, useExisting: FactorLifecycleService },
];
const SIGN_IN_SERVICES = [
  ...FACTOR_SERVICES,
  DeviceStore,
  DeviceService,
  SignInStore,
  SignInFlow,
  // Issue 22: recovery and access codes, enrolment inside a pending sign-in.
  RecoveryStore,
  AccessCodeStore,
  RecoveryFlow,
  SignInService,
  EnrollmentService,
  TwoFactorEnrollmentGuard,
];

/**
 * Second-factor confirmation for a Nest app.
 * @example
 * TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], routePrefix: 'api/v1/auth/2factor', secret: process.env.TWO_FACTOR_SECRET! })
 */
@Module({})
export class TwoFactorModule extends TwoFactorConfigurableModule implements NestModule {
  constructor(@Optional() private readonly trailingSlash?: FastifyTrailingSlash) {
    super();
  }

  /** Runs before Nest registers routes, once the app's HTTP adapter is known. */
  configure(): void {
    this.trailingSlash?.install();
  }

  /** Sets the module up with options known now. @throws TwoFactorSetupError on a duplicate method key. */
  static forRoot(options: typeof TWO_FACTOR_OPTIONS_TYPE): DynamicModule {
    return withShape(super.forRoot(options), options);
  }

  /** Sets the module up with options from a factory, class or existing provider; shape options sit beside it. */
  static forRootAsync(options: typeof TWO_FACTOR_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withShape(super.forRootAsync(options), options);
  }
}

/** Adds what the shape options decide (methods, controllers, route prefix) to the builder's module. */
function withShape(definition: DynamicModule, given: Partial<TwoFactorModuleExtras>): DynamicModule {
  const extras = { ...TWO_FACTOR_EXTRAS_DEFAULTS, ...stripUndefined(given) };
  const registry = new MethodRegistry(extras.methods);
  const backends = [...new Set(registry.all().map((method) => method.backend as Type))];
  const methodProviders: Provider[] = registry.all().map((method) => ({ provide: getMethodToken(method.key), useValue: method }));
  const mountControllers = extras.controllers !== false;
  const admin = adminShape(extras.admin);
  const mountsRoutes = mountControllers || admin.controllers.length > 0;
  if (mountControllers) markHostPublic([MethodConfigController, ConfirmationController], extras.publicRouteMetadata);
  // Its own module (outside routePrefix), importing this one back for its services.
  const signInRoutes = extras.signInRoutes ? [signInRoutesModule(extras.signInRoutes, extras.imports, extras.publicRouteMetadata, () => built)] : [];
  const built: DynamicModule = {
    ...definition,
    imports: [
      ...(definition.imports ?? []),
      TypeOrmModule.forFeature(TWO_FACTOR_ENTITIES),
      ...(extras.imports ?? []),
      ...(mountsRoutes && extras.routePrefix ? [RouterModule.register([{ path: extras.routePrefix, module: TwoFactorModule }])] : []),
      ...signInRoutes,
    ],
    controllers: [...(mountControllers ? [MethodConfigController, UserConfigController, ConfirmationController, DeviceController] : []), ...admin.controllers],
    providers: [
      ...(definition.providers ?? []),
      { provide: MethodRegistry, useValue: registry },
      { provide: TWO_FACTOR_ROUTE_PREFIX, useValue: extras.routePrefix },
      ...(mountsRoutes ? [FastifyTrailingSlash] : []),
      ...methodProviders,
      ...backends,
      {
        provide: TWO_FACTOR_RESOLVED_OPTIONS,
        useFactory: (options: TwoFactorOptions) => resolveTwoFactorOptions(options),
        inject: [TWO_FACTOR_OPTIONS],
      },
      {
        provide: SecretBox,
        useFactory: (options: ResolvedTwoFactorOptions) => new SecretBox(options.secret, options.previousSecrets),
        inject: [TWO_FACTOR_RESOLVED_OPTIONS],
      },
      ...SERVICES,
      CONFIRMER_ENGINE,
      CONFIRMER,
      ...ADMIN_SERVICES,
      ...admin.providers,
      ...SIGN_IN_SERVICES,
      MethodConfigSeeder,
      ...TELEMETRY_PROVIDERS,
    ],
    exports: [
      ...(definition.exports ?? []),
      ConfirmerService,
      UserConfigService,
      MethodConfigService,
      // Exported from the package's index, so injectable too (a host's own admin screens).
      UserConfigAdminService,
      ConfirmationAdminService,
      AccessCodeAdminService,
      TwoFactorStepUpGuard,
      // The step-up guard's own dependency, for hosts that use it in their modules.
      PublicViewMapper,
      SignInService,
      DeviceService,
      EnrollmentService,
      TwoFactorEnrollmentGuard,
      MethodRegistry,
      SecretBox,
      MessageTranslator,
      TWO_FACTOR_RESOLVED_OPTIONS,
      ...TELEMETRY_EXPORTS,
      ...methodProviders.map((provider) => (provider as { provide: string }).provide),
    ],
  };
  return built;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
