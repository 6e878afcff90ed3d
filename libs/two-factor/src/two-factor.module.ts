import { Module, Optional, type DynamicModule, type NestModule, type Provider, type Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { adminShape, ADMIN_SERVICES } from './admin/admin.module-parts.js';
import { MethodConfigService } from './admin/method-config.service.js';
import { AnswerJudge } from './confirmer/answer.judge.js';
import { BackendBinder } from './confirmer/backend-binder.js';
import { BackendResolver } from './confirmer/backend-resolver.js';
import { ChallengeIssuer } from './confirmer/challenge.issuer.js';
import { ConfirmationRequester } from './confirmer/confirmation.requester.js';
import { ConfirmationStore } from './confirmer/confirmation.store.js';
import { ConfirmerFactory } from './confirmer/confirmer.factory.js';
import { ConfirmerService } from './confirmer/confirmer.service.js';
import { ExpiryStore } from './confirmer/expiry.store.js';
import { GlobalConfigCache } from './confirmer/global-config.cache.js';
import { MethodConfigCache } from './confirmer/method-config.cache.js';
import { ProofService } from './confirmer/proof.service.js';
import { PurgeScheduler } from './confirmer/purge.scheduler.js';
import { RateLimiter } from './confirmer/rate-limiter.js';
import { SqlRunner } from './confirmer/sql-runner.js';
import { UserConfigService } from './confirmer/user-config.service.js';
import { UserConfigStore } from './confirmer/user-config.store.js';
import { DeviceService } from './devices/device.service.js';
import { DeviceStore } from './devices/device.store.js';
import { EnrollmentService } from './enrollment/enrollment.service.js';
import { TwoFactorEnrollmentGuard } from './enrollment/require-enrollment.decorator.js';
import { TWO_FACTOR_ENTITIES } from './entities/index.js';
import { AuditTrail } from './events/audit-trail.js';
import { ConfirmationController } from './http/confirmation.controller.js';
import { FastifyTrailingSlash } from './http/fastify-trailing-slash.js';
import { DeviceController } from './http/device.controller.js';
import { MethodConfigController } from './http/method-config.controller.js';
import { RequestUser } from './http/request-user.js';
import { TwoFactorStepUpGuard } from './http/two-factor-step-up.guard.js';
import { ResponseMapper } from './http/response.mapper.js';
import { TwoFactorExceptionFilter } from './http/two-factor-exception.filter.js';
import { UserConfigController } from './http/user-config.controller.js';
import { MessageTranslator } from './i18n/message-translator.js';
import { MethodRegistry } from './registry/method-registry.js';
import { SecretBox } from './secrets/secret-box.js';
import { getMethodToken, TWO_FACTOR_RESOLVED_OPTIONS, TWO_FACTOR_ROUTE_PREFIX } from './two-factor.constants.js';
import { SignInService } from './sign-in/sign-in.service.js';
import { SignInStore } from './sign-in/sign-in.store.js';
import { TELEMETRY_EXPORTS, TELEMETRY_PROVIDERS } from './telemetry/telemetry.providers.js';
import {
  TWO_FACTOR_ASYNC_OPTIONS_TYPE,
  TWO_FACTOR_EXTRAS_DEFAULTS,
  TWO_FACTOR_OPTIONS,
  TWO_FACTOR_OPTIONS_TYPE,
  TwoFactorConfigurableModule,
  type TwoFactorModuleExtras,
} from './two-factor.module-definition.js';
import { resolveTwoFactorOptions, type ResolvedTwoFactorOptions, type TwoFactorOptions } from './two-factor.options.js';

/** The confirmer's pieces (confirmer/): storage, binding, requesting, judging, proofs. */
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
  ResponseMapper,
  TwoFactorExceptionFilter,
  TwoFactorStepUpGuard,
  PurgeScheduler,
];

/** The module's ConfirmerService: the factory's, over the injected registry (`withRegistry` gives others). */
const CONFIRMER: Provider = {
  provide: ConfirmerService,
  useFactory: (factory: ConfirmerFactory, registry: MethodRegistry) => factory.create(registry),
  inject: [ConfirmerFactory, MethodRegistry],
};

/** Sign-in second step, remembered devices and required enrolment. */
const SIGN_IN_SERVICES = [DeviceStore, DeviceService, SignInStore, SignInService, EnrollmentService, TwoFactorEnrollmentGuard];

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
  return {
    ...definition,
    imports: [
      ...(definition.imports ?? []),
      TypeOrmModule.forFeature(TWO_FACTOR_ENTITIES),
      ...(extras.imports ?? []),
      ...(mountsRoutes && extras.routePrefix ? [RouterModule.register([{ path: extras.routePrefix, module: TwoFactorModule }])] : []),
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
      CONFIRMER,
      ...ADMIN_SERVICES,
      ...admin.providers,
      ...SIGN_IN_SERVICES,
      ...TELEMETRY_PROVIDERS,
    ],
    exports: [
      ...(definition.exports ?? []),
      ConfirmerService,
      UserConfigService,
      MethodConfigService,
      TwoFactorStepUpGuard,
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
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
