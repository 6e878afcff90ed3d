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
