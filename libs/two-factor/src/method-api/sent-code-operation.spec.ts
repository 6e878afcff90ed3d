import { BACKUP_CODES_METHOD, DUMMY_METHOD, EMAIL_METHOD, SMS_METHOD, TOTP_METHOD, WEBAUTHN_METHOD } from '../methods/index.js';
import { TWO_FACTOR_MESSAGES } from '../i18n/messages.js';
import type { BackendContext } from './backend.js';
import { sentCodeText } from './sent-code.backend.js';

const operation = { action: 'transfer', details: { amount: '120.00' }, digest: 'k:d', description: 'transfer of 120.00 EUR to ACME Ltd' };
const ctx = (extra: Partial<BackendContext> = {}) => ({ ...extra }) as BackendContext;

describe('a sent code names the operation it approves (no database, no adapter)', () => {
  it('the catalogue text: its operation variant', () => {
    expect(sentCodeText(TWO_FACTOR_MESSAGES['sent_code.sms.text'], 'sent_code.sms.text', '123456', 300, ctx({ operation }))).toBe(
      'Code 123456 approves: transfer of 120.00 EUR to ACME Ltd. It expires in 5 minutes.',
    );
    expect(sentCodeText(TWO_FACTOR_MESSAGES['sent_code.email.text'], 'sent_code.email.text', '123456', 600, ctx({ operation }))).toContain(
      'approves: transfer of 120.00 EUR to ACME Ltd.',
    );
    // The subject has no variant.
    expect(sentCodeText(TWO_FACTOR_MESSAGES['sent_code.email.subject'], 'sent_code.email.subject', '123456', 600, ctx({ operation }))).toBe(
      'Your verification code',
    );
    // Without an operation, as before.
    expect(sentCodeText(TWO_FACTOR_MESSAGES['sent_code.sms.text'], 'sent_code.sms.text', '123456', 300, ctx())).toBe(
      'Your verification code is 123456. It expires in 5 minutes.',
    );
  });

  it("an admin's own text: {operation} where it says, else a line after it", () => {
    expect(sentCodeText('{code} for {operation}', 'sent_code.sms.text', '123456', 300, ctx({ operation }))).toBe(
      '123456 for transfer of 120.00 EUR to ACME Ltd',
    );
    expect(sentCodeText('Code: {code}', 'sent_code.sms.text', '123456', 300, ctx({ operation }))).toBe(
      'Code: 123456\nApproves: transfer of 120.00 EUR to ACME Ltd.',
    );
    // A detail that looks like a placeholder stays as it is.
    const tricky = { ...operation, description: 'transfer to {code}' };
    expect(sentCodeText(TWO_FACTOR_MESSAGES['sent_code.sms.text'], 'sent_code.sms.text', '123456', 300, ctx({ operation: tricky }))).toBe(
      'Code 123456 approves: transfer to {code}. It expires in 5 minutes.',
    );
  });

  it('the built-in methods declare their RFC 8176 values; only WebAuthn resists phishing', () => {
    const amr = (descriptor: { amr?: readonly string[] | ((config: Record<string, unknown>) => readonly string[]) }, config = {}) =>
      typeof descriptor.amr === 'function' ? descriptor.amr(config) : descriptor.amr;
    expect([TOTP_METHOD, EMAIL_METHOD, SMS_METHOD, BACKUP_CODES_METHOD, DUMMY_METHOD].map((method) => amr(method))).toEqual([
      ['otp'],
      ['otp'],
      ['sms'],
      ['otp'],
      ['pwd'],
    ]);
    expect(amr(WEBAUTHN_METHOD, { user_verification: 'preferred' })).toEqual(['hwk']);
    expect(amr(WEBAUTHN_METHOD, { user_verification: 'required' })).toEqual(['hwk', 'user']);
    expect([TOTP_METHOD, EMAIL_METHOD, SMS_METHOD, BACKUP_CODES_METHOD, DUMMY_METHOD, WEBAUTHN_METHOD].map((m) => m.phishingResistant === true)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
