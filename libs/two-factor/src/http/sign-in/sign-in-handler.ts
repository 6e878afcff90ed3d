import type { Type } from '@nestjs/common';
import type { TwoFactorRequest } from '../../two-factor-request.js';

/**
 * What the host gives the shipped sign-in routes (`signInRoutes`): the two steps
 * only it knows. The module does everything in between (pending sign-in, factor
 * choice, code, remembered-device cookie).
 */
export interface SignInHandler {
  /** The user id for this username and password, or null when they are wrong (the route answers 401 `unauthenticated`). */
  verifyPassword(username: string, password: string, request: TwoFactorRequest): Promise<string | number | null> | string | number | null;
  /**
   * The session for a user who passed every step: the fields of the JSON body the sign-in answers
   * with (e.g. `{ access_token, token_type }`). Set a session cookie on `request` here if you use one.
   */
  issueSession(userId: string, request: TwoFactorRequest): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Injection token of the host's `SignInHandler` (the `signInRoutes.handler` option). */
export const TWO_FACTOR_SIGN_IN_HANDLER = Symbol('TwoFactorSignInHandler');

/** The remembered-device cookie the shipped routes read and set. */
export interface SignInCookieOptions {
  /** @default 'two_factor_device' */
  name?: string;
  /** Send it over HTTPS only. @default true when NODE_ENV is 'production' */
  secure?: boolean;
  /** The path it is sent to. @default the sign-in routes' own path, as requested (global prefix included) */
  path?: string;
}

/** The `signInRoutes` shape option: mounts `POST <path>`, `<path>/request` and `<path>/confirm`. */
export interface TwoFactorSignInRoutesOptions {
  /** Where the routes go, e.g. `api/v1/auth/login` (not under `routePrefix`; the app's global prefix applies). */
  path: string;
  /**
   * Verifies passwords and issues sessions: a class (provided in the module, so it may inject the
   * providers of the `imports` option) or a ready instance.
   */
  handler: Type<SignInHandler> | SignInHandler;
  cookie?: SignInCookieOptions;
}
