import { Module, type DynamicModule } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BACKUP_CODES_METHOD, DevOutboxModule, DUMMY_METHOD, EMAIL_METHOD, SMS_METHOD, TOTP_METHOD, TwoFactorModule } from '../libs/two-factor/src/index.js';
import { AccountController } from './account/account.controller.js';
import { AuditLogListener } from './audit/audit-log.listener.js';
import { AuthController } from './auth/auth.controller.js';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { DemoUsersService } from './auth/demo-users.service.js';
import { BenchModule } from './bench/bench.module.js';
import type { DemoConfig } from './demo.config.js';
import { HealthController } from './health/health.controller.js';
import { DevOutboxController } from './outbox/dev-outbox.controller.js';
import { DemoSeeder } from './seed/demo-seeder.js';

/** Where the demo mounts the module's endpoints (the seed's README path). */
export const TWO_FACTOR_ROUTE_PREFIX = 'api/v1/auth/2factor';

/** The demo app: the module inside a real Nest app with JWT sign-in, SQLite or PostgreSQL, and Swagger. */
@Module({})
export class AppModule {
  static forRoot(config: DemoConfig): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: AppModule,
      imports: [
        // Database down at boot: retry a few times (TypeOrmModule logs each try), then the start fails (see app.factory.ts).
        TypeOrmModule.forRoot({ ...config.database, migrationsRun: true, retryAttempts: config.databaseConnect.attempts, retryDelay: config.databaseConnect.delayMs }),
        // A KeyObject, not the string: jsonwebtoken first tries to parse a string secret as a PEM
        // public key, which fails and costs ~0.7 ms on every request (docs/benchmarks.md).
        JwtModule.register({ secretOrKeyProvider: () => jwtKey, signOptions: { expiresIn: '1h' } }),
        // Audit events of the module reach AuditLogListener through the event emitter.
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        // The same static module as in the two-factor imports below, so the controller reads the senders' outbox.
        ...(config.production ? [] : [DevOutboxModule]),
        TwoFactorModule.forRoot({
          methods: [DUMMY_METHOD, EMAIL_METHOD, SMS_METHOD, TOTP_METHOD, BACKUP_CODES_METHOD, ...(config.extraMethods ?? [])],
          // The demo sends nothing for real: codes land in the dev outbox (contract §4).
          imports: [DevOutboxModule],
          routePrefix: TWO_FACTOR_ROUTE_PREFIX,
          secret: config.twoFactorSecret,
          ...config.twoFactor,
        }),
        ...(config.bench ? [BenchModule] : []),
      ],
      // The outbox shows live codes, so it is never mounted in production.
      controllers: [AuthController, HealthController, AccountController, ...(config.production ? [] : [DevOutboxController])],
      providers: [
        { provide: DemoUsersService, useFactory: () => new DemoUsersService(config.demoPassword) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        DemoSeeder,
        // Benchmarks run with per-request logging off.
        ...(config.bench ? [] : [AuditLogListener]),
      ],
    };
  }
}
