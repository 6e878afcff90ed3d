import { Module, type DynamicModule } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RecoveryNotifier, TwoFactorModule } from 'nestjs-two-factor';
import { demoTranslate } from './i18n/demo-translate.js';
import { DevOutboxModule } from 'nestjs-two-factor/dev';
import { BACKUP_CODES_METHOD, DUMMY_METHOD, EMAIL_METHOD, SMS_METHOD, TOTP_METHOD, WEBAUTHN_METHOD } from 'nestjs-two-factor/methods';
import { AccountController } from './account/account.controller.js';
import { AuditLogListener } from './audit/audit-log.listener.js';
import { AdminPageController } from './admin/admin-page.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { DemoAdminGuard } from './auth/demo-admin.guard.js';
import { SessionService } from './auth/session.service.js';
import { SignInController } from './auth/sign-in.controller.js';
import { SignInScriptsController } from './auth/sign-in-scripts.controller.js';
import { DEMO_ADMIN_ID, DemoUsersService } from './auth/demo-users.service.js';
import type { DemoConfig } from './demo.config.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './telemetry/metrics.controller.js';
import { DemoRecoveryNotifier } from './notices/recovery-notifier.js';
import { FactorNoticesListener } from './notices/factor-notices.listener.js';
import { DevOutboxController } from './outbox/dev-outbox.controller.js';
import { PasskeysPageController } from './passkeys/passkeys-page.controller.js';
import { DEMO_WEBAUTHN, DemoSeeder } from './seed/demo-seeder.js';

/** Where the demo mounts the module's endpoints (the seed's README path). */
export const TWO_FACTOR_ROUTE_PREFIX = 'api/v1/auth/2factor';

/** The demo's `admin` must have a second factor: required from the start, no grace period (docs/guide/enrollment.md). */
export const DEMO_ENROLLMENT_POLICY = { required: (userId: string) => (userId === DEMO_ADMIN_ID ? new Date(0) : null), gracePeriodSeconds: 0 };

/** The demo app: the module inside a real Nest app with JWT sign-in, SQLite or PostgreSQL, and Swagger. */
@Module({})
export class AppModule {
  static forRoot(config: DemoConfig): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: AppModule,
      imports: [
        // Database down at boot: retry a few times (TypeOrmModule logs each try), then the start fails (see app.factory.ts).
        TypeOrmModule.forRoot({
          ...config.database,
          migrationsRun: true,
          retryAttempts: config.databaseConnect.attempts,
          retryDelay: config.databaseConnect.delayMs,
        }),
        // A KeyObject, not the string: jsonwebtoken first tries to parse a string secret as a PEM
        // public key, which fails and costs ~0.7 ms on every request (docs/operations/benchmarks.md).
        JwtModule.register({ secretOrKeyProvider: () => jwtKey, signOptions: { expiresIn: '1h' } }),
        // Audit events of the module reach AuditLogListener through the event emitter.
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        // The same static module as in the two-factor imports below, so the controller reads the senders' outbox.
        ...(config.production ? [] : [DevOutboxModule]),
        TerminusModule,
        TwoFactorModule.forRoot({
          methods: [DUMMY_METHOD, EMAIL_METHOD, SMS_METHOD, TOTP_METHOD, BACKUP_CODES_METHOD, WEBAUTHN_METHOD, ...(config.extraMethods ?? [])],
          // The demo sends nothing for real: codes land in the dev outbox (src/README.md, "Dev outbox").
          imports: [DevOutboxModule],
          routePrefix: TWO_FACTOR_ROUTE_PREFIX,
          // The admin API under …/admin/, for the user `admin` only (the page at /admin drives it).
          admin: { guards: [DemoAdminGuard] },
          secret: config.twoFactorSecret,
          enrollment: DEMO_ENROLLMENT_POLICY,
          // German beside English, by Accept-Language (src/i18n/).
          translate: demoTranslate,
          // DemoSeeder writes the demo's own configs (webauthn's relying party, is_default dummy).
          seedMethodConfigs: false,
          // "I lost my factors" (issue 22): a recovery opens enrolment after 72 hours unless the owner cancels (docs/guide/recovery.md).
          recovery: { enabled: true },
          ...config.twoFactor,
        }),
      ],
      // The outbox shows live codes, so it is never mounted in production.
      controllers: [
        AuthController,
        SignInController,
        SignInScriptsController,
        HealthController,
        MetricsController,
        AccountController,
        PasskeysPageController,
        AdminPageController,
        ...(config.production ? [] : [DevOutboxController]),
      ],
      providers: [
        { provide: DemoUsersService, useFactory: () => new DemoUsersService(config.demoPassword) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: DEMO_WEBAUTHN, useValue: config.webauthn },
        SessionService,
        DemoSeeder,
        AuditLogListener,
        FactorNoticesListener,
        // The account's own address hears of a recovery too (the module tells its email and SMS factors).
        { provide: RecoveryNotifier, useClass: DemoRecoveryNotifier },
      ],
    };
  }
}
