import { SecretBox } from './secret-box.js';

const KEY = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

describe('SecretBox', () => {
  it('hashes with a key id and verifies the same value only', () => {
    const box = new SecretBox(KEY);
    const stored = box.hash('123456');
    expect(stored).toMatch(/^[0-9a-f]{8}:[0-9a-f]{64}$/);
    expect(stored).not.toContain('123456');
    expect(box.verify('123456', stored)).toBe(true);
    expect(box.verify('123457', stored)).toBe(false);
    expect(box.verify(' 123456', stored)).toBe(false);
  });

  it('refuses malformed input instead of throwing', () => {
    const box = new SecretBox(KEY);
    const stored = box.hash('x');
    for (const bad of [undefined, null, 42, {}, ['x']]) expect(box.verify(bad, stored)).toBe(false);
    for (const badStored of [undefined, '', 'nope', `${stored}00`, stored.replace(/:.*/, ':zz')]) expect(box.verify('x', badStored)).toBe(false);
  });

  it('a hash made under another key does not verify', () => {
    expect(new SecretBox(OTHER).verify('x', new SecretBox(KEY).hash('x'))).toBe(false);
  });

  it('encrypts with AES-GCM so that ciphertexts differ and decrypt back', () => {
    const box = new SecretBox(KEY);
    const a = box.encrypt('JBSWY3DPEHPK3PXP');
    const b = box.encrypt('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.decrypt(a)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('detects tampering', () => {
    const box = new SecretBox(KEY);
    const parts = box.encrypt('secret').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('rotates: a previous key still decrypts and verifies, and is flagged for re-encryption', () => {
    const old = new SecretBox(OTHER);
    const sealed = old.encrypt('seed');
    const hash = old.hash('code');
    const rotated = new SecretBox(KEY, [OTHER]);
    expect(rotated.decrypt(sealed)).toBe('seed');
    expect(rotated.verify('code', hash)).toBe(true);
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('seed'))).toBe(false);
    expect(() => new SecretBox(KEY).decrypt(sealed)).toThrow();
  });

  it('refuses a short secret', () => {
    expect(() => new SecretBox('short')).toThrow(/at least 32 characters/);
  });
});
