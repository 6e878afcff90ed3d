import { timingSafeEqual } from 'node:crypto';
import { generateSync, generateURI } from 'otplib';
import type { TotpAlgorithm } from './totp.dto.js';

/** How codes are made: the parameters an authenticator app was set up with. */
export interface OtpParameters {
  digits: number;
  algorithm: TotpAlgorithm;
}

/** RFC 4226 HOTP value for `counter` (otplib does the HMAC and truncation). */
export function hotp(seed: Uint8Array, counter: number, parameters: OtpParameters): string {
  return generateSync({
    strategy: 'hotp',
    secret: seed,
    counter,
    digits: parameters.digits,
    algorithm: parameters.algorithm.toLowerCase() as Lowercase<TotpAlgorithm>,
  });
}

/** RFC 6238 time step T = floor((now - T0) / period), with T0 = 0. */
export function timeStep(epochMs: number, periodSeconds: number): number {
  return Math.floor(epochMs / 1000 / periodSeconds);
}

/**
 * Whether `code` is exactly `digits` ASCII digits: no spaces, no other scripts'
 * digits, nothing around it. Nothing is normalised, so one step has one spelling.
 */
export function isWellFormedCode(code: unknown, digits: number): code is string {
  return typeof code === 'string' && code.length === digits && /^[0-9]+$/.test(code);
}

/**
 * The steps in `[step - window, step + window]` whose code equals `code`. Every
 * candidate is computed and compared in constant time, so timing does not tell
 * which step (if any) matched.
 */
export function matchingSteps(seed: Uint8Array, code: string, step: number, window: number, parameters: OtpParameters): number[] {
  const given = Buffer.from(code, 'ascii');
  const matches: number[] = [];
  for (let candidate = step - window; candidate <= step + window; candidate++) {
    if (candidate < 0) continue;
    const expected = Buffer.from(hotp(seed, candidate, parameters), 'ascii');
    if (expected.length === given.length && timingSafeEqual(expected, given)) matches.push(candidate);
  }
  return matches;
}

/** The `otpauth://totp/…` URI an authenticator app scans. */
export function otpauthUri(seedBase32: string, options: OtpParameters & { issuer: string; label: string; period: number }): string {
  return generateURI({
    strategy: 'totp',
    issuer: options.issuer,
    label: options.label,
    secret: seedBase32,
    digits: options.digits,
    algorithm: options.algorithm.toLowerCase() as Lowercase<TotpAlgorithm>,
    period: options.period,
  });
}
