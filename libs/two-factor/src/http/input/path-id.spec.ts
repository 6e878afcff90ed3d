import { NotFoundError } from '../../errors/request.errors.js';
import { parseId, parseUserId } from './path-id.js';

describe('parseId', () => {
  it('takes plain row ids up to the largest 32-bit INTEGER', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('2147483647')).toBe(2147483647);
  });

  it.each(['2147483648', '9999999999', '99999999999', '0', '-1', '01', '1e3', '7.0', ' 7', '0x10', '', 'abc'])('answers %j with not_found', (raw) => {
    expect(() => parseId(raw, 'User config')).toThrow(NotFoundError);
    expect(() => parseId(raw, 'User config')).toThrow('User config not found');
  });
});

describe('parseUserId', () => {
  it('takes what a user_id column holds', () => {
    expect(parseUserId('alice')).toBe('alice');
    expect(parseUserId('u'.repeat(255))).toBe('u'.repeat(255));
  });

  it.each(['', 'a\u0000', 'u'.repeat(256), '\ud800'])('answers %j with not_found', (raw) => {
    expect(() => parseUserId(raw)).toThrow(NotFoundError);
  });
});
