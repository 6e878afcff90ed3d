import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';

// A host without @opentelemetry/api: importing it fails, as it does when the package is not installed.
jest.unstable_mockModule('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

const { AnswerJudge } = await import('../confirmations/answer.judge.js');
const { SqlRunner } = await import('../persistence/sql-runner.js');
const { RateLimiter } = await import('../confirmations/rate-limiter.js');
const { ChallengeIssuer } = await import('../confirmations/challenge.issuer.js');
const { ConfirmerService } = await import('../public-api/confirmer.service.js');
const { MethodConfigService } = await import('../admin/method-config.service.js');
const { AuditTrail } = await import('../events/audit-trail.js');
const { TwoFactorModule } = await import('../two-factor.module.js');
const { TwoFactorHealthIndicator } = await import('./two-factor.health.js');
const { loadOpenTelemetryApi } = await import('./otel-api.js');
const { ALWAYS_RIGHT_METHOD } = await import('../../../../test/fixtures/always-right.method.js');
const { inMemoryTwoFactorDatabase } = await import('../../../../test/support/in-memory-database.js');
const { wrappedMethods } = await import('../../../../test/support/wrapped-methods.js');

describe('the module without @opentelemetry/api', () => {
  it('boots, instruments nothing (the services keep their own methods) and works; the health indicator needs neither peer', async () => {
    expect(await loadOpenTelemetryApi()).toBeNull();
    const moduleRef = await Test.createTestingModule({
      imports: [
        inMemoryTwoFactorDatabase(),
        TwoFactorModule.forRoot({
          secret: 'telemetry-spec-secret-telemetry-spec-secret-0123',
          methods: [ALWAYS_RIGHT_METHOD],
          controllers: false,
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    try {
      // Not wrapped: the prototype's own methods, so a host without the package pays nothing per call.
      expect(
        wrappedMethods(app, [
          [AnswerJudge, 'confirm'],
          [SqlRunner, 'rows'],
          [AuditTrail, 'emit'],
          [RateLimiter, 'hit'],
          [ChallengeIssuer, 'issue'],
        ]),
      ).toEqual([]);
      const methodConfig = await app.get(MethodConfigService).create({ method: 'always', title: 'Always' });
      const confirmer = app.get(ConfirmerService);
      const confirmation = await confirmer.requestConfirmation({ methodConfigId: methodConfig.id });
      expect((await confirmer.confirm({ id: confirmation.id, data: {} })).status).toBe('confirmed');
      const health = await app.get(TwoFactorHealthIndicator).isHealthy();
      expect(health.two_factor).toMatchObject({ status: 'up', database: 'up', purge_backlog: { two_factor_confirmation: 0 } });
    } finally {
      await app.close();
    }
  });
});
