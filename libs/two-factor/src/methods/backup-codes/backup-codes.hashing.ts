import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SecretBox } from '../../secrets/secret-box.js';

/** 32 letters and digits, without l, o, 0 and 1, which are easy to misread. */
export const BACKUP_CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 10 symbols of 5 bits: 50 bits from the CSPRNG per code. */
export const BACKUP_CODE_LENGTH = 10;

/**
 * scrypt's default cost (16 MiB, tens of ms). The codes are random 50-bit
 * values, not passwords, so this is a wide margin rather than the only defence.
 */
const SCRYPT: ScryptOptions = { N: 2 ** 14, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = 'scrypt';

const CANONICAL = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{${BACKUP_CODE_LENGTH}}$`);

/** A new code in its canonical form (10 lowercase symbols, no dash). */
export function generateBackupCode(): string {
  let code = '';
  for (let i = 0; i < BACKUP_CODE_LENGTH; i++) code += BACKUP_CODE_ALPHABET[randomInt(BACKUP_CODE_ALPHABET.length)];
  return code;
}

/** How a code is shown: two groups of five, `abcde-fghij`. */
export function displayBackupCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The canonical form of what the user typed, or null. Only ASCII input is
 * considered, so case folding cannot turn another script's letter (the Kelvin
 * sign, dotted İ) into one of ours; dashes and spaces from the display go.
 */
export function normalizeBackupCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32 || !/^[A-Za-z0-9 -]+$/.test(input)) return null;
  const code = input.replace(/[ -]/g, '').toLowerCase();
  return CANONICAL.test(code) ? code : null;
}

function derive(code: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(code, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * A salted scrypt hash of a canonical code, sealed with the app's key: a leaked
 * database alone holds nothing to brute-force, and key rotation still opens it.
 */
export async function hashBackupCode(code: string, secrets: SecretBox): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(code, salt, SCRYPT);
  return secrets.encrypt([FORMAT, SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$'));
}

/** Whether a canonical code matches a sealed hash, compared in constant time; false for anything unreadable. */
export async function verifyBackupCode(code: string, sealed: string, secrets: SecretBox): Promise<boolean> {
  let parts: string[];
  try {
    parts = secrets.decrypt(sealed).split('$');
  } catch {
    return false;
  }
  const [format, n, r, p, salt, expected] = parts;
  if (format !== FORMAT || !salt || !expected) return false;
  const wanted = Buffer.from(expected, 'base64url');
  const key = await derive(code, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === wanted.length && timingSafeEqual(key, wanted);
}
