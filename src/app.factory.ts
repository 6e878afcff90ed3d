import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TwoFactorExceptionFilter } from '../libs/two-factor/src/index.js';
import { AppModule } from './app.module.js';
import type { DemoConfig } from './demo.config.js';

/**
 * Builds the demo app (not yet listening): used by `main.ts`, the end-to-end
 * tests and the benchmarks, so all three run the very same app.
 */
export async function createDemoApp(config: DemoConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: logger ?? ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  // The module's error envelope for the demo's own routes too, and for bodies that are not JSON.
  app.useGlobalFilters(new TwoFactorExceptionFilter(app.get(HttpAdapterHost)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('two-factor for NestJS — demo')
      .setDescription('Sign in with POST /api/v1/auth/login (alice, bob or admin), then login/request and login/confirm if it answers two_factor_required; click Authorize, paste the token.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
