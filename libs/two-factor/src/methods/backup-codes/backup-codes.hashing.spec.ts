import { SecretBox } from '../../secrets/secret-box.js';
import { BACKUP_CODE_ALPHABET, displayBackupCode, generateBackupCode, hashBackupCode, normalizeBackupCode, verifyBackupCode } from './backup-codes.hashing.js';

const secrets = new SecretBox('unit-test-secret-unit-test-secret-0123456789');

describe('backup code generation', () => {
  it('draws 10 symbols from a 32-letter alphabet: 50 bits', () => {
    expect(new Set(BACKUP_CODE_ALPHABET).size).toBe(32);
    for (let i = 0; i < 200; i++) expect(generateBackupCode()).toMatch(/^[a-km-np-z2-9]{10}$/);
  });

  it('does not repeat itself', () => {
    const codes = new Set(Array.from({ length: 1000 }, generateBackupCode));
    expect(codes.size).toBe(1000);
  });

  it('is shown in two groups of five', () => {
    expect(displayBackupCode('abcdefghij')).toBe('abcde-fghij');
  });
});

describe('normalizeBackupCode', () => {
  it.each(['abcde-fghij', 'ABCDE-FGHIJ', 'abcdefghij', 'abcde fghij', ' abcde-fghij ', 'AbCdE - FgHiJ'])('reads %p as abcdefghij', (typed) => {
    expect(normalizeBackupCode(typed)).toBe('abcdefghij');
  });

  it.each([
    ['too short', 'abcde-fghi'],
    ['too long', 'abcde-fghijk'],
    ['a longer string ending in a code', 'xabcde-fghij'],
    ['letters outside the alphabet', 'abcde-fghil'],
    ['a Kelvin sign in place of k', 'abcde-fghi\u212A'],
    ['a tab', 'abcde\tfghij'],
    ['a newline', 'abcde-fghij\n'],
    ['underscore', 'abcde_fghij'],
    ['a huge string', 'a'.repeat(10_000)],
    ['a number', 1234567890],
    ['nothing', undefined],
  ])('refuses %s', (_name, typed) => {
    expect(normalizeBackupCode(typed)).toBeNull();
  });
});

describe('backup code hashing', () => {
  it('keeps no plaintext and salts every hash', async () => {
    const a = await hashBackupCode('abcdefghij', secrets);
    const b = await hashBackupCode('abcdefghij', secrets);
    expect(a).not.toBe(b);
    expect(a).not.toContain('abcdefghij');
    expect(a).toMatch(/^v1\./);
    expect(secrets.decrypt(a)).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  it('verifies the right code and refuses any other', async () => {
    const sealed = await hashBackupCode('abcdefghij', secrets);
    expect(await verifyBackupCode('abcdefghij', sealed, secrets)).toBe(true);
    expect(await verifyBackupCode('abcdefghik', sealed, secrets)).toBe(false);
  });

  it('needs the app key: another key cannot open the stored hash', async () => {
    const sealed = await hashBackupCode('abcdefghij', secrets);
    const other = new SecretBox('another-secret-another-secret-0123456789');
    expect(await verifyBackupCode('abcdefghij', sealed, other)).toBe(false);
    expect(await verifyBackupCode('abcdefghij', 'garbage', secrets)).toBe(false);
  });

  it('still verifies after the key is rotated', async () => {
    const old = 'unit-test-secret-unit-test-secret-0123456789';
    const sealed = await hashBackupCode('abcdefghij', secrets);
    const rotated = new SecretBox('the-new-secret-the-new-secret-0123456789', [old]);
    expect(await verifyBackupCode('abcdefghij', sealed, rotated)).toBe(true);
  });
});
