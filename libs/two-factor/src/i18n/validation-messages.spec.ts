import { IsIn, IsInt, Matches, Max } from 'class-validator';
import { validateDto } from '../method-api/validate-dto.js';
import { ValidationFailedError } from '../errors/request.errors.js';

class PinDto {
  @IsInt()
  @Max(10)
  tries!: number;

  @IsIn(['sms', 'call'])
  channel!: string;

  @Matches(/^\d+$/, { message: 'pin must be digits' })
  pin!: string;
}

/** The fields of the error `validateDto` throws, each with its catalogue key and params. */
function refusal(value: unknown) {
  try {
    validateDto(PinDto, value, 'config');
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return error.fields.map((field, index) => ({ ...field, ...error.fieldMessages[index] }));
  }
  throw new Error('accepted');
}

describe('validation messages carry their constraint and its values', () => {
  it('keys each message by its constraint, with the dotted field and the declared values', () => {
    const fields = refusal({ tries: 11, channel: 'fax', pin: 'x' });
    expect(fields).toContainEqual({
      field: 'config.tries',
      message: 'tries must not be greater than 10',
      key: 'validation.max',
      params: { field: 'config.tries', constraint1: 10 },
    });
    expect(fields).toContainEqual({
      field: 'config.channel',
      message: 'channel must be one of the following values: sms, call',
      key: 'validation.isIn',
      params: { field: 'config.channel', constraint1: 'sms, call' },
    });
    // A DTO's own message stays the English text; the key still lets a host translate it.
    expect(fields).toContainEqual({
      field: 'config.pin',
      message: 'pin must be digits',
      key: 'validation.matches',
      params: { field: 'config.pin', constraint1: '/^\\d+$/' },
    });
  });

  it('keys an unknown property and a value that is not an object', () => {
    expect(refusal({ tries: 1, channel: 'sms', pin: '1', extra: true })).toEqual([
      { field: 'config.extra', message: 'property extra should not exist', key: 'validation.whitelistValidation', params: { field: 'config.extra' } },
    ]);
    expect(refusal([])).toEqual([{ field: 'config', message: 'config must be an object', key: 'validation.not_object', params: { field: 'config' } }]);
  });
});
