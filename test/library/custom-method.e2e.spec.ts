import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { DataSource } from 'typeorm';
import { PIN_METHOD } from '../fixtures/pin.method.js';
import { API, bootLibrary, freshUser, type LibraryHarness } from '../support/library-harness.js';
import { methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** The "Writing a method" guide (docs/guide/writing-a-method.md), run: a custom method registered beside the built-in ones. */
describe.each(DATABASE_KINDS)(`a custom method on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: LibraryHarness;
  let pinConfig: number;
  beforeAll(async () => {
    h = await bootLibrary(kind, { extraMethods: [PIN_METHOD] });
    // The demo seeds an active method config for every registered method, this one included.
    pinConfig = await methodConfigId(h, 'pin');
  });
  afterAll(() => h.close());

  it('is offered with the schema generated from its DTO', async () => {
    const listed = await h.http.get(`${API}/method-config/list/active/`).expect(200);
    const pin = listed.body.find((item: { method: string }) => item.method === 'pin');
    expect(pin).toMatchObject({
      id: pinConfig,
      title: 'PIN',
      verbose_name: 'PIN',
      config_schema: { properties: { pin: { type: 'string', pattern: '^[0-9]{4,8}$' } } },
    });
  });

  it('enrols, confirms and proves a step-up with the PIN; the PIN never shows', async () => {
    const user = freshUser();
    const auth = await h.auth(user);
    const bad = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .send({ method_config_id: pinConfig, config: { pin: '12' } })
      .expect(400);
    expect(bad.body.details.fields).toEqual([{ field: 'config.pin', message: 'pin must be 4 to 8 digits' }]);
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .send({ method_config_id: pinConfig, config: { pin: '4711' } })
      .expect(201);
    expect(created.body.item.config).toEqual({ has_pin: true });
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(auth)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: '4711' } })
      .expect(200);
    const requested = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: created.body.item.id }).expect(201);
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .set(auth)
      .send({ id: requested.body.id, data: { code: '4711' } })
      .expect(200);
    await h.http.post('/api/v1/account/sensitive-action').set(auth).set({ 'X-Two-Factor-Confirmation': requested.body.id }).expect(200);
    const rows = await h.app.get(DataSource).query(`SELECT config FROM two_factor_user_config WHERE id = ${created.body.item.id}`);
    expect(JSON.stringify(rows)).not.toContain('4711');
  });
});
