import { TWO_FACTOR_ERROR_CODES } from '../errors/error-code.js';
import * as errors from '../errors/index.js';
import { TwoFactorError } from '../errors/two-factor.error.js';
import { isTwoFactorMessageKey, TWO_FACTOR_MESSAGE_KEYS, TWO_FACTOR_MESSAGES, type TwoFactorMessageKey } from './messages.js';
import { englishMessage, renderMessage } from './render-message.js';

/** Arguments to make each domain error class with (its default message, and its variants). */
const ARGUMENTS: Record<string, unknown[][]> = {
  ValidationFailedError: [[[]]],
  NotFoundError: [[], ['Confirmation'], ['User config'], ['Method config'], ['Device'], ['Recovery'], ['Gadget']],
  UnauthenticatedError: [[]],
  EmptyConfigError: [[]],
  RateLimitedError: [[3], [3, { key: 'error.rate_limited.cooldown' }], [1, { key: 'error.rate_limited.window_taken' }]],
  ConfirmationFailedError: [[4]],
  ConfirmationLockedError: [[]],
  ConfirmationExpiredError: [[], [{ key: 'error.confirmation_expired.replaced' }]],
  AlreadyConfirmedError: [[]],
  WrongConfigError: [[]],
  TwoFactorRequiredError: [[[]]],
  FactorLockedError: [[]],
  DeliveryFailedError: [[]],
  AdminRequiredError: [[]],
  MethodConfigInUseError: [[2]],
  SignInInvalidError: [[]],
  TwoFactorEnrollmentRequiredError: [[[]]],
  UnsupportedMediaTypeError: [['text/plain'], ['']],
  DatabaseUnavailableError: [[]],
  RecoveryInProgressError: [[new Date(0)]],
  EnrollmentNotOpenError: [[], [new Date(0)]],
  AccessCodeInvalidError: [[]],
};

/** One instance per variant of every domain error class the module exports; a class missing above fails. */
function everyDomainError(): TwoFactorError[] {
  const classes = Object.entries(errors).filter(([, value]) => typeof value === 'function' && value.prototype instanceof TwoFactorError);
  expect(classes.map(([name]) => name).sort()).toEqual(Object.keys(ARGUMENTS).sort());
  return classes.flatMap(([name, value]) => ARGUMENTS[name].map((args) => new (value as unknown as new (...a: unknown[]) => TwoFactorError)(...args)));
}

describe('the message catalogue', () => {
  it('has a non-empty English default for every key', () => {
    expect(TWO_FACTOR_MESSAGE_KEYS.length).toBeGreaterThan(50);
    for (const key of TWO_FACTOR_MESSAGE_KEYS)
      expect([key, typeof TWO_FACTOR_MESSAGES[key], TWO_FACTOR_MESSAGES[key].trim().length > 0]).toEqual([key, 'string', true]);
  });

  it('has a message for every error code, domain and edge', () => {
    const missing = TWO_FACTOR_ERROR_CODES.filter((code) => !isTwoFactorMessageKey(`error.${code}.message`));
    expect(missing).toEqual([]);
  });

  it('gives every domain error a catalogue key whose English is the error message', () => {
    const made = everyDomainError();
    expect(made.length).toBeGreaterThan(15);
    for (const error of made) {
      expect(error.translatable && isTwoFactorMessageKey(error.translatable.key)).toBe(true);
      expect(error.translatable?.key.startsWith(`error.${error.code}.`)).toBe(true);
      expect(error.message).toBe(englishMessage(error.translatable!.key, error.translatable!.params));
      // No placeholder is left unfilled in an English message.
      expect(error.message).not.toMatch(/\{\w+\}/);
    }
  });

  it('keeps the English messages clients already see', () => {
    expect(new errors.NotFoundError('Confirmation').message).toBe('Confirmation not found.');
    expect(new errors.NotFoundError('Gadget').message).toBe('Gadget not found.');
    expect(new errors.NotFoundError().message).toBe('Object not found.');
    expect(new errors.MethodConfigInUseError(2).message).toBe(
      'This method config has 2 user config(s): deactivate it, or delete with cascade=true to delete them too.',
    );
    expect(new errors.UnsupportedMediaTypeError('').message).toBe('Send the body as application/json (got no content type).');
    expect(new errors.ConfirmationExpiredError({ key: 'error.confirmation_expired.replaced' }).message).toBe(
      'A newer confirmation replaced this one: use the latest code.',
    );
  });

  it('renders {param}s and leaves a placeholder without a value as it is', () => {
    expect(renderMessage('{a} and {b}, {a}', { a: 1 })).toBe('1 and {b}, 1');
    expect(englishMessage('sent_code.sms.text' satisfies TwoFactorMessageKey, { code: '123456', minutes: 10 })).toBe(
      'Your verification code is 123456. It expires in 10 minutes.',
    );
  });
});
