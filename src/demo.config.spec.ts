import { demoConfigFromEnv } from './demo.config.js';

describe('the demo WebAuthn environment', () => {
  it('defaults to rp id localhost and the origin of PORT', () => {
    expect(demoConfigFromEnv({ PORT: '4000' }).webauthn).toEqual({ rpId: 'localhost', origins: ['http://localhost:4000'] });
  });

  it('takes WEBAUTHN_RP_ID and comma-separated WEBAUTHN_ORIGINS', () => {
    expect(demoConfigFromEnv({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.com, https://www.example.com,' }).webauthn).toEqual({
      rpId: 'example.com',
      origins: ['https://example.com', 'https://www.example.com'],
    });
  });
});

describe('the demo DATABASE_POOL_SIZE', () => {
  const pg = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' };

  it("sets PostgreSQL's pool size, and leaves node-postgres' default when unset", () => {
    expect(demoConfigFromEnv({ ...pg, DATABASE_POOL_SIZE: '24' }).database).toMatchObject({ type: 'postgres', poolSize: 24 });
    expect(demoConfigFromEnv(pg).database).not.toHaveProperty('poolSize');
  });

  it("sets MySQL/MariaDB's pool size, on mysql:// and mariadb:// alike", () => {
    for (const DATABASE_URL of ['mysql://root@127.0.0.1:3306/none', 'mariadb://root@127.0.0.1:3306/none'])
      expect(demoConfigFromEnv({ DATABASE_URL, DATABASE_POOL_SIZE: '24' }).database).toMatchObject({
        type: DATABASE_URL.startsWith('mariadb') ? 'mariadb' : 'mysql',
        url: 'mysql://root@127.0.0.1:3306/none',
        poolSize: 24,
      });
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    for (const size of ['0', '-3', 'ten', '2.5'])
      expect(() => demoConfigFromEnv({ ...pg, DATABASE_POOL_SIZE: size })).toThrow(/DATABASE_POOL_SIZE must be a whole number of at least 1/);
  });
});
