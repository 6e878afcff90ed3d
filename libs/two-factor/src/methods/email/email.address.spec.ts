import { maskEmail, normalizeEmail } from './email.address.js';

describe('normalizeEmail', () => {
  it('trims and lowercases the domain only', () => {
    expect(normalizeEmail('  Ann.Lee@Example.COM \n')).toBe('Ann.Lee@example.com');
    expect(normalizeEmail('ann@example.com')).toBe('ann@example.com');
  });

  it('lowercases only after the last @ (a quoted local part may hold one)', () => {
    expect(normalizeEmail('"A@B"@Example.ORG')).toBe('"A@B"@example.org');
  });

  it('leaves a string without @ trimmed, for the validator to refuse', () => {
    expect(normalizeEmail(' Ann ')).toBe('Ann');
  });
});

describe('maskEmail', () => {
  it('shows the first character and the domain', () => {
    expect(maskEmail('ann@example.com')).toBe('a***@example.com');
    expect(maskEmail('A@example.com')).toBe('A***@example.com');
  });

  it('hides how long the local part is', () => {
    expect(maskEmail('annabelle@example.com')).toBe(maskEmail('ann@example.com'));
  });

  it('shows nothing of a malformed address', () => {
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('nobody')).toBe('***');
  });
});
