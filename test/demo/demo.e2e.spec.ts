import { API, bootDemo, TEST_HTTP_ADAPTER, type DemoHarness } from '../support/demo-harness.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** The demo app around the module (src/README.md). */
describe.each(DATABASE_KINDS)(`demo app on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  beforeAll(async () => {
    h = await bootDemo(kind);
  });
  afterAll(() => h.close());
  const dummyConfig = async () =>
    ((await h.http.get(`${API}/method-config/list/active/`).expect(200)).body as Array<{ id: number; method: string }>).find((item) => item.method === 'dummy')!
      .id;

  it('signs alice and bob in with a bearer JWT', async () => {
    for (const username of ['alice', 'bob']) {
      const response = await h.http.post('/api/v1/auth/login').send({ username, password: 'demo-password' }).expect(200);
      expect(response.body).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'Bearer' });
    }
  });

  it('refuses a wrong password with 401 and a malformed body with 400 validation_failed', async () => {
    const wrong = await h.http.post('/api/v1/auth/login').send({ username: 'alice', password: 'nope' }).expect(401);
    expect(wrong.body.code).toBe('unauthenticated');
    const malformed = await h.http.post('/api/v1/auth/login').send({ username: 'alice' }).expect(400);
    expect(malformed.body.code).toBe('validation_failed');
    expect(malformed.body.details.fields[0].field).toBe('password');
  });

  it('refuses a bad bearer token instead of treating the caller as anonymous', async () => {
    const response = await h.http.get(`${API}/method-config/list/active/`).set('Authorization', 'Bearer not.a.token').expect(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it("answers /health once the database answers, with the module's health indicator (database and purge backlog)", async () => {
    // Changed deliberately for issue 24: {status: 'ok'} as before, plus the indicator's report.
    await h.sql('INSERT INTO two_factor_rate_counter (key, window_start, count, expires_at) VALUES (?, ?, ?, ?)', ['health-test-expired', 0, 1, 1]);
    expect((await h.http.get('/health').expect(200)).body).toEqual({
      status: 'ok',
      info: {
        two_factor: {
          status: 'up',
          database: 'up',
          purge_backlog: {
            two_factor_confirmation: expect.any(Number),
            two_factor_rate_counter: 1,
            two_factor_sign_in: expect.any(Number),
            two_factor_device: expect.any(Number),
          },
        },
      },
    });
  });

  it("serves the module's metrics as Prometheus text at GET /metrics (contract §7)", async () => {
    await h.http.post('/api/v1/auth/login').send({ username: 'alice', password: 'demo-password' }).expect(200);
    await h.http.get(`${API}/method-config/list/active/`).expect(200);
    const confirmationId = (
      await h.http
        .post(`${API}/confirmation/request/`)
        .send({ method_config_id: await dummyConfig() })
        .expect(201)
    ).body.id;
    await h.http.post(`${API}/confirmation/confirm/`).send({ id: confirmationId, data: { code: 'wrong' } });
    const response = await h.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^# HELP two_factor_confirmations_requested_total /m);
    expect(response.text).toMatch(/^two_factor_confirmations_requested_total\{[^}]*method="dummy"[^}]*\} [1-9]/m);
    expect(response.text).toMatch(/^two_factor_operation_duration_seconds_count\{[^}]*operation="confirmation.request"[^}]*\} [1-9]/m);
    expect(response.text).not.toContain(confirmationId);
  });

  it('serves the OpenAPI document with bearer auth and every module route', async () => {
    const document = (await h.http.get('/docs-json').expect(200)).body;
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        `${API}/method-config/list/active`,
        `${API}/user-config/own/list`,
        `${API}/user-config/own/create`,
        `${API}/user-config/own/confirm`,
        `${API}/user-config/own/{id}/update`,
        `${API}/user-config/own/{id}/destroy`,
        `${API}/confirmation/request`,
        `${API}/confirmation/{id}/check`,
        `${API}/confirmation/confirm`,
        '/api/v1/account/sensitive-action',
        '/api/v1/dev/outbox',
      ]),
    );
    // The public challenge data of confirmation/request/ (WebAuthn request options, a masked destination).
    expect(document.components.schemas.ConfirmationDto.properties.challenge).toMatchObject({
      type: 'object',
      description: expect.stringContaining('request_options'),
    });
    expect(document.components.schemas.ConfirmationDto.required).not.toContain('challenge');
  });

  // On Fastify, Swagger UI's assets come through @fastify/static, which Jest on Node 20 cannot
  // load (it requires an ES module); test/consumer serves /docs on Fastify under plain Node.
  if (TEST_HTTP_ADAPTER === 'express') {
    it('serves Swagger UI at /docs', async () => {
      await h.http.get('/docs').expect(200);
    });
  }

  it('documents every status the server stores: locked for user configs and confirmations alike', async () => {
    const { schemas } = (await h.http.get('/docs-json').expect(200)).body.components;
    expect(schemas.UserConfigItemDto.properties.status.enum).toEqual(['new', 'in_process', 'confirmed', 'locked']);
    expect(schemas.ConfirmationDto.properties.status.enum).toEqual(['in_process', 'confirmed', 'locked']);
  });

  it('documents the factor fields of issue 22 with examples: nickname, created_at, last_used_at; remaining', async () => {
    const { schemas } = (await h.http.get('/docs-json').expect(200)).body.components;
    for (const name of ['UserConfigItemDto', 'AdminUserConfigDto', 'SignInFactorDto']) {
      const { properties } = schemas[name];
      expect({ name, nickname: properties.nickname, last_used_at: properties.last_used_at, created_at: properties.created_at }).toMatchObject({
        name,
        nickname: { type: 'string', nullable: true, example: expect.any(String) },
        last_used_at: { type: 'string', format: 'date-time', nullable: true, example: expect.any(String) },
        created_at: { type: 'string', format: 'date-time', example: expect.any(String) },
      });
    }
    expect(schemas.ConfirmationDto.properties.remaining).toMatchObject({ type: 'number', example: 2 });
    expect(schemas.ConfirmationDto.required).not.toContain('remaining');
    expect(schemas.SignInTokenDto.properties.remaining).toMatchObject({ type: 'number', example: 2 });
  });

  it('seeds one active method config per built-in method, dummy with the seed’s global code', async () => {
    const listed = (await h.http.get(`${API}/method-config/list/active/`).expect(200)).body;
    expect(listed.map((item: { method: string }) => item.method).sort()).toEqual(['backup_codes', 'dummy', 'email', 'sms', 'totp', 'webauthn']);
    const dummy = listed.find((item: { method: string }) => item.method === 'dummy');
    const requested = await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: dummy.id }).expect(201);
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .send({ id: requested.body.id, data: { code: 'dummy-method' } })
      .expect(200);
  });
});

describe(`demo app in production on sqlite, ${TEST_HTTP_ADAPTER}`, () => {
  it('has no dev outbox route', async () => {
    const h = await bootDemo('sqlite', { production: true });
    try {
      await h.http.get('/api/v1/dev/outbox').expect(404);
    } finally {
      await h.close();
    }
  });
});
