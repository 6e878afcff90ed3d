import { API, type AppHarness } from './harness.js';

/** The dummy factors each test user has confirmed, with their codes, so helpers can step up. */
const knownFactors = new WeakMap<AppHarness, Map<string, Array<{ id: number; code: string }>>>();

function factorsOf(h: AppHarness, user: string): Array<{ id: number; code: string }> {
  let byUser = knownFactors.get(h);
  if (!byUser) knownFactors.set(h, (byUser = new Map()));
  if (!byUser.has(user)) byUser.set(user, []);
  return byUser.get(user)!;
}

/** The id of the demo's seeded method config for `method`. */
export async function methodConfigId(h: AppHarness, method: string): Promise<number> {
  const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
  const found = response.body.find((item: { method: string }) => item.method === method);
  if (!found) throw new Error(`no active method config for ${method}`);
  return found.id;
}

/**
 * A step-up proof for `user`: a confirmed confirmation of one of the dummy
 * factors this file enrolled for them (see `enrolDummy`). Returns the header to send.
 */
export async function stepUpProof(h: AppHarness, user: string): Promise<{ 'X-Two-Factor-Confirmation': string }> {
  const auth = await h.auth(user);
  const listed = await h.http.get(`${API}/user-config/own/list/`).set(auth).expect(200);
  const available = new Set(listed.body.filter((item: { is_available: boolean }) => item.is_available).map((item: { id: number }) => item.id));
  const factor = factorsOf(h, user).find((known) => available.has(known.id));
  if (!factor) throw new Error(`${user} has no available dummy factor enrolled through flows.ts`);
  const id = await requestFor(h, user, factor.id);
  await h.http
    .post(`${API}/confirmation/confirm/`)
    .set(auth)
    .send({ id, data: { code: factor.code } })
    .expect(200);
  return { 'X-Two-Factor-Confirmation': id };
}

/** Header for a step-up when `user` already has an available factor, else nothing. */
export async function stepUpIfNeeded(h: AppHarness, user: string): Promise<Record<string, string>> {
  const listed = await h.http
    .get(`${API}/user-config/own/list/`)
    .set(await h.auth(user))
    .expect(200);
  return listed.body.some((item: { is_available: boolean }) => item.is_available) ? stepUpProof(h, user) : {};
}

/**
 * Enrols `user` in the dummy method with `code` and confirms it (stepping up
 * with an earlier factor when the user has one); returns the user config id.
 */
export async function enrolDummy(h: AppHarness, user: string, code = 'my-secret-code'): Promise<number> {
  const auth = await h.auth(user);
  const created = await h.http
    .post(`${API}/user-config/own/create/`)
    .set(auth)
    .set(await stepUpIfNeeded(h, user))
    .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code } })
    .expect(201);
  await h.http
    .post(`${API}/user-config/own/confirm/`)
    .set(auth)
    .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
    .expect(200);
  factorsOf(h, user).push({ id: created.body.item.id, code });
  return created.body.item.id;
}

/** Requests a user-bound confirmation for `userConfigId`; returns its id. */
export async function requestFor(h: AppHarness, user: string, userConfigId: number): Promise<string> {
  const response = await h.http
    .post(`${API}/confirmation/request/`)
    .set(await h.auth(user))
    .send({ user_config_id: userConfigId })
    .expect(201);
  return response.body.id;
}
