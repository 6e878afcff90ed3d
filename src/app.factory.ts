import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addTwoFactorOpenApi, TWO_FACTOR_ADMIN_API_TAG, TwoFactorExceptionFilter } from 'nestjs-two-factor';
import { AppModule } from './app.module.js';
import type { DemoConfig } from './demo.config.js';

/**
 * Builds the demo app (not yet listening): used by `main.ts`, the end-to-end
 * tests and the benchmarks, so all three run the very same app.
 */
export async function createDemoApp(config: DemoConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestApplication> {
  const options = { logger: logger ?? (['log', 'warn', 'error'] as LogLevel[]) };
  const app =
    config.httpAdapter === 'fastify'
      ? await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), options)
      : await NestFactory.create(AppModule.forRoot(config), options);
  app.enableShutdownHooks();
  // The module's error envelope for the demo's own routes too, and for bodies that are not JSON.
  app.useGlobalFilters(new TwoFactorExceptionFilter(app.get(HttpAdapterHost)));
  const document = SwaggerModule.createDocument(
    app,
    addTwoFactorOpenApi(
      new DocumentBuilder()
        .setTitle('two-factor for NestJS — demo')
        .setDescription('Sign in with POST /api/v1/auth/login (alice, bob, or admin for the admin routes), then login/request and login/confirm if it answers two_factor_required; click Authorize, paste the token.')
        .setVersion('0.2.0')
        .setLicense('MIT', 'https://opensource.org/licenses/MIT')
        .addServer('/')
        .addBearerAuth()
        .addTag('demo: auth', 'The demo’s sign-in: a JWT for the seeded users.')
        .addTag('demo: account', 'A host route that demands a fresh second factor.')
        .addTag('demo: health', 'Readiness.')
        .addTag('dev outbox (not in production)', 'Codes the demo would have sent by email or SMS.'),
      { bearerScheme: false },
    ).build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: config.swaggerUi ?? true });
  return app;
}
