import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Response } from 'supertest';
import { bootHostWiring } from '../support/host-wiring-harness.js';
import { TwoFactorModule, TwoFactorSetupError, type TwoFactorSignInRoutesOptions } from 'nestjs-two-factor';
import { DUMMY_METHOD } from 'nestjs-two-factor/methods';
import { API, TEST_SECRET, type AppHarness, TEST_HTTP_ADAPTER } from '../support/harness.js';
import { bootLibrary } from '../support/library-harness.js';
import { enrolDummy } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/**
 * Issue 19, item 3: the sign-in routes the module mounts itself (`signInRoutes`), with the host's
 * password check and session, and the remembered-device cookie read and set without cookie-parser
 * (run with TEST_HTTP_ADAPTER=fastify for Fastify).
 */
const LOGIN = '/auth/login';

function setCookies(response: Response): string[] {
  const raw = response.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}

function deviceTokenOf(response: Response): string | undefined {
  const cookie = setCookies(response).find((value) => value.startsWith('two_factor_device='));
  return cookie?.split(';')[0].slice('two_factor_device='.length);
}

describe.each(DATABASE_KINDS)(`shipped sign-in routes on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: AppHarness;
  let aliceFactor: number;

  const login = (username: string, password: string) => h.http.post(LOGIN).send({ username, password });
  async function pending(): Promise<string> {
    const response = await login('alice', 'alice-password').expect(200);
    expect(response.body.two_factor_required).toBe(true);
    return response.body.sign_in_token;
  }

  beforeAll(async () => {
    h = await bootHostWiring(kind, { isGlobal: false });
    aliceFactor = await enrolDummy(h, 'u-alice', 'alice-code');
  });
  afterAll(() => h?.close());

  it('a wrong password is 401 unauthenticated; a user without a factor gets the host’s session at once', async () => {
    expect((await login('alice', 'nope').expect(401)).body.code).toBe('unauthenticated');
    expect((await login('nobody', 'alice-password').expect(401)).body.code).toBe('unauthenticated');
    expect((await login('bob', 'bob-password').expect(200)).body).toEqual({ access_token: 'session-u-bob', token_type: 'Bearer' });
  });

  it('a user with a factor: token and public factor list, then the confirmation, then the session — no secret in any body', async () => {
    const first = await login('alice', 'alice-password').expect(200);
    expect(Object.keys(first.body).sort()).toEqual(['expires_at', 'factors', 'recovery', 'sign_in_token', 'two_factor_required']);
    expect(first.body.recovery).toBeNull();
    expect(first.body.factors).toEqual([
      {
        id: aliceFactor,
        method: 'dummy',
        title: expect.any(String),
        nickname: null,
        destination: null,
        created_at: expect.any(String),
        // Its enrolment's proof was its first use.
        last_used_at: expect.any(String),
      },
    ]);
    const token = first.body.sign_in_token;
    const requested = await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: aliceFactor }).expect(201);
    expect(Object.keys(requested.body).sort()).toEqual(['attempts_left', 'challenge', 'expires_at', 'id']);
    expect(requested.body.attempts_left).toBe(5);
    const wrong = await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: { code: 'nope' } })
      .expect(400);
    expect(wrong.body.code).toBe('confirmation_failed');
    const done = await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: { code: 'alice-code' } })
      .expect(200);
    expect(done.body).toEqual({ access_token: 'session-u-alice', token_type: 'Bearer' });
    expect(setCookies(done)).toEqual([]);
    for (const body of [first.body, requested.body, wrong.body, done.body]) expect(JSON.stringify(body)).not.toContain('alice-code');
    // Spent: the token signs in once.
    const again = await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: { code: 'alice-code' } })
      .expect(401);
    expect(again.body.code).toBe('sign_in_invalid');
  });

  it('bad bodies are 400 validation_failed and spend nothing; another user’s factor is 404', async () => {
    const token = await pending();
    expect((await h.http.post(LOGIN).send({ username: 'alice' }).expect(400)).body.code).toBe('validation_failed');
    expect((await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: 'x' }).expect(400)).body.code).toBe('validation_failed');
    const bob = await enrolDummy(h, 'u-bob2', 'bob-code');
    expect((await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: bob }).expect(404)).body.code).toBe('not_found');
    await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: aliceFactor }).expect(201);
    expect((await h.http.post(`${LOGIN}/confirm`).send({ sign_in_token: token }).expect(400)).body.code).toBe('validation_failed');
    // The body without data spent no attempt: the first wrong code leaves 4 of 5.
    const wrong = await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: { code: 'nope' } })
      .expect(400);
    expect(wrong.body.details.attempts_left).toBe(4);
    await h.http
      .post(`${LOGIN}/confirm`)
      .send({ sign_in_token: token, data: { code: 'alice-code' } })
      .expect(200);
  });

  it('remember_device sets an HttpOnly, SameSite=Strict cookie for the sign-in path, and the next sign-in with it skips the second step', async () => {
    const token = await pending();
    await h.http.post(`${LOGIN}/request`).send({ sign_in_token: token, user_config_id: aliceFactor }).expect(201);
    const done = await h.http
      .post(`${LOGIN}/confirm`)
      .set('User-Agent', 'jest-agent/1.0')
      .send({ sign_in_token: token, data: { code: 'alice-code' }, remember_device: true })
      .expect(200);
    const [cookie] = setCookies(done);
    expect(cookie).toMatch(/^two_factor_device=[A-Za-z0-9_-]+; Path=\/auth\/login; Expires=[^;]+ GMT; HttpOnly; SameSite=Strict$/);
    const device = deviceTokenOf(done)!;
    expect(JSON.stringify(done.body)).not.toContain(device);
    // No cookie-parser in this app: the route reads the Cookie header itself, among other cookies.
    const skipped = await login('alice', 'alice-password').set('Cookie', `theme=dark; two_factor_device=${device}; lang=en`).expect(200);
    expect(skipped.body).toEqual({ access_token: 'session-u-alice', token_type: 'Bearer' });
    // The header works for clients without cookies; a forged token does not.
    expect((await login('alice', 'alice-password').set('X-Two-Factor-Device', device).expect(200)).body.access_token).toBe('session-u-alice');
    expect((await login('alice', 'alice-password').set('Cookie', `two_factor_device=${device}x`).expect(200)).body.two_factor_required).toBe(true);
    // It is alice's remembered device, listed among her own.
    const devices = await h.http
      .get('/api/v1/auth/2factor/device/own/list/')
      .set(await h.auth('u-alice'))
      .expect(200);
    expect(devices.body.map((d: { label: string }) => d.label)).toContain('jest-agent/1.0');
  });

  it('documents the three routes in OpenAPI, with the error examples', async () => {
    const document = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    for (const path of [LOGIN, `${LOGIN}/request`, `${LOGIN}/confirm`]) {
      const operation = document.paths[path]?.post;
      expect(operation?.tags).toEqual(['two-factor: sign-in']);
      expect(operation?.operationId).toMatch(/^twoFactor_signIn/);
      const examples = (operation!.responses['401'] as { content: Record<string, { examples: Record<string, unknown> }> }).content['application/json'].examples;
      expect(Object.keys(examples)).toEqual(['unauthenticated', 'sign_in_invalid']);
      expect(operation!.responses['503']).toBeDefined();
    }
    expect(document.paths[`${LOGIN}/request`].post!.responses['201']).toBeDefined();
    expect(document.paths[`${LOGIN}/confirm`].post!.requestBody).toBeDefined();
  });
});

describe(`shipped sign-in routes under a global prefix on sqlite, ${TEST_HTTP_ADAPTER}`, () => {
  it('scope the device cookie to the path the client called, prefix included', async () => {
    const h = await bootHostWiring('sqlite', { isGlobal: false }, undefined, { globalPrefix: 'api' });
    try {
      const api = `/api${API}`;
      const auth = await h.auth('u-alice');
      const configs = await h.http.get(`${api}/method-config/list/active/`).expect(200);
      const dummy = configs.body.find((item: { method: string }) => item.method === 'dummy').id;
      const created = await h.http
        .post(`${api}/user-config/own/create/`)
        .set(auth)
        .send({ method_config_id: dummy, config: { code: 'alice-code' } })
        .expect(201);
      await h.http
        .post(`${api}/user-config/own/confirm/`)
        .set(auth)
        .send({ id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: { code: 'alice-code' } })
        .expect(200);
      const factor = created.body.item.id;
      const token = (await h.http.post(`/api${LOGIN}`).send({ username: 'alice', password: 'alice-password' }).expect(200)).body.sign_in_token;
      await h.http.post(`/api${LOGIN}/request`).send({ sign_in_token: token, user_config_id: factor }).expect(201);
      const done = await h.http
        .post(`/api${LOGIN}/confirm`)
        .send({ sign_in_token: token, data: { code: 'alice-code' }, remember_device: true })
        .expect(200);
      expect(setCookies(done)[0]).toContain('; Path=/api/auth/login;');
    } finally {
      await h.close();
    }
  });
});

describe(`shipped sign-in routes are opt-in on sqlite, ${TEST_HTTP_ADAPTER}`, () => {
  it('are absent without the option', async () => {
    const h = await bootLibrary('sqlite');
    try {
      await h.http.post('/api/v1/auth/login').send({ username: 'alice', password: 'x' }).expect(404);
    } finally {
      await h.close();
    }
  });

  it('refuse a missing path or a handler without verifyPassword and issueSession at startup', () => {
    const handler = { verifyPassword: () => null, issueSession: () => ({}) };
    const build = (signInRoutes: unknown) => () =>
      TwoFactorModule.forRoot({ methods: [DUMMY_METHOD], secret: TEST_SECRET, signInRoutes: signInRoutes as TwoFactorSignInRoutesOptions });
    expect(build({ path: '/', handler })).toThrow(/signInRoutes.path/);
    expect(build({ path: 'auth/login', handler: { verifyPassword: () => null } })).toThrow(/signInRoutes.handler/);
    expect(build({ path: 'auth/login', handler: class {} })).toThrow(TwoFactorSetupError);
    expect(build({ path: 'auth/login', handler })).not.toThrow();
  });
});
