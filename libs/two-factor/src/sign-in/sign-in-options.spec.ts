import { resolveTwoFactorOptions } from '../options/two-factor.options.js';

const secret = 'x'.repeat(32);

describe('sign-in, device and enrolment options', () => {
  it('default to a 5-minute pending sign-in, 30-day devices and nobody required to enrol', async () => {
    const options = resolveTwoFactorOptions({ secret });
    expect(options.signInTtlSeconds).toBe(300);
    expect(options.rememberDeviceSeconds).toBe(30 * 86400);
    expect(await options.enrollment.required('anyone')).toBeNull();
    expect(options.enrollment.gracePeriodSeconds).toBe(0);
    expect(options.enrollment.methods).toBeNull();
  });

  it('keep what the app gives', () => {
    const required = () => new Date(0);
    const options = resolveTwoFactorOptions({
      secret,
      signInTtlSeconds: 60,
      rememberDeviceSeconds: 14 * 86400,
      enrollment: { required, gracePeriodSeconds: 3600, methods: ['totp'] },
    });
    expect(options).toMatchObject({
      signInTtlSeconds: 60,
      rememberDeviceSeconds: 14 * 86400,
      enrollment: { required, gracePeriodSeconds: 3600, methods: ['totp'] },
    });
  });

  it.each([
    [{ signInTtlSeconds: 0 }, /signInTtlSeconds/],
    [{ rememberDeviceSeconds: -1 }, /rememberDeviceSeconds/],
    [{ enrollment: { required: () => null, gracePeriodSeconds: 1.5 } }, /enrollment.gracePeriodSeconds/],
  ])('refuse %j at startup, naming the option', (given, message) => {
    expect(() => resolveTwoFactorOptions({ secret, ...given })).toThrow(message);
  });
});
