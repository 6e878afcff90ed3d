import type { BackendContext } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { Status } from '../../entities/status.js';
import { ValidationFailedError } from '../../errors/request.errors.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { SmsSender, type SmsMessage } from '../../senders/sms-sender.js';
import { SmsBackend } from './sms.backend.js';
import { SmsGlobalConfigDto, type SmsStoredConfig } from './sms.dto.js';
import { SMS_METHOD } from './sms.method.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';

const secrets = new SecretBox('unit-test-secret-unit-test-secret-0123456789');

class RecordingSender extends SmsSender {
  sent: SmsMessage[] = [];
  async send(message: SmsMessage): Promise<void> {
    this.sent.push(message);
  }
}

function setUp(global: Record<string, unknown> = {}) {
  const sender = new RecordingSender();
  const backend = new SmsBackend(sender);
  const hits: Array<[string, number, number]> = [];
  const context = (stored?: SmsStoredConfig, userId: string | null = 'alice'): BackendContext<SmsGlobalConfigDto, SmsStoredConfig> =>
    createTestBackendContext(SMS_METHOD, {
      global,
      stored,
      status: Status.InProcess,
      userId,
      secrets,
      limits: { hit: async (key, max, windowSeconds) => void hits.push([key, max, windowSeconds]) },
    });
  return { sender, backend, hits, context };
}

describe('SMS global config', () => {
  it('has documented defaults', () => {
    expect({ ...validateDto(SmsGlobalConfigDto, {}, 'config') }).toMatchObject({
      digits: 6,
      ttl_seconds: 600,
      resend_cooldown_seconds: 60,
      allowed_countries: [],
      max_sends_per_number_per_day: 10,
      max_sends_per_prefix_per_day: 100,
      prefix_digits: 4,
    });
  });

  it('describes itself in JSON schemas without dangling references', () => {
    expect(JSON.stringify([SMS_METHOD.globalConfigSchema, SMS_METHOD.userConfigSchema])).not.toContain('$ref');
    expect(SMS_METHOD.globalConfigSchema).toMatchObject({
      properties: { allowed_countries: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}$' } } },
    });
    expect(SMS_METHOD.userConfigSchema).toMatchObject({ properties: { phone: { type: 'string' } }, required: ['phone'] });
  });

  it('takes country codes in either case', () => {
    expect(validateDto(SmsGlobalConfigDto, { allowed_countries: ['gb', 'Fr'], default_country: 'gb' }, 'config')).toMatchObject({
      allowed_countries: ['GB', 'FR'],
      default_country: 'GB',
    });
  });

  it.each([
    { allowed_countries: ['UK'] },
    { allowed_countries: 'GB' },
    { default_country: 'XX' },
    { ttl_seconds: 900 },
    { text: 'no code' },
    { prefix_digits: 0 },
    { max_sends_per_prefix_per_day: 0 },
  ])('refuses %p', (config) => {
    expect(() => validateDto(SmsGlobalConfigDto, config, 'config')).toThrow(ValidationFailedError);
  });
});

describe('SmsBackend', () => {
  it('stores the number in E.164 and asks to confirm it; its challenge charges per-number and per-range daily caps first', async () => {
    const { backend, hits, context } = setUp();
    const change = await backend.changeUserConfig({ phone: '+44 7400 123456' }, undefined, context());
    expect(change).toEqual({ config: { phone: '+447400123456' }, needsConfirmation: true });
    expect(hits).toEqual([]);
    await backend.requestConfirmation(undefined, context(change.config));
    expect(hits).toEqual([
      ['sms:cooldown:prove:+447400123456', 1, 60],
      ['sms:dest:+447400123456', 10, 86400],
      ['sms:prefix:+447400', 100, 86400],
    ]);
  });

  it('shows the client only the masked number as the public challenge', async () => {
    const { backend, context } = setUp();
    const challenge = await backend.requestConfirmation(undefined, context({ phone: '+447400123456' }));
    expect(challenge.public).toEqual({ destination: backend.publicConfig({ phone: '+447400123456' }).phone });
    expect(JSON.stringify(challenge.public)).not.toContain('7400123456');
  });

  it('treats another spelling of the stored number as unchanged', async () => {
    const { backend, hits, context } = setUp({ default_country: 'GB' });
    const current = { phone: '+447400123456' };
    expect(await backend.changeUserConfig({ phone: '07400 123 456' }, current, context(current))).toEqual({ config: current, needsConfirmation: false });
    expect(hits).toEqual([]);
  });

  it('refuses a number from a country not allowed, before counting anything', async () => {
    const { backend, hits, context } = setUp({ allowed_countries: ['FR'] });
    expect(() => backend.changeUserConfig({ phone: '+447400123456' }, undefined, context())).toThrow(ValidationFailedError);
    await expect(backend.requestConfirmation({ phone: '+447400123456' }, context())).rejects.toBeInstanceOf(ValidationFailedError);
    expect(hits).toEqual([]);
  });

  it('refuses to text a stored number whose country the config no longer allows', async () => {
    const { backend, sender, context } = setUp({ allowed_countries: ['FR'] });
    await expect(backend.requestConfirmation(undefined, context({ phone: '+447400123456' }))).rejects.toBeInstanceOf(ValidationFailedError);
    expect(sender.sent).toEqual([]);
  });

  it('shows only a masked number', () => {
    expect(setUp().backend.publicConfig({ phone: '+447400123456' })).toEqual({ phone: '+4474******56' });
  });

  it('texts a hashed-only code to the number, with the configured text', async () => {
    const { backend, sender, context } = setUp({ digits: 7, ttl_seconds: 240, text: '{code} is your code ({minutes} min)' });
    const challenge = await backend.requestConfirmation({ phone: '+33 6 12 34 56 78' }, context(undefined, null));
    await challenge.deliver!();
    const code = challenge.debugCode!;
    expect(code).toMatch(/^[0-9]{7}$/);
    expect(challenge).toMatchObject({ sent: true, ttlSeconds: 240, state: { digits: 7, to: '+33612345678' } });
    expect(JSON.stringify(challenge.state)).not.toContain(code);
    expect(sender.sent).toEqual([{ to: '+33612345678', text: `${code} is your code (4 min)` }]);
    expect(backend.confirm(challenge.state, { code }, context())).toBe(true);
    expect(backend.confirm(challenge.state, { code: ` ${code}` }, context())).toBe(false);
  });

  it('uses prefix_digits for the range cap', async () => {
    const { backend, hits, context } = setUp({ prefix_digits: 2, max_sends_per_prefix_per_day: 7 });
    await backend.requestConfirmation(undefined, context({ phone: '+447400123456' }));
    expect(hits).toContainEqual(['sms:prefix:+4474', 7, 86400]);
  });

  it('refuses a malformed method-level request', async () => {
    const { backend, context } = setUp();
    for (const data of [undefined, { phone: 12 }, { phone: '+447400123456', email: 'x@example.com' }, { phone: 'call me' }]) {
      await expect(backend.requestConfirmation(data, context())).rejects.toBeInstanceOf(ValidationFailedError);
    }
  });
});
