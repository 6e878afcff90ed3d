import type { ExecutionContext, HttpException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { DatabaseUnavailableError } from '../../errors/input.errors.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import type { EnrollmentService } from '../../enrollment/enrollment.service.js';
import { TwoFactorEnrollmentGuard } from './require-enrollment.decorator.js';

/**
 * The enrollment guard runs on host routes, whose exception filter may not know
 * the module's errors: like the step-up guard it says itself when to retry.
 */
describe('TwoFactorEnrollmentGuard when the database is down', () => {
  it('throws 503 database_unavailable and sets Retry-After on the response', async () => {
    const headers = new Map<string, string>();
    const response = {};
    const adapterHost = {
      httpAdapter: { setHeader: (target: unknown, name: string, value: string) => target === response && headers.set(name, value) },
    } as unknown as HttpAdapterHost;
    const enrollment = {
      assertEnrolled: async () => {
        throw new DatabaseUnavailableError();
      },
    } as unknown as EnrollmentService;
    const options = { getUserId: () => 'alice' } as unknown as ResolvedTwoFactorOptions;
    const context = { switchToHttp: () => ({ getRequest: () => ({}), getResponse: () => response }) } as unknown as ExecutionContext;
    const guard = new TwoFactorEnrollmentGuard(enrollment, options, adapterHost);

    const thrown = (await guard.canActivate(context).catch((error: unknown) => error)) as HttpException;
    expect(thrown.getStatus()).toBe(503);
    expect(thrown.getResponse()).toMatchObject({ code: 'database_unavailable' });
    expect(headers.get('Retry-After')).toBe('5');
  });
});
