import { SecretBox } from '../secrets/secret-box.js';
import { amrClaims } from './amr.js';
import { canonicalOperation, isAction, isOperationDetails, matchesOperation, operationDigest, operationDigests } from './step-up-policy.js';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123';

describe('operation binding (no database, no adapter)', () => {
  it('takes actions of 1–64 characters of a-z0-9_.- only', () => {
    expect(['transfer', 'a', 'x'.repeat(64), 'bulk.export_v2-1'].every(isAction)).toBe(true);
    expect(['', 'x'.repeat(65), 'Transfer', 'trans fer', 'überweisung', 1, null].some(isAction)).toBe(false);
  });

  it('takes flat details of at most 16 keys, strings of at most 256 characters or finite numbers', () => {
    expect(isOperationDetails({})).toBe(true);
    expect(isOperationDetails({ amount: '120.00', cents: 12000, rate: -0.5 })).toBe(true);
    expect(isOperationDetails(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'x'.repeat(256)])))).toBe(true);
    for (const bad of [
      Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 1])),
      { payee: 'x'.repeat(257) },
      { amount: Number.NaN },
      { amount: Number.POSITIVE_INFINITY },
      { nested: {} },
      { list: [] },
      { flag: true },
      { none: null },
      { ['k'.repeat(65)]: 'v' },
      { '': 'v' },
      [],
      'transfer',
      null,
      new Date(),
    ])
      expect([bad, isOperationDetails(bad)]).toEqual([bad, false]);
  });

  it('canonicalises by sorting keys and nothing else: every other change is another operation', () => {
    expect(canonicalOperation('transfer', { payee: 'ACME', amount: '1' })).toBe(canonicalOperation('transfer', { amount: '1', payee: 'ACME' }));
    const base = canonicalOperation('transfer', { amount: '120.00', payee: 'ACME Ltd' });
    for (const other of [
      canonicalOperation('transfer', { amount: '120.0', payee: 'ACME Ltd' }),
      canonicalOperation('transfer', { amount: '120.00', payee: 'Acme Ltd' }),
      canonicalOperation('transfer', { amount: 120, payee: 'ACME Ltd' }),
      canonicalOperation('transfer', { amount: '120.00', payee: 'ACME Ltd', extra: '' }),
      canonicalOperation('payout', { amount: '120.00', payee: 'ACME Ltd' }),
      canonicalOperation('transfer', { 'amount","payee': '120.00' }),
    ])
      expect(other).not.toBe(base);
  });

  it('digests with the key: the same operation under another key is another digest; rotation keeps the old one matching', () => {
    const box = new SecretBox(SECRET);
    const digest = operationDigest(box, 'transfer', { amount: '1' });
    expect(digest).toMatch(/^[0-9a-f]{8}:[0-9a-f]{64}$/);
    expect(operationDigest(new SecretBox(`${SECRET}-other`), 'transfer', { amount: '1' })).not.toBe(digest);
    expect(operationDigests(new SecretBox(`${SECRET}-new`, [SECRET]), 'transfer', { amount: '1' })).toContain(digest);
  });

  it('matches a plain route to a plain proof only, a bound route to its action and one of its digests only', () => {
    expect(matchesOperation({ action: null, details_digest: null }, null, [])).toBe(true);
    expect(matchesOperation({ action: 'transfer', details_digest: 'k:d' }, null, [])).toBe(false);
    expect(matchesOperation({ action: null, details_digest: null }, 'transfer', ['k:d'])).toBe(false);
    expect(matchesOperation({ action: 'transfer', details_digest: 'k:d' }, 'transfer', ['k:d'])).toBe(true);
    expect(matchesOperation({ action: 'transfer', details_digest: 'k:e' }, 'transfer', ['k:d'])).toBe(false);
    expect(matchesOperation({ action: 'payout', details_digest: 'k:d' }, 'transfer', ['k:d'])).toBe(false);
  });
});

describe('amr and acr claims (no database, no adapter)', () => {
  it('adds the first factor and mfa, each value once; acr phr for a phishing-resistant factor', () => {
    expect(amrClaims({ amr: ['otp'], phishing_resistant: false })).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: 'mfa' });
    expect(amrClaims({ amr: ['hwk', 'user'], phishing_resistant: true })).toEqual({ amr: ['pwd', 'hwk', 'user', 'mfa'], acr: 'phr' });
    expect(amrClaims({ amr: ['pwd'], phishing_resistant: false })).toEqual({ amr: ['pwd', 'mfa'], acr: 'mfa' });
    expect(amrClaims({ amr: ['sms'], phishing_resistant: false }, { firstFactor: [] })).toEqual({ amr: ['sms'], acr: 'sfa' });
    expect(amrClaims({ amr: ['hwk'], phishing_resistant: true }, { firstFactor: ['swk'] })).toEqual({ amr: ['swk', 'hwk', 'mfa'], acr: 'phr' });
  });
});
