import { resolveTwoFactorOptions, TWO_FACTOR_DEFAULTS } from './two-factor.options.js';

describe('debug code response', () => {
  it('is refused at startup when NODE_ENV=production', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => resolveTwoFactorOptions({ secret: 'x'.repeat(32), debugCodeResponse: true })).toThrow(/refused when NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('is off by default', () => {
    expect(resolveTwoFactorOptions({ secret: 'x'.repeat(32) }).debugCodeResponse).toBe(false);
  });
});

describe('option defaults', () => {
  it('are what TWO_FACTOR_DEFAULTS publishes', () => {
    const resolved = resolveTwoFactorOptions({ secret: 'x'.repeat(32) });
    for (const [name, value] of Object.entries(TWO_FACTOR_DEFAULTS)) expect(resolved[name as keyof typeof resolved]).toBe(value);
  });

  it('refuse a value that is not a positive integer, naming the option', () => {
    expect(() => resolveTwoFactorOptions({ secret: 'x'.repeat(32), maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});

describe('seedMethodConfigs', () => {
  it('is on by default outside production and off by default in production; an explicit value wins', () => {
    const previous = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'development';
      expect(resolveTwoFactorOptions({ secret: 'x'.repeat(32) }).seedMethodConfigs).toBe(true);
      process.env.NODE_ENV = 'production';
      expect(resolveTwoFactorOptions({ secret: 'x'.repeat(32) }).seedMethodConfigs).toBe(false);
      expect(resolveTwoFactorOptions({ secret: 'x'.repeat(32), seedMethodConfigs: true }).seedMethodConfigs).toBe(true);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});

describe('recovery and accessCodes (issue 22)', () => {
  const secret = 'x'.repeat(32);
  it('recovery is off by default; on, it waits 72 hours and stays open 7 days', () => {
    expect(resolveTwoFactorOptions({ secret }).recovery).toEqual({
      enabled: false,
      waitSeconds: 259200,
      openSeconds: 604800,
      startsPerUserPerDay: 3,
      startsPerIpPerHour: 10,
    });
    expect(resolveTwoFactorOptions({ secret, recovery: { enabled: true, waitSeconds: 0 } }).recovery).toMatchObject({ enabled: true, waitSeconds: 0 });
  });

  it('access codes live 1 hour by default, 24 hours at most; a bad value fails at startup, naming the option', () => {
    expect(resolveTwoFactorOptions({ secret }).accessCodes).toEqual({ defaultLifetimeSeconds: 3600, maxLifetimeSeconds: 86400, attemptsPerUserPerHour: 10 });
    expect(() => resolveTwoFactorOptions({ secret, recovery: { enabled: true, waitSeconds: -1 } })).toThrow(/recovery\.waitSeconds/);
    expect(() => resolveTwoFactorOptions({ secret, accessCodes: { maxLifetimeSeconds: 0 } })).toThrow(/accessCodes\.maxLifetimeSeconds/);
    expect(() => resolveTwoFactorOptions({ secret, accessCodes: { defaultLifetimeSeconds: 7200, maxLifetimeSeconds: 3600 } })).toThrow(
      /accessCodes\.defaultLifetimeSeconds/,
    );
  });
});
