import type { BackendContext } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { Status } from '../../entities/status.js';
import { RateLimitedError, ValidationFailedError } from '../../errors/request.errors.js';
import { TwoFactorError } from '../../errors/two-factor.error.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { DeliveryFailedError } from '../../errors/delivery.errors.js';
import type { EmailMessage } from '../../senders/email-sender.js';
import { EmailSender } from '../../senders/email-sender.js';
import { EmailBackend } from './email.backend.js';
import { EmailGlobalConfigDto, EmailUserConfigDto, type EmailStoredConfig } from './email.dto.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { EMAIL_METHOD } from './email.method.js';

const secrets = new SecretBox('unit-test-secret-unit-test-secret-0123456789');

class RecordingSender extends EmailSender {
  sent: EmailMessage[] = [];
  failWith?: unknown;
  async send(message: EmailMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
  }
}

function setUp(global: Record<string, unknown> = {}) {
  const sender = new RecordingSender();
  const backend = new EmailBackend(sender);
  const hits: Array<[string, number, number]> = [];
  const context = (
    stored?: EmailStoredConfig,
    userId: string | null = 'alice',
    status: Status = Status.InProcess,
  ): BackendContext<EmailGlobalConfigDto, EmailStoredConfig> =>
    createTestBackendContext(EMAIL_METHOD, {
      global,
      stored,
      status,
      userId,
      secrets,
      limits: { hit: async (key, max, windowSeconds) => void hits.push([key, max, windowSeconds]) },
    });
  /** Issues a challenge and sends it; returns the code as the recipient reads it. */
  const issue = async (stored?: EmailStoredConfig, data?: Record<string, unknown>) => {
    const challenge = await backend.requestConfirmation(data, context(stored));
    await challenge.deliver!();
    const code = /\b(\d{6,10})\b/.exec(sender.sent.at(-1)!.text)![1];
    return { challenge, code };
  };
  return { sender, backend, hits, context, issue };
}

describe('email config DTOs', () => {
  it('normalises the submitted address before validating it', () => {
    expect(validateDto(EmailUserConfigDto, { email: '  Ann@Example.COM ' }, 'config').email).toBe('Ann@example.com');
  });

  it.each(['ann', 'ann@localhost', 'Ann <ann@example.com>', 'ann@[127.0.0.1]', 'ann\r\nBcc: x@example.com', 'änn@example.com', 42])('refuses %p', (email) => {
    expect(() => validateDto(EmailUserConfigDto, { email }, 'config')).toThrow(ValidationFailedError);
  });

  it('has documented defaults', () => {
    expect({ ...validateDto(EmailGlobalConfigDto, {}, 'config') }).toMatchObject({
      digits: 6,
      ttl_seconds: 600,
      resend_cooldown_seconds: 60,
      max_sends_per_destination_per_hour: 5,
      subject: 'Your verification code',
    });
  });

  it.each([
    { ttl_seconds: 601 },
    { digits: 5 },
    { digits: 11 },
    { text: 'no code here' },
    { subject: 'two\nlines' },
    { from: 'a\r\nBcc: b@example.com' },
    { resend_cooldown_seconds: -1 },
    { max_sends_per_destination_per_hour: 0 },
  ])('refuses the global config %p', (config) => {
    expect(() => validateDto(EmailGlobalConfigDto, config, 'config')).toThrow(ValidationFailedError);
  });
});

