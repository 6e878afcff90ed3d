import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { TwoFactorSetupError } from '../errors/setup.errors.js';

const VERSION = 'v1';

interface Key {
  id: string;
  hmac: Buffer;
  aes: Buffer;
}

function deriveKey(secret: string): Key {
  const ikm = Buffer.from(secret, 'utf8');
  const subkey = (info: string) => Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32));
  const aes = subkey('two-factor/aes-256-gcm');
  return {
    // Names the key without revealing it, so stored ciphertexts say which key made them.
    id: createHash('sha256').update(aes).digest('hex').slice(0, 8),
    hmac: subkey('two-factor/hmac-sha-256'),
    aes,
  };
}

/**
 * Keyed hashing and authenticated encryption for backends, so that a custom
 * method gets storage right by default:
 * - `hash`/`verify`: HMAC-SHA-256 of short-lived codes, compared in constant time;
 * - `encrypt`/`decrypt`: AES-256-GCM for secrets a backend must read back (TOTP seeds),
 *   tagged with a key id so old keys can keep decrypting after a rotation.
 */
export class SecretBox {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  /**
   * @param secret the current key material (at least 32 characters)
   * @param previous older secrets still accepted for decryption and verification
   */
  constructor(secret: string, previous: readonly string[] = []) {
    if (typeof secret !== 'string' || secret.length < 32) {
      throw new TwoFactorSetupError('`secret` must be a string of at least 32 characters.');
    }
    const keys = [secret, ...previous].map(deriveKey);
    this.current = keys[0];
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** HMAC-SHA-256 of `value` with the current key, as `<keyId>:<hex>`. */
  hash(value: string): string {
    return `${this.current.id}:${this.mac(this.current, value).toString('hex')}`;
  }

  /**
   * `hash(value)` under the current and every previous key, current first: to
   * look a stored hash up by value (device tokens) across a key rotation.
   */
  hashes(value: string): string[] {
    return [...this.byId.values()].map((key) => `${key.id}:${this.mac(key, value).toString('hex')}`);
  }

  /** Whether `value` hashes to `stored`, in constant time; false for anything malformed. */
  verify(value: unknown, stored: unknown): boolean {
    if (typeof value !== 'string' || typeof stored !== 'string') return false;
    const [keyId, hex] = stored.split(':');
    const key = this.byId.get(keyId);
    if (!key || !hex || hex.length !== 64) return false;
    return timingSafeEqual(this.mac(key, value), Buffer.from(hex, 'hex'));
  }

  /** Encrypts `plaintext` with AES-256-GCM under the current key: `v1.<keyId>.<iv>.<ciphertext>.<tag>`. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.aes, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Decrypts what `encrypt` made with the current or a previous key. @throws Error when tampered with or the key is unknown. */
  decrypt(sealed: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    const key = this.byId.get(keyId);
    if (version !== VERSION || !key || !iv || body === undefined || !tag) throw new Error('Unreadable sealed value.');
    const decipher = createDecipheriv('aes-256-gcm', key.aes, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether `sealed` was encrypted under an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }

  private mac(key: Key, value: string): Buffer {
    return createHmac('sha256', key.hmac).update(value, 'utf8').digest();
  }
}
