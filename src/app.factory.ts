import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { isDatabaseUnavailable, TwoFactorExceptionFilter } from '../libs/two-factor/src/index.js';
import { AppModule } from './app.module.js';
import { answerClientErrorsInEnvelope } from './http/client-error.js';
import type { DemoConfig } from './demo.config.js';

/** The demo could not reach its database while starting, after every try. */
export class DatabaseUnreachableAtStartError extends Error {
  constructor(tries: number, cause: unknown) {
    super(`The database did not answer at start (${tries} ${tries === 1 ? 'try' : 'tries'}): ${(cause as Error)?.message ?? String(cause)}. Check DATABASE_URL and that the database is up.`, { cause });
    this.name = 'DatabaseUnreachableAtStartError';
  }
}

/** Largest JSON body the demo's parser reads. */
export const DEMO_JSON_BODY_LIMIT = '32kb';

/**
 * Builds the demo app (not yet listening): used by `main.ts`, the end-to-end
 * tests and the benchmarks, so all three run the very same app.
 */
export async function createDemoApp(config: DemoConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: logger ?? ['log', 'warn', 'error'], abortOnError: false }).catch((error: unknown) => {
    // Nest would abort the process; say instead, once and plainly, that the database was not there.
    if (!isDatabaseUnavailable(error)) throw error;
    throw new DatabaseUnreachableAtStartError(config.databaseConnect.attempts, error);
  });
  app.enableShutdownHooks();
  // A second line behind the module's input limits (libs/two-factor/src/http/input-limits.ts): no body
  // of the demo is near this size, and the parser refuses a larger one with 413 before reading it all.
  app.useBodyParser('json', { limit: DEMO_JSON_BODY_LIMIT });
  answerClientErrorsInEnvelope(app.getHttpServer());
  // The module's error envelope for the demo's own routes too, and for bodies that are not JSON.
  app.useGlobalFilters(new TwoFactorExceptionFilter(app.get(HttpAdapterHost)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('two-factor for NestJS — demo')
      .setDescription('Sign in with POST /api/v1/auth/login (alice or bob), click Authorize, paste the token.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