describe('EmailBackend', () => {
  it('asks to confirm a new address; its challenge charges the send limits before anything is sent', async () => {
    const { backend, hits, context } = setUp();
    const change = await backend.changeUserConfig({ email: 'Ann@example.com' }, undefined, context());
    expect(change).toEqual({ config: { email: 'Ann@example.com' }, needsConfirmation: true });
    expect(hits).toEqual([]);
    await backend.requestConfirmation(undefined, context(change.config));
    expect(hits).toEqual([
      ['email:cooldown:prove:ann@example.com', 1, 60],
      ['email:dest:ann@example.com', 5, 3600],
    ]);
  });

  it('scopes the resend cooldown by purpose: a confirmed factor’s code (sign-in, step-up) has its own, the caps are shared', async () => {
    const { backend, hits, context } = setUp();
    await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }, 'alice', Status.Confirmed));
    expect(hits).toEqual([
      ['email:cooldown:use:ann@example.com', 1, 60],
      ['email:dest:ann@example.com', 5, 3600],
    ]);
  });

  it('keeps an unchanged address without a new confirmation or send', async () => {
    const { backend, hits, context } = setUp();
    const current = { email: 'ann@example.com' };
    expect(await backend.changeUserConfig({ email: 'ann@example.com' }, current, context(current))).toEqual({ config: current, needsConfirmation: false });
    expect((await backend.changeUserConfig({ email: 'bob@example.com' }, current, context(current))).needsConfirmation).toBe(true);
    expect(hits).toEqual([]);
  });

  it('charges every challenge, the enrolment one and each resend', async () => {
    const { backend, hits, context } = setUp();
    const { config } = await backend.changeUserConfig({ email: 'ann@example.com' }, undefined, context());
    await backend.requestConfirmation(undefined, context(config));
    expect(hits).toHaveLength(2);
    await backend.requestConfirmation(undefined, context(config));
    expect(hits).toHaveLength(4);
  });

  it('shows only a masked address', () => {
    expect(setUp().backend.publicConfig({ email: 'ann@example.com' })).toEqual({ email: 'a***@example.com' });
  });

  it('issues a CSPRNG code of `digits` digits, keeps only its hash, and sends it to the stored address', async () => {
    const { sender, issue } = setUp({
      digits: 8,
      ttl_seconds: 300,
      subject: 'Code',
      from: 'Shop <shop@example.com>',
      text: 'Use {code} within {minutes} minutes.',
    });
    const { challenge, code } = await issue({ email: 'ann@example.com' }, { email: 'mallory@example.com' });
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(challenge).toMatchObject({ sent: true, ttlSeconds: 300, debugCode: code, state: { digits: 8, to: 'ann@example.com' } });
    expect(JSON.stringify(challenge.state)).not.toContain(code);
    expect(secrets.verify(code, challenge.state.code_hash)).toBe(true);
    expect(sender.sent).toEqual([{ to: 'ann@example.com', subject: 'Code', from: 'Shop <shop@example.com>', text: `Use ${code} within 5 minutes.` }]);
  });

  it('shows the client only the masked destination as the public challenge, never the code', async () => {
    const { backend, context } = setUp();
    const challenge = await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }));
    expect(challenge.public).toEqual({ destination: 'a***@example.com' });
    const anonymous = await backend.requestConfirmation({ email: 'bob@example.org' }, context(undefined, null));
    expect(anonymous.public).toEqual({ destination: 'b***@example.org' });
  });

  it('sends nothing until deliver() runs', async () => {
    const { backend, sender, context } = setUp();
    await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }));
    expect(sender.sent).toEqual([]);
  });

  it('draws a different code each time', async () => {
    const { issue } = setUp();
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await issue({ email: 'ann@example.com' })).code);
    expect(codes.size).toBeGreaterThan(15);
  });

  it('verifies an address named in data for method-level requests, and refuses a bad one before counting anything', async () => {
    const { backend, hits, context, issue } = setUp();
    const { challenge } = await issue(undefined, { email: ' Ann@Example.COM' });
    expect(challenge.state.to).toBe('Ann@example.com');
    hits.length = 0;
    for (const data of [undefined, {}, { email: 'nope' }, { email: 'ann@example.com', cc: 'x@example.com' }]) {
      await expect(backend.requestConfirmation(data, context())).rejects.toBeInstanceOf(ValidationFailedError);
    }
    expect(hits).toEqual([]);
  });

  it('accepts exactly `digits` ASCII digits and nothing else', async () => {
    const { backend, context, issue } = setUp();
    const { challenge, code } = await issue({ email: 'ann@example.com' });
    const confirm = (value: unknown) => backend.confirm(challenge.state, { code: value }, context());
    const fullWidth = [...code].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join('');
    for (const spelling of [
      ` ${code}`,
      `${code} `,
      `0${code}`,
      code.slice(1),
      `${code.slice(0, 3)} ${code.slice(3)}`,
      fullWidth,
      Number(code),
      undefined,
      [code],
    ]) {
      expect(confirm(spelling)).toBe(false);
    }
    expect(confirm(code === '000000' ? '000001' : '000000')).toBe(false);
    expect(confirm(code)).toBe(true);
  });

  it('judges by the digits the code was issued with, even if the config changed since', async () => {
    const { backend, issue } = setUp({ digits: 7 });
    const { challenge, code } = await issue({ email: 'ann@example.com' });
    expect(backend.confirm(challenge.state, { code }, setUp({ digits: 6 }).context())).toBe(true);
  });

  it('turns a sender failure into delivery_failed without repeating its message', async () => {
    const { backend, sender, context } = setUp();
    const challenge = await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }));
    sender.failWith = new Error(`SMTP refused the message: ${challenge.debugCode}`);
    const failure = await challenge.deliver!().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect((failure as TwoFactorError).code).toBe('delivery_failed');
    expect(JSON.stringify(failure) + String((failure as Error).message)).not.toContain(challenge.debugCode!);
  });

  it('lets the sender’s own module errors through', async () => {
    const { backend, sender, context } = setUp();
    const challenge = await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }));
    sender.failWith = new RateLimitedError(30);
    await expect(challenge.deliver!()).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('stops at the first limit that refuses, before a code is made', async () => {
    const { backend, sender, context } = setUp();
    const refusing = { ...context({ email: 'ann@example.com' }), limits: { hit: async () => Promise.reject(new RateLimitedError(42)) } };
    await expect(backend.requestConfirmation(undefined, refusing)).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 42 });
    expect(sender.sent).toEqual([]);
  });

  it('skips the cooldown when it is 0', async () => {
    const { backend, hits, context } = setUp({ resend_cooldown_seconds: 0 });
    await backend.requestConfirmation(undefined, context({ email: 'ann@example.com' }));
    expect(hits.map(([key]) => key)).toEqual(['email:dest:ann@example.com']);
  });
});
