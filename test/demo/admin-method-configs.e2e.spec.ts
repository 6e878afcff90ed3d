import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { MethodConfigService, ValidationFailedError, type TwoFactorAuditEvent } from 'nestjs-two-factor';
import { API, bootDemo, freshUser, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const ADMIN = `${API}/admin`;

/** Issue 11: method configs through the admin API and MethodConfigService, on every database. */
describe.each(DATABASE_KINDS)(`admin API: method configs on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let admin: { Authorization: string };
  let alice: { Authorization: string };
  const events: TwoFactorAuditEvent[] = [];

  beforeAll(async () => {
    // A long cache: a change must be seen at once because the service forgets it, not because it ran out.
    h = await bootDemo(kind, { twoFactor: { methodConfigCacheSeconds: 3600, anonymousRequestsPerIpPerHour: 1000 } });
    h.app.get(EventEmitter2).on('two_factor.admin.**', (event: TwoFactorAuditEvent) => events.push(event));
    admin = await h.auth('admin');
    alice = await h.auth('alice');
  });
  afterAll(() => h.close());
  beforeEach(() => {
    events.length = 0;
  });

  const rows = () => h.sql('SELECT id, title, method, config, is_active, is_default FROM two_factor_method_config ORDER BY id');
  const active = async () =>
    (await h.http.get(`${API}/method-config/list/active/`).expect(200)).body as Array<{ id: number; title: string; is_default: boolean }>;
  const create = (body: object, auth = admin) => h.http.post(`${ADMIN}/method-config/create/`).set(auth).send(body);

  it('lists every method config, inactive ones too, with global config and user config count; 401 anonymous, 403 for non-admins', async () => {
    const made = (await create({ method: 'dummy', title: 'Switched off', is_active: false }).expect(201)).body;
    const listed = (await h.http.get(`${ADMIN}/method-config/list/`).set(admin).expect(200)).body;
    expect(listed.map((item: { id: number }) => item.id)).toContain(made.id);
    const dummy = listed.find((item: { method: string; is_default: boolean }) => item.method === 'dummy' && item.is_default);
    expect(dummy).toMatchObject({
      config: { code: 'dummy-method' },
      is_registered: true,
      is_active: true,
      verbose_name: 'Dummy',
      user_configs: expect.any(Number),
    });
    expect((await h.http.get(`${ADMIN}/method-config/list/`).expect(401)).body.code).toBe('unauthenticated');
    const refused = await h.http.get(`${ADMIN}/method-config/list`).set(alice).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'admin_required' });
    expect(events.filter((event) => event.name === 'two_factor.admin.method_config.listed').map((event) => event.adminId)).toEqual(['3']);
  });

  it('creates a method config with its global config validated and defaults filled in; it is offered at once', async () => {
    await active(); // warm the cache
    const created = (await create({ method: 'totp', title: 'Work authenticator', config: { issuer: 'Example Corp' } }).expect(201)).body;
    expect(created).toMatchObject({ method: 'totp', title: 'Work authenticator', is_active: true, is_default: false, user_configs: 0 });
    expect(created.config).toEqual({ issuer: 'Example Corp', digits: 6, algorithm: 'SHA1', window: 1, period: 30 });
    expect((await active()).map((item) => item.id)).toContain(created.id);
    expect(events).toEqual([
      expect.objectContaining({ name: 'two_factor.admin.method_config.created', adminId: '3', methodConfigId: created.id, method: 'totp' }),
    ]);
  });

  it('refuses a bad global config, an unregistered method and a non-admin with nothing created', async () => {
    const before = await rows();
    const bad = await create({ method: 'totp', config: { digits: 7, issuer: 'a:b', surprise: 1 } }).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.details.fields.map((field: { field: string }) => field.field).sort()).toEqual(['config.digits', 'config.issuer', 'config.surprise']);
    expect(bad.body.details.fields.find((field: { field: string }) => field.field === 'config.issuer').message).toBe('issuer must not contain a colon');
    const unknown = await create({ method: 'carrier-pigeon' }).expect(400);
    expect(unknown.body.details.fields).toEqual([{ field: 'method', message: expect.stringContaining('"carrier-pigeon" is not registered') }]);
    expect((await create({ method: 'dummy' }, alice).expect(403)).body.code).toBe('admin_required');
    expect((await create({ method: 'dummy', config: 'nope' }).expect(400)).body.details.fields[0].field).toBe('config');
    expect(await rows()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('updates title and config (PUT and PATCH), seen by the next request; a bad config or a non-admin changes nothing', async () => {
    const id = (await create({ method: 'dummy', title: 'Before', config: { code: 'first-code' } }).expect(201)).body.id;
    await active();
    const put = (
      await h.http
        .put(`${ADMIN}/method-config/${id}/update/`)
        .set(admin)
        .send({ title: 'After', config: { code: 'second-code' } })
        .expect(200)
    ).body;
    expect(put).toMatchObject({ id, title: 'After', config: { code: 'second-code' } });
    expect((await active()).find((item) => item.id === id)?.title).toBe('After');
    // The new global code is what a method-level confirmation expects now.
    const requested = (await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: id }).expect(201)).body;
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .send({ id: requested.id, data: { code: 'second-code' } })
      .expect(200);
    await h.http.patch(`${ADMIN}/method-config/${id}/update`).set(admin).send({ title: 'Patched' }).expect(200);

    const before = await rows();
    const bad = await h.http
      .put(`${ADMIN}/method-config/${id}/update/`)
      .set(admin)
      .send({ config: { code: '' } })
      .expect(400);
    expect(bad.body.details.fields).toEqual([{ field: 'config.code', message: expect.any(String) }]);
    expect((await h.http.put(`${ADMIN}/method-config/${id}/update/`).set(admin).send({ is_active: 'yes' }).expect(400)).body.details.fields[0].field).toBe(
      'is_active',
    );
    expect((await h.http.put(`${ADMIN}/method-config/${id}/update/`).set(alice).send({ title: 'Hijacked' }).expect(403)).body.code).toBe('admin_required');
    expect((await h.http.put(`${ADMIN}/method-config/99999/update/`).set(admin).send({ title: 'x' }).expect(404)).body.code).toBe('not_found');
    expect((await h.http.put(`${ADMIN}/method-config/abc/update/`).set(admin).send({ title: 'x' }).expect(404)).body.code).toBe('not_found');
    expect(await rows()).toEqual(before);
    expect(events.map((event) => [event.name, event.adminId])).toEqual([
      ['two_factor.admin.method_config.created', '3'],
      ['two_factor.admin.method_config.changed', '3'],
      ['two_factor.admin.method_config.changed', '3'],
    ]);
  });

  it('keeps at most one default: a new default takes the flag from the old one', async () => {
    const first = (await create({ method: 'dummy', is_default: true }).expect(201)).body.id;
    const second = (await create({ method: 'dummy', is_default: true }).expect(201)).body.id;
    expect((await rows()).filter((row) => Number(row.is_default) === 1).map((row) => Number(row.id))).toEqual([second]);
    await h.http.put(`${ADMIN}/method-config/${first}/update/`).set(admin).send({ is_default: true }).expect(200);
    expect((await active()).filter((item) => item.is_default).map((item) => item.id)).toEqual([first]);
  });

  it('deactivates and activates: the method config leaves and rejoins the active list at once; non-admins change nothing', async () => {
    const id = (await create({ method: 'dummy', title: 'Toggle' }).expect(201)).body.id;
    await active();
    expect((await h.http.post(`${ADMIN}/method-config/${id}/deactivate/`).set(admin).expect(200)).body.is_active).toBe(false);
    expect((await active()).map((item) => item.id)).not.toContain(id);
    expect((await h.http.post(`${ADMIN}/method-config/${id}/activate/`).set(alice).expect(403)).body.code).toBe('admin_required');
    expect((await active()).map((item) => item.id)).not.toContain(id);
    expect((await h.http.post(`${ADMIN}/method-config/${id}/activate`).set(admin).expect(200)).body.is_active).toBe(true);
    expect((await active()).map((item) => item.id)).toContain(id);
    expect(events.map((event) => event.name)).toEqual([
      'two_factor.admin.method_config.created',
      'two_factor.admin.method_config.deactivated',
      'two_factor.admin.method_config.activated',
    ]);
  });

  it('refuses to activate a method config whose stored global config is invalid, naming the field', async () => {
    const id = (await create({ method: 'dummy', is_active: false }).expect(201)).body.id;
    await h.sql('UPDATE two_factor_method_config SET config = ? WHERE id = ?', ['{"code":""}', id]);
    const refused = await h.http.post(`${ADMIN}/method-config/${id}/activate/`).set(admin).expect(400);
    expect(refused.body.details.fields.map((field: { field: string }) => field.field)).toEqual(['config.code']);
    expect((await active()).map((item) => item.id)).not.toContain(id);
  });

  it('deletes: refused with 409 while user configs exist, deleted with them on cascade=true; non-admins change nothing', async () => {
    const id = (await create({ method: 'dummy', title: 'Doomed', config: { code: 'x-code' } }).expect(201)).body.id;
    const user = freshUser();
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(user))
      .send({ method_config_id: id, config: { code: 'c0de' } })
      .expect(201);
    const inUse = await h.http.delete(`${ADMIN}/method-config/${id}/destroy/`).set(admin).expect(409);
    expect(inUse.body).toMatchObject({ code: 'method_config_in_use', details: { user_configs: 1 } });
    await h.http.delete(`${ADMIN}/method-config/${id}/destroy/?cascade=true`).set(alice).expect(403);
    expect((await h.http.delete(`${ADMIN}/method-config/${id}/destroy/?cascade=maybe`).set(admin).expect(400)).body.details.fields[0].field).toBe('cascade');
    expect((await rows()).map((row) => Number(row.id))).toContain(id);
    await h.http.delete(`${ADMIN}/method-config/${id}/destroy/?cascade=true`).set(admin).expect(204);
    expect((await rows()).map((row) => Number(row.id))).not.toContain(id);
    expect(await h.sql('SELECT id FROM two_factor_user_config WHERE id = ?', [created.body.item.id])).toEqual([]);
    expect(await h.sql('SELECT id FROM two_factor_confirmation WHERE id = ?', [created.body.confirmation_id])).toEqual([]);
    const unused = (await create({ method: 'dummy' }).expect(201)).body.id;
    await h.http.delete(`${ADMIN}/method-config/${unused}/destroy`).set(admin).expect(204);
    await h.http.delete(`${ADMIN}/method-config/${unused}/destroy`).set(admin).expect(404);
    expect(events.filter((event) => event.name === 'two_factor.admin.method_config.deleted')).toEqual([
      expect.objectContaining({ adminId: '3', methodConfigId: id, count: 1 }),
      expect.objectContaining({ adminId: '3', methodConfigId: unused, count: 0 }),
    ]);
  });

  it('every admin route answers a signed-in non-admin 403 admin_required and an anonymous caller 401, and changes nothing', async () => {
    const id = (await create({ method: 'dummy', title: 'Guarded' }).expect(201)).body.id;
    const factor = await enrolDummy(h, freshUser(), 'guarded-code');
    const owner = (await h.sql('SELECT user_id FROM two_factor_user_config WHERE id = ?', [factor]))[0].user_id;
    const tables = ['two_factor_method_config', 'two_factor_user_config', 'two_factor_confirmation', 'two_factor_failure_counter'];
    const snapshot = async () => Promise.all(tables.map((table) => h.sql(`SELECT * FROM ${table} ORDER BY 1`)));
    const before = await snapshot();
    const users = `${ADMIN}/user/${owner}/user-config`;
    const routes: Array<[string, string, object?]> = [
      ['get', `${ADMIN}/method-config/list/`],
      ['post', `${ADMIN}/method-config/create/`, { method: 'dummy' }],
      ['put', `${ADMIN}/method-config/${id}/update/`, { title: 'x' }],
      ['patch', `${ADMIN}/method-config/${id}/update/`, { title: 'x' }],
      ['post', `${ADMIN}/method-config/${id}/activate/`],
      ['post', `${ADMIN}/method-config/${id}/deactivate/`],
      ['delete', `${ADMIN}/method-config/${id}/destroy/?cascade=true`],
      ['get', `${ADMIN}/method/list/`],
      ['get', `${users}/list/`],
      ['post', `${users}/${factor}/unlock/`],
      ['post', `${users}/${factor}/deactivate/`],
      ['delete', `${users}/${factor}/destroy/`],
      ['get', `${ADMIN}/confirmation/search/`],
    ];
    for (const [verb, path, body] of routes) {
      const call = (auth?: object) => {
        const pending = (h.http as any)[verb](path);
        if (auth) pending.set(auth);
        return body ? pending.send(body) : pending;
      };
      const refused = await call(alice);
      expect([path, refused.status, refused.body.code]).toEqual([path, 403, 'admin_required']);
      expect([path, (await call()).status]).toEqual([path, 401]);
    }
    expect(await snapshot()).toEqual(before);
    expect(events.filter((event) => event.name !== 'two_factor.admin.method_config.created')).toEqual([]);
  });

  it('lists each registered method with its verbose name, JSON schemas and global defaults; 403 for non-admins', async () => {
    const methods = (await h.http.get(`${ADMIN}/method/list/`).set(admin).expect(200)).body;
    expect(methods.map((method: { key: string }) => method.key)).toEqual(['dummy', 'email', 'sms', 'totp', 'backup_codes', 'webauthn']);
    const totp = methods.find((method: { key: string }) => method.key === 'totp');
    expect(totp).toMatchObject({
      verbose_name: 'Authenticator app',
      global_config_defaults: { issuer: 'two-factor demo', digits: 6, algorithm: 'SHA1', window: 1, period: 30 },
    });
    expect(totp.global_config_schema.properties.digits).toMatchObject({ enum: [6, 8], default: 6 });
    expect(totp.user_config_schema.properties).toHaveProperty('label');
    expect((await h.http.get(`${ADMIN}/method/list/`).set(alice).expect(403)).body.code).toBe('admin_required');
    expect(events.map((event) => [event.name, event.adminId])).toEqual([['two_factor.admin.method.listed', '3']]);
  });

  it('MethodConfigService: the same rules for the host app’s own code', async () => {
    const service = h.app.get(MethodConfigService);
    await expect(service.create({ method: 'nope' })).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(service.create({ method: 'dummy', config: { code: 42 } })).rejects.toMatchObject({
      fields: expect.arrayContaining([{ field: 'config.code', message: 'code must be a string' }]),
    });
    const made = await service.create({ method: 'dummy', config: { code: 'by-code' } }, { adminId: 'ops-script' });
    await h.http
      .post(`${API}/user-config/own/create/`)
      .set(await h.auth(freshUser()))
      .send({ method_config_id: made.id, config: { code: 'c0de' } })
      .expect(201);
    await expect(service.remove(made.id)).rejects.toMatchObject({ code: 'method_config_in_use', userConfigs: 1 });
    expect((await service.deactivate(made.id)).is_active).toBe(false);
    expect(events[0]).toMatchObject({ name: 'two_factor.admin.method_config.created', adminId: 'ops-script' });
  });

  it('documents the admin routes in Swagger under their own tag, in the module’s error envelope', async () => {
    const document = (await h.http.get('/docs-json').expect(200)).body;
    expect(document.tags).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'two-factor: admin', description: expect.stringContaining('admin_required') })]),
    );
    const paths = [
      'method-config/list',
      'method-config/create',
      'method-config/{id}/update',
      'method-config/{id}/activate',
      'method-config/{id}/deactivate',
      'method-config/{id}/destroy',
      'method/list',
      'user/{userId}/user-config/list',
      'user/{userId}/user-config/{id}/unlock',
      'user/{userId}/user-config/{id}/deactivate',
      'user/{userId}/user-config/{id}/destroy',
      'confirmation/search',
    ].map((path) => `${ADMIN}/${path}`);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(paths));
    for (const path of paths) {
      for (const operation of Object.values(document.paths[path]) as Array<{ tags: string[]; responses: Record<string, { content?: object }> }>) {
        expect(operation.tags).toEqual(['two-factor: admin']);
        expect(JSON.stringify(operation.responses['403'].content)).toContain('ErrorResponseDto');
      }
    }
  });
});
