import type { Response } from 'supertest';
import type { FactorRecord } from './model.js';
import { LOGIN, VICTIM, type World } from './world.js';

/** The demo's two-step sign-in of the victim, as whoever holds their password calls it. */

/** The password step, from a remembered device when `device` is its token. */
export function passwordStep(world: World, who: string, device?: string): Promise<Response> {
  const call = world.http.post(LOGIN).send({ username: VICTIM.username, password: VICTIM.password });
  return world.send(`${who} signs in with the password${device ? ' and a remembered device' : ''}`, device ? call.set('X-Two-Factor-Device', device) : call);
}

/** The pending sign-in's factor ids, or none when the answer was no pending sign-in. */
export function listedFactors(response: Response): number[] {
  return response.body?.two_factor_required === true ? (response.body.factors as Array<{ id: number }>).map((factor) => factor.id) : [];
}

/** Second step, 1: a confirmation of `factor` through the pending sign-in; its id, or null when refused. */
export async function requestSignInCode(world: World, who: string, token: string, factor: FactorRecord): Promise<string | null> {
  const response = await world.send(
    `${who} asks the pending sign-in for a code of ${factor.label}`,
    world.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: factor.id }),
  );
  return response.status === 201 ? response.body.id : null;
}

/** Second step, 2: the code; with `remember` a 200 sets the device cookie. */
export function answerSignIn(world: World, who: string, token: string, code: string, remember = false): Promise<Response> {
  return world.send(
    `${who} answers the pending sign-in${remember ? ', remembering the device' : ''}`,
    world.http
      .post(`${LOGIN}/confirm`)
      .set('User-Agent', 'attacker-model')
      .send({ sign_in_token: token, data: { code }, ...(remember ? { remember_device: true } : {}) }),
  );
}

/** The device token a response set in the two_factor_device cookie, or undefined. */
export function deviceTokenOf(response: Response): string | undefined {
  const raw = response.headers['set-cookie'] as unknown;
  const cookies = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const found = cookies.find((cookie: string) => cookie.startsWith('two_factor_device='));
  return found ? decodeURIComponent(found.split(';')[0].slice('two_factor_device='.length)) : undefined;
}
