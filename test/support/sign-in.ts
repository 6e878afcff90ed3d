import type { Response } from 'supertest';
import type { DemoHarness } from './demo-harness.js';

export const LOGIN = '/api/v1/auth/login';

/** A supertest request, still to be awaited (so `.expect()` chains). */
type Call = ReturnType<DemoHarness['http']['post']>;

/** The demo's password step, optionally from a remembered device (its cookie). */
export function login(h: DemoHarness, username: string, device?: string): Call {
  const call = h.http.post(LOGIN).send({ username, password: 'demo-password' });
  return device ? call.set('Cookie', `two_factor_device=${device}`) : call;
}

/** The password step for a user with a factor: the pending sign-in's token and the factors it offers. */
export async function pendingSignIn(
  h: DemoHarness,
  username: string,
  device?: string,
): Promise<{ token: string; factors: Array<{ id: number; method: string; title: string; destination: string | null }> }> {
  const response = await login(h, username, device).expect(200);
  if (response.body.two_factor_required !== true) throw new Error(`${username} signed in without the second step`);
  return { token: response.body.sign_in_token, factors: response.body.factors };
}

/** Step 1 of the second step: a confirmation of `userConfigId`, requested through the pending sign-in. */
export function requestCode(h: DemoHarness, token: string, userConfigId: number): Call {
  return h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: userConfigId });
}

/** Step 2: the code; with `remember` the response sets the device cookie. */
export function confirmCode(h: DemoHarness, token: string, code: string, remember = false): Call {
  return h.http
    .post(`${LOGIN}/confirm`)
    .set('User-Agent', 'jest-agent/1.0')
    .send({ sign_in_token: token, data: { code }, ...(remember ? { remember_device: true } : {}) });
}

/** The device token a response set in the two_factor_device cookie, or undefined. */
export function deviceCookieOf(response: Response): string | undefined {
  const raw = response.headers['set-cookie'] as unknown;
  const cookies = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const found = cookies.find((cookie: string) => cookie.startsWith('two_factor_device='));
  return found ? decodeURIComponent(found.split(';')[0].slice('two_factor_device='.length)) : undefined;
}

/** The whole sign-in of a user whose dummy factor `userConfigId` has `code`; returns the final (200) response. */
export async function signInWithDummy(h: DemoHarness, username: string, userConfigId: number, code: string, remember = false): Promise<Response> {
  const { token } = await pendingSignIn(h, username);
  await requestCode(h, token, userConfigId).expect(201);
  return confirmCode(h, token, code, remember).expect(200);
}
