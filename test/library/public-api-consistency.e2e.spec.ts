import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes } from 'node:crypto';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bootHost, HOST_USER_HEADER, type HostHarness } from '../support/host-harness.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.js';

/** Issue 19, item 7: the small ones, through a host app's routes and the module's own. */
const API = '/api/2fa';

describe.each(DATABASE_KINDS)(`issue 19, the small ones, on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let db: TestDatabase;
  let h: HostHarness;
  let dummy: number;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    h = await bootHost(db, 'none');
    dummy = await h.methodConfig('dummy', { code: 'dummy-method' });
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  const fresh = () => `small-${randomBytes(4).toString('hex')}`;
  const code = async (to: string) => {
    const [sent] = (await h.http.get('/host/outbox').query({ to }).expect(200)).body;
    return /\b(\d{6})\b/.exec(sent.text)![1];
  };
  /** Enrols and proves an email factor; returns its id. */
  const enrolEmail = async (user: string, methodConfigId: number, address: string) => {
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(HOST_USER_HEADER, user)
      .send({ method_config_id: methodConfigId, config: { email: address } })
      .expect(201);
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(HOST_USER_HEADER, user)
      .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: await code(address) } })
      .expect(200);
    return created.body.item.id as number;
  };
  const signInRequest = async (user: string, factor: number) => {
    const started = await h.http.post('/host/login/start').send({ user_id: user }).expect(200);
    return h.http.post('/host/login/request').send({ sign_in_token: started.body.token, user_config_id: factor });
  };

  describe('the enrolment’s resend cooldown does not hold back the first sign-in', () => {
    it('enrol an email factor, sign in at once: the code is sent; a second sign-in send within the cooldown is still 429', async () => {
      const email = await h.methodConfig('email', { resend_cooldown_seconds: 60, max_sends_per_destination_per_hour: 100 });
      const user = fresh();
      const address = `${user}@example.com`;
      const factor = await enrolEmail(user, email, address);
      const first = await signInRequest(user, factor);
      expect(first.status).toBe(201);
      expect(first.body.challenge).toEqual({ destination: expect.stringContaining('*') });
      const again = await signInRequest(user, factor);
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ code: 'rate_limited', details: { retry_after: expect.any(Number) } });
    });

    it('the per-destination cap still counts the enrolment’s send', async () => {
      const email = await h.methodConfig('email', { resend_cooldown_seconds: 60, max_sends_per_destination_per_hour: 1 });
      const user = fresh();
      const factor = await enrolEmail(user, email, `${user}@example.com`);
      const refused = await signInRequest(user, factor);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
    });
  });

  it('a factor’s title is the same in two_factor_required as in the sign-in’s list (never empty)', async () => {
    const user = fresh();
    // No title of the user's own, and the method config has none either: the method's verbose name shows.
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(HOST_USER_HEADER, user)
      .send({ method_config_id: dummy, config: { code: 'x-code' } })
      .expect(201);
    if (created.body.confirmation_id) {
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(HOST_USER_HEADER, user)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'x-code' } })
        .expect(200);
    }
    const started = await h.http.post('/host/login/start').send({ user_id: user }).expect(200);
    const refused = await h.http.post('/host/step-up').set(HOST_USER_HEADER, user).expect(403);
    const titles = (list: Array<{ id: number; title: string }>) => list.map(({ id, title }) => ({ id, title }));
    expect(titles(refused.body.details.available)).toEqual(titles(started.body.factors));
    expect(started.body.factors).toEqual([expect.objectContaining({ id: created.body.item.id, title: 'Dummy' })]);
  });

  it('@RequireTwoFactor() and @RequireTwoFactorEnrollment() keep the route’s own success response in OpenAPI', () => {
    const document = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    const responses = (path: string, verb: string) =>
      (document.paths[path] as Record<string, { responses: Record<string, { description: string }> }>)[verb].responses;
    expect(Object.keys(responses('/host/step-up', 'post'))).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(responses('/host/step-up-documented', 'post')['200'].description).toBe('the host route’s own answer');
    expect(Object.keys(responses('/host/profile', 'get'))).toEqual(expect.arrayContaining(['200', '401', '403']));
  });

  describe('a confirm without data is 400 validation_failed and spends no attempt', () => {
    it('confirmation/confirm', async () => {
      const user = fresh();
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(HOST_USER_HEADER, user)
        .send({ method_config_id: dummy, config: { code: 'y-code' } })
        .expect(201);
      const factor = created.body.item.id as number;
      if (created.body.confirmation_id) {
        await h.http
          .post(`${API}/user-config/own/confirm/`)
          .set(HOST_USER_HEADER, user)
          .send({ id: factor, confirmation_id: created.body.confirmation_id, data: { code: 'y-code' } });
      }
      const requested = await h.http.post(`${API}/confirmation/request/`).set(HOST_USER_HEADER, user).send({ user_config_id: factor }).expect(201);
      for (const body of [{ id: requested.body.id }, { id: requested.body.id, data: null }, { id: requested.body.id, data: 'y-code' }]) {
        const refused = await h.http.post(`${API}/confirmation/confirm/`).set(HOST_USER_HEADER, user).send(body).expect(400);
        expect(refused.body).toMatchObject({ code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'data' })] } });
      }
      const checked = await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).set(HOST_USER_HEADER, user).expect(200);
      expect(checked.body.attempts_left).toBe(5);
    });

    it('user-config/own/confirm', async () => {
      const email = await h.methodConfig('email', { resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 100 });
      const user = fresh();
      const address = `${user}@example.com`;
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(HOST_USER_HEADER, user)
        .send({ method_config_id: email, config: { email: address } })
        .expect(201);
      const refused = await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(HOST_USER_HEADER, user)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id })
        .expect(400);
      expect(refused.body.code).toBe('validation_failed');
      const checked = await h.http.get(`${API}/confirmation/${created.body.confirmation_id}/check/`).set(HOST_USER_HEADER, user).expect(200);
      expect(checked.body.attempts_left).toBe(5);
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(HOST_USER_HEADER, user)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: await code(address) } })
        .expect(200);
    });

    it('the sign-in’s confirm (SignInService, on a host route without validation)', async () => {
      const email = await h.methodConfig('email', { resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 100 });
      const user = fresh();
      const address = `${user}@example.com`;
      const factor = await enrolEmail(user, email, address);
      const started = await h.http.post('/host/login/start').send({ user_id: user }).expect(200);
      const requested = await h.http.post('/host/login/request').send({ sign_in_token: started.body.token, user_config_id: factor }).expect(201);
      const refused = await h.http.post('/host/login/confirm').send({ sign_in_token: started.body.token }).expect(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'data' })] } });
      // A sign-in confirmation is not shown by `check` (its purpose): its row says no attempt was spent.
      const [row] = await h.sql('SELECT attempts FROM two_factor_confirmation WHERE id = ?', [requested.body.id]);
      expect(Number(row.attempts)).toBe(0);
      const done = await h.http
        .post('/host/login/confirm')
        .send({ sign_in_token: started.body.token, data: { code: await code(address) } })
        .expect(200);
      expect(done.body.userId).toBe(user);
    });
  });
});
