import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { bootHost, HOST_USER_HEADER, type HostFilter, type HostHarness } from '../support/host-harness.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.js';

/**
 * Issue 19, item 2: a module error thrown from a HOST's route (the host calls SignInService,
 * ConfirmerService, the admin services; the step-up and enrolment guards guard it) answers its
 * documented status and body with no filter registered. The module's filter, where the host
 * registers it, changes only the rendering (translation, the Retry-After header); a host's own
 * catch-all that renders HttpExceptions renders ours right too.
 */
const API = '/api/2fa';
const GERMAN = 'Diese Anmeldung ist unbekannt, abgelaufen oder schon abgeschlossen.';
const ENGLISH = 'This sign-in is unknown, expired or already completed: sign in again.';

describe.each(DATABASE_KINDS)(`module errors on a host route, on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.drop());

  describe.each<HostFilter>(['none', 'module', 'host'])('with filter: %s', (filter) => {
    let h: HostHarness;
    let dummy: number;
    let email: number;
    const user = () => `err-${randomBytes(4).toString('hex')}`;

    /** The documented envelope: exactly these fields (a host's own filter may add its own beside them). */
    const expectEnvelope = (response: Response, status: number, code: string, details?: Record<string, unknown>) => {
      expect(response.status).toBe(status);
      const envelope = { statusCode: status, error: expect.any(String), code, message: expect.any(String), ...(details ? { details } : {}) };
      if (filter === 'host') expect(response.body).toMatchObject({ ...envelope, rendered_by: 'host' });
      else expect(response.body).toEqual(envelope);
    };

    beforeAll(async () => {
      h = await bootHost(db, filter, {
        translate: (key, _params, { language }) => (language === 'de' && key === 'error.sign_in_invalid.message' ? GERMAN : undefined),
        enrollment: { required: (userId) => (userId.startsWith('must-') ? new Date(0) : null) },
      });
      dummy = await h.methodConfig('dummy', { code: 'dummy-method' });
      email = await h.methodConfig('email', { resend_cooldown_seconds: 60, max_sends_per_destination_per_hour: 100 });
    });
    afterAll(() => h?.close());

    /** A user with a confirmed dummy factor whose code is `code`. */
    const withDummy = async (id: string, code = 'host-code') => {
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(HOST_USER_HEADER, id)
        .send({ method_config_id: dummy, config: { code } })
        .expect(201);
      if (created.body.confirmation_id) {
        await h.http
          .post(`${API}/user-config/own/confirm/`)
          .set(HOST_USER_HEADER, id)
          .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
          .expect(200);
      }
      return created.body.item.id as number;
    };

    it('SignInService: an unknown sign-in token is 401 sign_in_invalid, in English unless the module filter translates it', async () => {
      const response = await h.http
        .post('/host/login/confirm')
        .set('Accept-Language', 'de')
        .send({ sign_in_token: 'tfs_unknown', data: { code: '1' } });
      expectEnvelope(response, 401, 'sign_in_invalid');
      expect(response.body.error).toBe('Unauthorized');
      // The filter changes only the rendering: same status and code, the message in the request's language.
      expect(response.body.message).toBe(filter === 'module' ? GERMAN : ENGLISH);
    });

    it('ConfirmerService: neither id is 400 empty_config; an unknown id 404 not_found', async () => {
      expectEnvelope(await h.http.post('/host/confirmer/request').set(HOST_USER_HEADER, user()).send({}), 400, 'empty_config');
      expectEnvelope(await h.http.post('/host/confirmer/request').set(HOST_USER_HEADER, user()).send({ user_config_id: 999999 }), 404, 'not_found');
    });

    it('a wrong code is 400 confirmation_failed with the attempts left; no data is 400 validation_failed and spends none', async () => {
      const id = user();
      const factor = await withDummy(id);
      const requested = await h.http.post('/host/confirmer/request').set(HOST_USER_HEADER, id).send({ user_config_id: factor }).expect(201);
      const wrong = await h.http
        .post('/host/confirmer/confirm')
        .set(HOST_USER_HEADER, id)
        .send({ id: requested.body.id, data: { code: 'nope' } });
      expectEnvelope(wrong, 400, 'confirmation_failed', { attempts_left: 4 });
      const missing = await h.http.post('/host/confirmer/confirm').set(HOST_USER_HEADER, id).send({ id: requested.body.id });
      expectEnvelope(missing, 400, 'validation_failed', { fields: [{ field: 'data', message: expect.any(String) }] });
      const checked = await h.http.get(`/host/confirmer/check/${requested.body.id}`).set(HOST_USER_HEADER, id).expect(200);
      expect(checked.body.confirmation.attempts_left).toBe(4);
    });

    it('the step-up guard: 401 without a user, 403 two_factor_required listing the factors without a proof', async () => {
      expectEnvelope(await h.http.post('/host/step-up'), 401, 'unauthenticated');
      const id = user();
      const factor = await withDummy(id);
      const refused = await h.http.post('/host/step-up').set(HOST_USER_HEADER, id);
      expectEnvelope(refused, 403, 'two_factor_required', { available: [{ id: factor, method: 'dummy', title: expect.any(String) }] });
    });

    it('the enrolment guard: 403 two_factor_enrollment_required for a user the policy requires a factor of', async () => {
      const refused = await h.http.get('/host/profile').set(HOST_USER_HEADER, `must-${randomBytes(4).toString('hex')}`);
      expectEnvelope(refused, 403, 'two_factor_enrollment_required', expect.objectContaining({ methods: expect.any(Array) }));
      await h.http.get('/host/profile').set(HOST_USER_HEADER, user()).expect(200);
    });

    it('admin services: an unregistered method is 400 validation_failed; an unknown user config 404 not_found', async () => {
      const invalid = await h.http.post('/host/admin/method-configs').send({ method: 'nope' });
      expectEnvelope(invalid, 400, 'validation_failed', { fields: [{ field: 'method', message: expect.any(String) }] });
      expectEnvelope(await h.http.post(`/host/admin/users/${user()}/user-configs/999999/unlock`), 404, 'not_found');
    });

    it('a resend within the cooldown is 429 rate_limited with details.retry_after (the Retry-After header where the module filter renders it)', async () => {
      const id = user();
      const address = `${id}@example.com`;
      const created = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(HOST_USER_HEADER, id)
        .send({ method_config_id: email, config: { email: address } })
        .expect(201);
      const [sent] = (await h.http.get('/host/outbox').query({ to: address }).expect(200)).body;
      const code = /\b(\d{6})\b/.exec(sent.text)![1];
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(HOST_USER_HEADER, id)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code } })
        .expect(200);
      await h.http.post('/host/confirmer/request').set(HOST_USER_HEADER, id).send({ user_config_id: created.body.item.id }).expect(201);
      const again = await h.http.post('/host/confirmer/request').set(HOST_USER_HEADER, id).send({ user_config_id: created.body.item.id });
      expectEnvelope(again, 429, 'rate_limited', { retry_after: expect.any(Number) });
      if (filter === 'module') expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
