import { parseCookie, stringifySetCookie } from 'cookie';

/** Where the demo's sign-in routes live; the device cookie goes only there. */
export const LOGIN_PATH = '/api/v1/auth/login';

/** The cookie that carries a remembered device's token (HttpOnly: page scripts never see it). */
export const DEVICE_COOKIE = 'two_factor_device';
/** The same token for clients without cookies. */
export const DEVICE_HEADER = 'x-two-factor-device';

/** The device token the request brings, from the cookie or else the header. */
export function deviceTokenOf(request: { headers?: Record<string, unknown> }): string | undefined {
  const header = request.headers?.cookie;
  const fromCookie = typeof header === 'string' ? parseCookie(header)[DEVICE_COOKIE] : undefined;
  if (fromCookie) return fromCookie;
  const fromHeader = request.headers?.[DEVICE_HEADER];
  return typeof fromHeader === 'string' && fromHeader !== '' ? fromHeader : undefined;
}

/** Set-Cookie for a newly remembered device: sent only to the login routes, over HTTPS in production. */
export function deviceCookie(token: string, expiresAt: Date, secure: boolean): string {
  return stringifySetCookie(DEVICE_COOKIE, token, { httpOnly: true, secure, sameSite: 'strict', path: LOGIN_PATH, expires: expiresAt });
}
