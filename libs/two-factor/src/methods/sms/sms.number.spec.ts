import { ValidationFailedError } from '../../errors/request.errors.js';
import { maskPhone, parsePhone, phonePrefix } from './sms.number.js';

const refusal = (raw: unknown, rules = {}) => {
  try {
    parsePhone(raw, rules, 'config.phone');
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.fields;
    throw error;
  }
  return null;
};

describe('parsePhone', () => {
  it.each([
    ['+44 7400 123456', '+447400123456', 'GB'],
    ['+44 (0)7400-123.456', '+447400123456', 'GB'],
    ['+33 6 12 34 56 78', '+33612345678', 'FR'],
    ['+1 (415) 555-2671', '+14155552671', 'US'],
    ['+1 613 555 0123', '+16135550123', 'CA'],
  ])('normalises %p to E.164 %p (%s)', (raw, e164, country) => {
    expect(parsePhone(raw, {}, 'phone')).toMatchObject({ e164, country });
  });

  it('reads national numbers only with a default country', () => {
    expect(parsePhone('07400 123456', { defaultCountry: 'GB' }, 'phone').e164).toBe('+447400123456');
    expect(refusal('07400 123456')).not.toBeNull();
  });

  it.each([
    ['letters', '+44 74OO 123456'],
    ['trailing text', '+447400123456 call me'],
    ['an extension', '+447400123456 x12'],
    ['other scripts’ digits', '+٤٤٧٤٠٠١٢٣٤٥٦'],
    ['full-width digits', '＋４４７４００１２３４５６'],
    ['too few digits', '+4474001'],
    ['too many digits', '+4474001234567890'],
    ['a number no country uses', '+999 1234 5678'],
    ['premium rate', '+44 909 879 0000'],
    ['US premium rate', '+1 900 555 0100'],
    ['toll free', '+800 1234 5678'],
    ['not a string', 447400123456],
  ])('refuses %s, naming the field', (_label, raw) => {
    expect(refusal(raw)).toEqual([{ field: 'config.phone', message: expect.any(String) }]);
  });

  it('keeps to the allowed countries; an empty list allows every one', () => {
    expect(refusal('+447400123456', { allowedCountries: ['GB', 'FR'] })).toBeNull();
    expect(refusal('+33612345678', { allowedCountries: ['GB', 'FR'] })).toBeNull();
    expect(refusal('+14155552671', { allowedCountries: ['GB', 'FR'] })).toEqual([{ field: 'config.phone', message: expect.stringMatching(/country/) }]);
    expect(refusal('+14155552671', { allowedCountries: [] })).toBeNull();
  });

  it('tells countries that share a calling code apart', () => {
    expect(refusal('+1 613 555 0123', { allowedCountries: ['US'] })).not.toBeNull();
    expect(refusal('+1 415 555 2671', { allowedCountries: ['US'] })).toBeNull();
  });
});

describe('phonePrefix', () => {
  it('is the calling code and the first national digits', () => {
    const facts = parsePhone('+447400123456', {}, 'phone');
    expect(phonePrefix(facts, 4)).toBe('+447400');
    expect(phonePrefix(facts, 2)).toBe('+4474');
    expect(phonePrefix(parsePhone('+14155552671', {}, 'phone'), 3)).toBe('+1415');
  });
});

describe('maskPhone', () => {
  it('shows the first four and the last two digits', () => {
    expect(maskPhone('+447911123489')).toBe('+4479******89');
    expect(maskPhone('+33612345678')).toBe('+3361*****78');
  });

  it('shows nothing of a very short number', () => {
    expect(maskPhone('+123456')).toBe('+******');
  });
});
