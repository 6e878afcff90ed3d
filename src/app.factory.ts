import 'reflect-metadata';
import type { DynamicModule, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addTwoFactorOpenApi, isDatabaseUnavailable, TWO_FACTOR_ADMIN_API_TAG, TwoFactorExceptionFilter } from 'nestjs-two-factor';
import { AppModule } from './app.module.js';
import { answerClientError, answerClientErrorsInEnvelope } from './http/client-error.js';
import type { DemoConfig } from './demo.config.js';
import { startDemoTelemetry } from './telemetry/demo-telemetry.js';

/** The demo could not reach its database while starting, after every try. */
export class DatabaseUnreachableAtStartError extends Error {
  constructor(tries: number, cause: unknown) {
    super(
      `The database did not answer at start (${tries} ${tries === 1 ? 'try' : 'tries'}): ${(cause as Error)?.message ?? String(cause)}. Check DATABASE_URL and that the database is up.`,
      { cause },
    );
    this.name = 'DatabaseUnreachableAtStartError';
  }
}

/** Largest JSON body the demo's parser reads (Express's parser takes the text, Fastify the bytes). */
export const DEMO_JSON_BODY_LIMIT = '32kb';
const DEMO_JSON_BODY_LIMIT_BYTES = 32 * 1024;

/**
 * Builds the demo app (not yet listening): used by `main.ts` and the end-to-end
 * tests, so both run the very same app. `root` is the module to boot: the demo's
 * own unless a caller wraps it (a module that imports `AppModule.forRoot(config)`
 * beside its own routes gets the same adapter, parsers, filter and Swagger).
 */
export async function createDemoApp(
  config: DemoConfig,
  logger?: LoggerService | LogLevel[] | false,
  root: DynamicModule = AppModule.forRoot(config),
): Promise<INestApplication> {
  // Before the app boots: the module takes its meter and tracer at start-up.
  if (config.telemetry) startDemoTelemetry();
  const options = { logger: logger ?? (['log', 'warn', 'error'] as LogLevel[]), abortOnError: false };
  const created =
    config.httpAdapter === 'fastify'
      ? NestFactory.create<NestFastifyApplication>(
          root,
          new FastifyAdapter({ bodyLimit: DEMO_JSON_BODY_LIMIT_BYTES, clientErrorHandler: answerClientError }),
          options,
        )
      : NestFactory.create<NestExpressApplication>(root, options);
  const app = await created.catch((error: unknown) => {
    // Nest would abort the process; say instead, once and plainly, that the database was not there.
    if (!isDatabaseUnavailable(error)) throw error;
    throw new DatabaseUnreachableAtStartError(config.databaseConnect.attempts, error);
  });
  app.enableShutdownHooks();
  // A second line behind the module's input limits (libs/two-factor/src/http/input/input-limits.ts): no body
  // of the demo is near this size, and the parser refuses a larger one with 413 before reading it all.
  if (config.httpAdapter === 'express') (app as NestExpressApplication).useBodyParser('json', { limit: DEMO_JSON_BODY_LIMIT });
  if (config.httpAdapter === 'express') answerClientErrorsInEnvelope(app.getHttpServer());
  // The module's error envelope for the demo's own routes too, and for bodies that are not JSON;
  // the module's own instance, so those messages are in the request's language too.
  app.useGlobalFilters(app.get(TwoFactorExceptionFilter));
  const document = SwaggerModule.createDocument(
    app,
    addTwoFactorOpenApi(
      new DocumentBuilder()
        .setTitle('two-factor for NestJS — demo')
        .setDescription(
          'Sign in with POST /api/v1/auth/login (alice, bob, or admin for the admin routes), then login/request and login/confirm if it answers two_factor_required; click Authorize, paste the token.',
        )
        .setVersion('0.2.0')
        .setLicense('MIT', 'https://opensource.org/licenses/MIT')
        .addServer('/')
        .addBearerAuth()
        .addTag('demo: auth', 'The demo’s sign-in: a JWT for the seeded users.')
        .addTag('demo: account', 'A host route that demands a fresh second factor.')
        .addTag('demo: health', 'Readiness.')
        .addTag('dev outbox (not in production)', 'Codes the demo would have sent by email or SMS.')
        .addTag(TWO_FACTOR_ADMIN_API_TAG.name, TWO_FACTOR_ADMIN_API_TAG.description),
      { bearerScheme: false },
    ).build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: config.swaggerUi ?? true });
  return app;
}
