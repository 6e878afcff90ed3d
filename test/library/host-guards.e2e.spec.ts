import { bootHostWiring } from '../support/host-wiring-harness.js';
import { API, type AppHarness, TEST_HTTP_ADAPTER } from '../support/harness.js';
import { enrolDummy, stepUpProof } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/**
 * Issue 19, item 5: the module's guards in a feature module of the host (TwoFactorModule.forRoot in the
 * root only), with and without isGlobal; and the module's anonymous routes behind a deny-by-default
 * global auth guard, through the module's metadata or the host's own `@Public()` key.
 */
describe.each(DATABASE_KINDS)(`host wiring on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  describe.each([false, true])('guards in a feature module, isGlobal: %s', (isGlobal) => {
    let h: AppHarness;
    beforeAll(async () => {
      h = await bootHostWiring(kind, { isGlobal });
    });
    afterAll(() => h?.close());

    it('@RequireTwoFactor() refuses without a proof and lets one proof through once', async () => {
      await enrolDummy(h, 'u-bob', 'bob-code');
      const auth = await h.auth('u-bob');
      const refused = await h.http.post('/feature/transfer').set(auth).expect(403);
      expect(refused.body.code).toBe('two_factor_required');
      const proof = await stepUpProof(h, 'u-bob');
      const done = await h.http.post('/feature/transfer').set(auth).set(proof).expect(200);
      expect(done.body).toEqual({ transferred: true, confirmation_id: proof['X-Two-Factor-Confirmation'] });
      expect((await h.http.post('/feature/transfer').set(auth).set(proof).expect(403)).body.code).toBe('two_factor_required');
      // The same in a feature module that imports nothing of the module.
      expect((await h.http.post('/plain-feature/transfer').set(auth).expect(403)).body.code).toBe('two_factor_required');
      await h.http
        .post('/plain-feature/transfer')
        .set(auth)
        .set(await stepUpProof(h, 'u-bob'))
        .expect(200);
    });

    it('@RequireTwoFactorEnrollment() refuses a required user without a factor, and lets them through once enrolled', async () => {
      const auth = await h.auth('u-alice');
      const refused = await h.http.get('/feature/report').set(auth).expect(403);
      expect(refused.body.code).toBe('two_factor_enrollment_required');
      expect(refused.body.details.methods.map((m: { method: string }) => m.method)).toContain('dummy');
      await enrolDummy(h, 'u-alice', 'alice-code');
      expect((await h.http.get('/feature/report').set(auth).expect(200)).body).toEqual({ report: 'ok' });
      // A user the policy does not require passes without a factor.
      await h.http
        .get('/feature/report')
        .set(await h.auth('u-carol'))
        .expect(200);
    });
  });

  describe.each([
    ['the module’s TWO_FACTOR_PUBLIC_ROUTE', false],
    ['the host’s own @Public() key (publicRouteMetadata)', true],
  ])('a deny-by-default global guard honouring %s', (_name, hostPublicKey) => {
    let h: AppHarness;
    beforeAll(async () => {
      h = await bootHostWiring(kind, { isGlobal: false, hostPublicKey });
    });
    afterAll(() => h?.close());

    it('lets anonymous callers reach the module’s anonymous routes', async () => {
      const listed = await h.http.get(`${API}/method-config/list/active/`).expect(200);
      expect(listed.body.length).toBeGreaterThan(0);
      const dummy = listed.body.find((item: { method: string }) => item.method === 'dummy');
      // Anonymous confirmation request, check and confirm: answered by the module, not refused by the host's guard.
      const requested = await h.http.post(`${API}/confirmation/request/`).send({ method_config_id: dummy.id }).expect(201);
      await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).expect(200);
      await h.http
        .post(`${API}/confirmation/confirm/`)
        .send({ id: requested.body.id, data: { code: 'dummy-method' } })
        .expect(200);
      // The shipped sign-in routes: their own errors, not the guard's 401 without a code.
      expect((await h.http.post('/auth/login').send({ username: 'alice', password: 'wrong' }).expect(401)).body.code).toBe('unauthenticated');
      expect((await h.http.post('/auth/login/request').send({ sign_in_token: 'tfs_x', user_config_id: 1 }).expect(401)).body.code).toBe('sign_in_invalid');
      expect((await h.http.post('/auth/login/confirm').send({ sign_in_token: 'tfs_x', data: {} }).expect(401)).body.code).toBe('sign_in_invalid');
    });

    it('keeps every other route shut to anonymous callers, the module’s own included', async () => {
      await h.http.get('/feature/open').expect(200);
      for (const path of [`${API}/user-config/own/list/`, `${API}/device/own/list/`, '/feature/report']) {
        const refused = await h.http.get(path).expect(401);
        expect(refused.headers['x-denied-by']).toBe('host-guard');
      }
    });

    it('still reads a session on the optional routes: a signed-in caller confirms their own factor there', async () => {
      const factor = await enrolDummy(h, 'u-dave', 'dave-code');
      const requested = await h.http
        .post(`${API}/confirmation/request/`)
        .set(await h.auth('u-dave'))
        .send({ user_config_id: factor })
        .expect(201);
      // Anonymous, the same confirmation is someone else's.
      await h.http.get(`${API}/confirmation/${requested.body.id}/check/`).expect(404);
      await h.http
        .get(`${API}/confirmation/${requested.body.id}/check/`)
        .set(await h.auth('u-dave'))
        .expect(200);
    });
  });
});
