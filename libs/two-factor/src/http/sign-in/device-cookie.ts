import type { TwoFactorRequest } from '../../two-factor-request.js';

/** The header that carries a remembered device's token for clients without cookies. */
export const TWO_FACTOR_DEVICE_HEADER = 'x-two-factor-device';

/** A cookie name or value this module writes: RFC 6265 token characters, nothing to escape. */
const COOKIE_SAFE = /^[A-Za-z0-9_\-.~]+$/;

/**
 * The device token a request brings: its cookie (read from the Cookie header
 * itself, so no cookie-parser is needed, on Express and Fastify alike), else the
 * X-Two-Factor-Device header.
 */
export function deviceTokenOf(request: TwoFactorRequest, name: string): string | undefined {
  const header = request.headers?.cookie;
  const fromCookie = typeof header === 'string' ? cookieValue(header, name) : undefined;
  if (fromCookie) return fromCookie;
  const fromHeader = request.headers?.[TWO_FACTOR_DEVICE_HEADER];
  return typeof fromHeader === 'string' && fromHeader !== '' ? fromHeader : undefined;
}

/** The first value of cookie `name` in a Cookie header (`a=1; b=2`), undecoded: the module's tokens need no decoding. */
export function cookieValue(header: string, name: string): string | undefined {
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) {
      const value = pair.slice(at + 1).trim();
      return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

/** Set-Cookie for a newly remembered device: HttpOnly (page scripts never see it), SameSite=Strict, only to the sign-in path. */
export function deviceSetCookie(name: string, token: string, expiresAt: Date, path: string, secure: boolean): string {
  if (!COOKIE_SAFE.test(name) || !COOKIE_SAFE.test(token))
    throw new Error('[TwoFactorModule] a device cookie name or token with characters a cookie cannot carry');
  const attributes = [`${name}=${token}`, `Path=${path}`, `Expires=${expiresAt.toUTCString()}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The sign-in routes' path as this request reached them: the confirm route's URL without `/confirm` and the query. */
export function signInPathOf(request: TwoFactorRequest): string {
  const url: unknown = request.originalUrl ?? request.url;
  const path = typeof url === 'string' ? url.split('?')[0].replace(/\/+$/, '') : '';
  const base = path.replace(/\/(enrollment\/)?confirm$/, '');
  return base.startsWith('/') ? base : '/';
}

/** Express has `setHeader`, Fastify's reply `header`. */
export function appendSetCookie(response: Record<string, any>, cookie: string): void {
  if (typeof response.header === 'function' && typeof response.setHeader !== 'function') response.header('Set-Cookie', cookie);
  else if (typeof response.append === 'function') response.append('Set-Cookie', cookie);
  else response.setHeader('Set-Cookie', cookie);
}
