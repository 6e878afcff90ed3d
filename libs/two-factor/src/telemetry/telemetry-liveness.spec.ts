import { jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ProxyTracer, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MethodConfigService } from '../admin/method-config.service.js';
import { AuditTrail } from '../events/audit-trail.js';
import { RateLimiter } from '../confirmations/rate-limiter.js';
import { ChallengeIssuer } from '../confirmations/challenge.issuer.js';
import { ConfirmerService } from '../public-api/confirmer.service.js';
import { TwoFactorModule } from '../two-factor.module.js';
import { ALWAYS_RIGHT_METHOD } from '../../../../test/fixtures/always-right.method.js';
import { inMemoryTwoFactorDatabase } from '../../../../test/support/in-memory-database.js';
import { wrappedMethods } from '../../../../test/support/wrapped-methods.js';

async function boot(): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      inMemoryTwoFactorDatabase(),
      TwoFactorModule.forRoot({
        secret: 'liveness-spec-secret-liveness-spec-secret-0123',
        methods: [ALWAYS_RIGHT_METHOD],
        controllers: false,
      }),
    ],
  }).compile();
  return moduleRef.init();
}

/** A method-level confirmation requested and confirmed through the public service. */
async function confirmOnce(app: INestApplicationContext, methodConfigId: number): Promise<void> {
  const confirmer = app.get(ConfirmerService);
  const confirmation = await confirmer.requestConfirmation({ methodConfigId });
  expect((await confirmer.confirm({ id: confirmation.id, data: {} })).status).toBe('confirmed');
}

// The API is installed (a devDependency) and, in this file, no SDK is registered when the app boots.
describe('telemetry with the API but no SDK at start-up', () => {
  let app: INestApplicationContext;
  let methodConfigId: number;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    app = await boot();
    methodConfigId = (await app.get(MethodConfigService).create({ method: 'always', title: 'Always' })).id;
  });
  afterAll(async () => {
    await app?.close();
    trace.disable();
  });

  it('starts no span while no SDK is registered, and installs no counter (the no-op meter never records)', async () => {
    const started = jest.spyOn(ProxyTracer.prototype, 'startSpan');
    try {
      await confirmOnce(app, methodConfigId);
      expect(started).not.toHaveBeenCalled();
    } finally {
      started.mockRestore();
    }
    expect(
      wrappedMethods(app, [
        [AuditTrail, 'emit'],
        [RateLimiter, 'hit'],
        [ChallengeIssuer, 'issue'],
      ]),
    ).toEqual([]);
  });

  it('traces every operation and its statements from the first call after an SDK registers a TracerProvider', async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    await confirmOnce(app, methodConfigId);
    const spans = exporter.getFinishedSpans();
    const names = spans.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['two_factor.confirmation.request', 'two_factor.confirmation.confirm']));
    const [confirm] = spans.filter((span) => span.name === 'two_factor.confirmation.confirm');
    const children = spans.filter((span) => span.parentSpanContext?.spanId === confirm.spanContext().spanId);
    expect(children.map((span) => span.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^(UPDATE|SELECT|WITH|TRANSACTION)/)]));
  });
});
