import { readFileSync } from 'node:fs';
import { hotp, isWellFormedCode, matchingSteps, timeStep } from './totp.algorithm.js';
import type { TotpAlgorithm } from './totp.dto.js';

interface Vectors {
  hotp: { secret_ascii: string; digits: number; algorithm: TotpAlgorithm; vectors: { counter: number; code: string }[] };
  totp: {
    period: number;
    t0: number;
    digits: number;
    vectors: { time: number; step_hex: string; algorithm: TotpAlgorithm; secret_ascii: string; code: string }[];
  };
}

// A copy of /shared/data/otp-vectors.json (RFC 4226 App. D, RFC 6238 App. B with errata 2866).
const VECTORS: Vectors = JSON.parse(readFileSync(new URL('./otp-vectors.json', import.meta.url), 'utf8'));
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));

describe('RFC 4226 HOTP vectors', () => {
  const { secret_ascii, digits, algorithm } = VECTORS.hotp;
  it.each(VECTORS.hotp.vectors)('counter $counter → $code', ({ counter, code }) => {
    expect(hotp(ascii(secret_ascii), counter, { digits, algorithm })).toBe(code);
  });
});

describe('RFC 6238 TOTP vectors', () => {
  const { period, digits } = VECTORS.totp;
  it('covers every algorithm and the year-2603 row', () => {
    expect(new Set(VECTORS.totp.vectors.map((v) => v.algorithm))).toEqual(new Set(['SHA1', 'SHA256', 'SHA512']));
    expect(VECTORS.totp.vectors.some((v) => v.time === 20000000000)).toBe(true);
  });
  it.each(VECTORS.totp.vectors)('$algorithm at $time s → $code', ({ time, step_hex, algorithm, secret_ascii, code }) => {
    const step = timeStep(time * 1000, period);
    expect(step).toBe(parseInt(step_hex, 16));
    expect(hotp(ascii(secret_ascii), step, { digits, algorithm })).toBe(code);
    expect(matchingSteps(ascii(secret_ascii), code, step, 1, { digits, algorithm })).toEqual([step]);
  });
});

describe('isWellFormedCode', () => {
  it.each(['123456', '000000'])('accepts %p for 6 digits', (code) => {
    expect(isWellFormedCode(code, 6)).toBe(true);
  });
  it.each([
    ['too short', '12345'],
    ['too long', '1234567'],
    ['a longer string ending in a code', 'x123456'],
    ['a space inside', '123 456'],
    ['leading space', ' 12345'],
    ['trailing newline', '12345\n'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['fullwidth digits', '１２３４５６'],
    ['a sign', '+12345'],
    ['a number, not a string', 123456],
    ['nothing', undefined],
  ])('refuses %s', (_name, code) => {
    expect(isWellFormedCode(code, 6)).toBe(false);
  });
});
