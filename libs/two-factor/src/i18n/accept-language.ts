import Negotiator from 'negotiator';
import type { TwoFactorRequest } from '../two-factor-request.js';

/**
 * The default `language` option: the language the request's `Accept-Language`
 * header prefers most (its q-values honoured), or undefined when there is none.
 */
export function acceptLanguage(request: TwoFactorRequest): string | undefined {
  const header = request?.headers?.['accept-language'];
  if (typeof header !== 'string' || header === '') return undefined;
  const preferred = new Negotiator({ headers: { 'accept-language': header } }).languages().find((language) => language !== '*');
  return preferred || undefined;
}
