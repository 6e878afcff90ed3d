import { NotFoundError } from '../../errors/request.errors.js';
import { isRowId, isStorableText, TWO_FACTOR_NUMBER_LIMITS } from './input-limits.js';

/**
 * The one parser of path ids. Anything but a row id the column can hold (an
 * integer from 1 to 2147483647, in plain digits) names nothing, so it is "not
 * found" here, before any service or statement sees it.
 * @param what the object the path names, as `NotFoundError` spells it (e.g. 'User config').
 * @throws NotFoundError
 */
export function parseId(raw: string, what?: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!isRowId(id)) throw new NotFoundError(what);
  return id;
}

/**
 * A user id in a path (the admin API's `:userId`): one that no `user_id` column
 * can hold — longer than it, holding NUL or a lone surrogate — names nobody.
 * @throws NotFoundError
 */
export function parseUserId(raw: string): string {
  if (raw === '' || raw.length > TWO_FACTOR_NUMBER_LIMITS.maxUserIdLength || !isStorableText(raw)) throw new NotFoundError('User');
  return raw;
}
