import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TWO_FACTOR_ENTITIES, TwoFactorModule, twoFactorMigrations } from 'nestjs-two-factor';
import { DUMMY_METHOD, EMAIL_METHOD, TOTP_METHOD } from 'nestjs-two-factor/methods';
import { AdminController } from './admin.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { SessionAuthGuard } from './auth/session-auth.guard.js';
import { SignInController } from './auth/sign-in.controller.js';
import { UsersService } from './auth/users.service.js';
import { DevMailController, HostController } from './host.controller.js';
import { MailModule } from './mail.module.js';
import { PaymentsController } from './payments.controller.js';
import { PIN_METHOD } from './pin/pin.method.js';
import { SeedMethodConfigs } from './seed-method-configs.js';

// WITH_EVENTS=1: the host has @nestjs/event-emitter (an optional peer). The name is a variable so the
// app still compiles after the consumer test uninstalls the package to prove the module works without it.
const eventsPackage: string = '@nestjs/event-emitter';
const events = process.env.WITH_EVENTS === '1' ? [(await import(eventsPackage)).EventEmitterModule.forRoot()] : [];

/** ≥ 32 characters, kept out of the database. Outside production the sample falls back to a development secret. */
function twoFactorSecret(): string {
  const secret = process.env.TWO_FACTOR_SECRET;
  if (secret) return secret;
  if (process.env.NODE_ENV === 'production') throw new Error('Set TWO_FACTOR_SECRET in production.');
  return 'sample-development-secret-do-not-use-in-production';
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.SQLITE_FILE ?? ':memory:',
      entities: [...TWO_FACTOR_ENTITIES],
      migrations: twoFactorMigrations('better-sqlite3'),
      migrationsRun: true,
    }),
    MailModule,
    AuthModule,
    ...events,
    // #region two-factor-module
    TwoFactorModule.forRootAsync({
      // Shape options: which methods and routes exist.
      methods: [DUMMY_METHOD, EMAIL_METHOD, TOTP_METHOD, PIN_METHOD],
      routePrefix: 'api/2fa',
      // Runtime options from a factory that injects the host's users, for the enrolment policy.
      imports: [AuthModule],
      inject: [UsersService],
      useFactory: (users: UsersService) => ({
        secret: twoFactorSecret(),
        // This host writes its own method configs (seed-method-configs.ts) instead of the module's defaults.
        seedMethodConfigs: false,
        enrollment: {
          // Since when the user must have a factor (the grace period runs from it), or null.
          required: (userId: string) => users.find(userId)?.factorRequiredSince ?? null,
          gracePeriodSeconds: 0,
        },
      }),
    }),
    // #endregion two-factor-module
  ],
  // The dev mailbox shows live codes: never in production.
  controllers: [SignInController, PaymentsController, AdminController, HostController, ...(process.env.NODE_ENV === 'production' ? [] : [DevMailController])],
  providers: [{ provide: APP_GUARD, useClass: SessionAuthGuard }, SeedMethodConfigs],
})
export class AppModule {}
