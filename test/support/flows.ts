import type { DemoHarness } from './demo-harness.js';
import { API } from './demo-harness.js';

/** The id of the demo's seeded method config for `method`. */
export async function methodConfigId(h: DemoHarness, method: string): Promise<number> {
  const response = await h.http.get(`${API}/method-config/list/active/`).expect(200);
  const found = response.body.find((item: { method: string }) => item.method === method);
  if (!found) throw new Error(`no active method config for ${method}`);
  return found.id;
}

/** Enrols `user` in the dummy method with `code` and confirms it; returns the user config id. */
export async function enrolDummy(h: DemoHarness, user: 'alice' | 'bob', code = 'my-secret-code'): Promise<number> {
  const auth = await h.auth(user);
  const created = await h.http
    .post(`${API}/user-config/own/create/`)
    .set(auth)
    .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code } })
    .expect(201);
  await h.http
    .post(`${API}/user-config/own/confirm/`)
    .set(auth)
    .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
    .expect((r) => { if (r.status !== 200) throw new Error(JSON.stringify([created.body, r.body])); });
  return created.body.item.id;
}

/** Requests a user-bound confirmation for `userConfigId`; returns its id. */
export async function requestFor(h: DemoHarness, user: 'alice' | 'bob', userConfigId: number): Promise<string> {
  const response = await h.http
    .post(`${API}/confirmation/request/`)
    .set(await h.auth(user))
    .send({ user_config_id: userConfigId })
    .expect(201);
  return response.body.id;
}
