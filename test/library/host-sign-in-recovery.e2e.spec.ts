import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AccessCodeAdminService } from 'nestjs-two-factor';
import { bootHostWiring } from '../support/host-wiring-harness.js';
import { API, TEST_HTTP_ADAPTER, type AppHarness } from '../support/harness.js';
import { enrolDummy, methodConfigId } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/**
 * Issue 22 through the shipped sign-in routes (`signInRoutes`) of a host app: the recovery and
 * access-code routes beside `<path>/request` and `<path>/confirm`, the host's session only after the
 * new factor is proven, its device cookie on the sign-in path; off unless the `recovery` option is on.
 */
const LOGIN = '/auth/login';

describe.each(DATABASE_KINDS)(`shipped sign-in routes: recovery and access codes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: AppHarness;
  let off: AppHarness | undefined;
  let dummyConfig: number;

  const pending = async (): Promise<string> => {
    const response = await h.http.post(LOGIN).send({ username: 'alice', password: 'alice-password' }).expect(200);
    expect(response.body.two_factor_required).toBe(true);
    return response.body.sign_in_token;
  };
  const enrolAndConfirm = async (token: string, remember = false) => {
    const created = await h.http
      .post(`${LOGIN}/enrollment`)
      .send({ sign_in_token: token, method_config_id: dummyConfig, config: { code: 'new-code' } })
      .expect(201);
    expect(Object.keys(created.body).sort()).toEqual(['confirmation_id', 'enrollment', 'item']);
    return h.http.post(`${LOGIN}/enrollment/confirm`).send({
      sign_in_token: token,
      id: created.body.item.id,
      confirmation_id: created.body.confirmation_id,
      data: { code: 'new-code' },
      remember_device: remember,
    });
  };

  beforeAll(async () => {
    h = await bootHostWiring(kind, { isGlobal: false, twoFactor: { recovery: { enabled: true, waitSeconds: 3600 } } });
    dummyConfig = await methodConfigId(h, 'dummy');
  });
  afterAll(async () => {
    await h?.close();
    await off?.close();
  });
  beforeEach(async () => {
    for (const table of [
      'two_factor_recovery',
      'two_factor_access_code',
      'two_factor_sign_in',
      'two_factor_device',
      'two_factor_enabled_user',
      'two_factor_user_config',
    ]) {
      await h.sql(`DELETE FROM ${table} WHERE user_id = 'u-alice'`);
    }
    await h.sql('DELETE FROM two_factor_rate_counter');
    await enrolDummy(h, 'u-alice', 'alice-code');
  });

  it('recovery: 202 with not_before after the option’s wait; enrolment closed until then; after it the host’s session and the device cookie', async () => {
    const token = await pending();
    const before = Date.now();
    const started = await h.http.post(`${LOGIN}/recovery/start`).send({ sign_in_token: token }).expect(202);
    expect(Date.parse(started.body.not_before) - before).toBeGreaterThan(3_540_000);
    const early = await h.http.post(`${LOGIN}/enrollment`).send({ sign_in_token: await pending(), method_config_id: dummyConfig, config: { code: 'x' } });
    expect([early.status, early.body.code]).toEqual([403, 'enrollment_not_open']);
    await h.sql("UPDATE two_factor_recovery SET not_before = ? WHERE user_id = 'u-alice'", [Date.now() - 1]);
    const first = await h.http.post(LOGIN).send({ username: 'alice', password: 'alice-password' }).expect(200);
    expect(first.body.recovery).toEqual({ recovery_id: started.body.recovery_id, not_before: expect.any(String), enrollment_open: true });
    const done = await enrolAndConfirm(first.body.sign_in_token, true);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ access_token: 'session-u-alice', token_type: 'Bearer' });
    const cookie = ([] as string[]).concat(done.headers['set-cookie'] ?? []).find((value) => value.startsWith('two_factor_device='));
    expect(cookie).toMatch(/Path=\/auth\/login(;|$)/);
    expect(await h.sql("SELECT status FROM two_factor_user_config WHERE user_id = 'u-alice'")).toEqual([{ status: 'confirmed' }]);
  });

  it('access code: opens enrolment only (no session), single use; a cancel code that matches nothing is 404', async () => {
    const issued = await h.app.get(AccessCodeAdminService).issue('u-alice', undefined, { adminId: 'host' });
    const token = await pending();
    const opened = await h.http.post(`${LOGIN}/access-code`).send({ sign_in_token: token, code: issued.code }).expect(200);
    expect(opened.body).toEqual({ enrollment_open: true, opened_by: 'access_code', expires_at: expect.any(String) });
    expect(opened.body.access_token).toBeUndefined();
    expect(
      (
        await h.http
          .post(`${LOGIN}/access-code`)
          .send({ sign_in_token: await pending(), code: issued.code })
          .expect(400)
      ).body.code,
    ).toBe('access_code_invalid');
    const done = await enrolAndConfirm(token);
    expect([done.status, done.body.access_token]).toEqual([200, 'session-u-alice']);
    expect((await h.http.post(`${LOGIN}/recovery/cancel`).send({ cancel_code: 'AAAAA-BBBBB-CCCCC-DDDDD' }).expect(404)).body.code).toBe('not_found');
    expect((await h.http.post(`${LOGIN}/recovery/cancel`).send({ cancel_code: 42 }).expect(400)).body.code).toBe('validation_failed');
  });

  it('documents the new routes in OpenAPI with their error examples', () => {
    const document = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    const post = (path: string) => document.paths[`${LOGIN}/${path}`]?.post;
    expect(post('recovery/start')!.responses['202']).toBeDefined();
    expect(Object.keys((post('recovery/start')!.responses['409'] as any).content['application/json'].examples)).toContain('recovery_in_progress');
    expect(Object.keys((post('access-code')!.responses['400'] as any).content['application/json'].examples)).toContain('access_code_invalid');
    expect(Object.keys((post('enrollment')!.responses['403'] as any).content['application/json'].examples)).toContain('enrollment_not_open');
    for (const path of ['recovery/start', 'recovery/cancel', 'access-code', 'enrollment', 'enrollment/confirm'])
      expect(post(path)?.tags).toEqual(['two-factor: sign-in']);
  });

  it('without the recovery option, recovery/start is 404 not_found and starts nothing', async () => {
    off = await bootHostWiring(kind, { isGlobal: false });
    await enrolDummy(off, 'u-alice', 'alice-code');
    const response = await off.http.post(LOGIN).send({ username: 'alice', password: 'alice-password' }).expect(200);
    const refused = await off.http.post(`${LOGIN}/recovery/start`).send({ sign_in_token: response.body.sign_in_token });
    expect([refused.status, refused.body.code]).toEqual([404, 'not_found']);
    expect(await off.sql('SELECT id FROM two_factor_recovery')).toEqual([]);
    await off.http.get(`${API}/method-config/list/active/`).expect(200);
  });
});
