import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { SignInService } from 'nestjs-two-factor';
import { SecretBox } from 'nestjs-two-factor/methods';
import { API, bootDemo, TEST_SECRET, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId, stepUpIfNeeded } from '../support/flows.js';
import { confirmCode, login, LOGIN, pendingSignIn, requestCode } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

/** Every operation of the demo's OpenAPI document, as [method, path with sample ids]. */
async function everyRoute(h: DemoHarness): Promise<Array<[string, string]>> {
  const document = (await h.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method): [string, string] => [method, path.replace(/\{[^}]+\}/g, '3b241101-e2bb-4255-8caf-4136c566a962')]),
  );
}

describe.each(DATABASE_KINDS)(`sign-in second step on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  let h: DemoHarness;
  let aliceFactor: number;
  let aliceEmail: number;
  let bobFactor: number;

  beforeAll(async () => {
    h = await bootDemo(kind);
    // No resend cooldown: several tests ask for an email code within a minute.
    await h.sql(`UPDATE two_factor_method_config SET config = ? WHERE method = 'email'`, [
      JSON.stringify({ resend_cooldown_seconds: 0, max_sends_per_destination_per_hour: 1000 }),
    ]);
    // Before alice has a factor, her password alone signs her in (and the harness keeps that token).
    aliceFactor = await enrolDummy(h, 'alice', 'alice-code');
    const auth = await h.auth('alice');
    const proof = await h.http.post(`${API}/confirmation/request/`).set(auth).send({ user_config_id: aliceFactor }).expect(201);
    await h.http
      .post(`${API}/confirmation/confirm/`)
      .set(auth)
      .send({ id: proof.body.id, data: { code: 'alice-code' } })
      .expect(200);
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(auth)
      .set('X-Two-Factor-Confirmation', proof.body.id)
      .send({ method_config_id: await methodConfigId(h, 'email'), config: { email: 'alice.factor@example.com' } })
      .expect(201);
    aliceEmail = created.body.item.id;
    const [sent] = (await h.http.get('/api/v1/dev/outbox').query({ to: 'alice.factor@example.com' }).expect(200)).body;
    const code = /\b(\d{6})\b/.exec(sent.text)![1];
    await h.http
      .post(`${API}/user-config/own/confirm/`)
      .set(auth)
      .send({ id: aliceEmail, confirmation_id: created.body.confirmation_id, data: { code } })
      .expect(200);
  });
  afterAll(() => h.close());

  it('a user without a factor signs in with the password alone, as before', async () => {
    const response = await login(h, 'bob').expect(200);
    expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
    await h.http.get(`${API}/user-config/own/list/`).set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
  });

  it('a wrong password answers exactly as an unknown user does', async () => {
    const wrong = await h.http.post(LOGIN).send({ username: 'alice', password: 'not-it' }).expect(401);
    const unknown = await h.http.post(LOGIN).send({ username: 'nobody', password: 'not-it' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('unauthenticated');
  });

  it('a user with a factor gets a pending sign-in listing the factors, masked, and no token', async () => {
    const response = await login(h, 'alice').expect(200);
    expect(response.body.access_token).toBeUndefined();
    expect(response.body).toEqual({
      two_factor_required: true,
      sign_in_token: expect.stringMatching(/^tfs_/),
      expires_at: expect.any(String),
      factors: expect.any(Array),
      // Issue 22: a running recovery of the account, or null.
      recovery: null,
    });
    const lifetime = Date.parse(response.body.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(240_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    expect(response.body.factors).toEqual([
      { id: aliceFactor, method: 'dummy', title: 'Dummy', nickname: null, destination: null, created_at: expect.any(String), last_used_at: expect.any(String) },
      {
        id: aliceEmail,
        method: 'email',
        title: 'Email code',
        nickname: null,
        destination: expect.stringMatching(/^a\*+@example\.com$/),
        created_at: expect.any(String),
        last_used_at: expect.any(String),
      },
    ]);
    expect(response.text).not.toContain('alice.factor@');
  });

  it('the whole sign-in over HTTP: request a code by email, confirm it, get a token that works', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    const requested = await requestCode(h, token, aliceEmail).expect(201);
    expect(requested.body).toEqual({
      id: expect.any(String),
      expires_at: expect.any(String),
      attempts_left: 5,
      challenge: { destination: expect.stringMatching(/^a\*+@example\.com$/) },
    });
    const [sent] = (await h.http.get('/api/v1/dev/outbox').query({ to: 'alice.factor@example.com' }).expect(200)).body;
    const code = /\b(\d{6})\b/.exec(sent.text)![1];
    expect(requested.text).not.toContain(code);
    const done = await confirmCode(h, token, code).expect(200);
    expect(done.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
    const listed = await h.http.get(`${API}/user-config/own/list/`).set('Authorization', `Bearer ${done.body.access_token}`).expect(200);
    expect(listed.body.map((item: { id: number }) => item.id)).toEqual([aliceFactor, aliceEmail]);
  });

  it('a pending sign-in whose confirmation is gone (purged) answers not_found and stays pending: a new request completes it', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    const requested = await requestCode(h, token, aliceFactor).expect(201);
    await h.sql('DELETE FROM two_factor_confirmation WHERE id = ?', [requested.body.id]);
    expect((await confirmCode(h, token, 'alice-code').expect(404)).body.code).toBe('not_found');
    await requestCode(h, token, aliceFactor).expect(201);
    expect((await confirmCode(h, token, 'alice-code').expect(200)).body.token_type).toBe('Bearer');
  });

  it('the pending sign-in token reaches no other route: every route of the API refuses it as a bearer token', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    const routes = await everyRoute(h);
    expect(routes.length).toBeGreaterThan(15);
    for (const [method, path] of routes) {
      const response = await (h.http as any)[method](path).set('Authorization', `Bearer ${token}`).send({});
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 401, 'unauthenticated']);
    }
  });

  it('the pending sign-in token is no step-up proof either', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    const response = await h.http
      .post('/api/v1/account/sensitive-action')
      .set(await h.auth('alice'))
      .set('X-Two-Factor-Confirmation', token)
      .expect(403);
    expect(response.body.code).toBe('two_factor_required');
  });

  it('is single use: once completed it can neither request nor confirm again', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    await confirmCode(h, token, 'alice-code').expect(200);
    expect((await requestCode(h, token, aliceFactor).expect(401)).body.code).toBe('sign_in_invalid');
    expect((await confirmCode(h, token, 'alice-code').expect(401)).body.code).toBe('sign_in_invalid');
  });

  it('an expired, unknown or malformed sign-in token: the same 401 sign_in_invalid', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    await h.sql('UPDATE two_factor_sign_in SET expires_at = ?', [Date.now() - 1000]);
    const expired = await confirmCode(h, token, 'alice-code').expect(401);
    const unknown = await confirmCode(h, `tfs_${'x'.repeat(43)}`, 'alice-code').expect(401);
    const malformed = await requestCode(h, '', aliceFactor).expect(401);
    expect(expired.body).toEqual(unknown.body);
    expect(malformed.body).toEqual(unknown.body);
    expect(unknown.body.code).toBe('sign_in_invalid');
  });

  it("belongs to its user: another user's factor is not found, and another user's code fails", async () => {
    bobFactor = await enrolDummy(h, 'bob', 'bob-code');
    const { token } = await pendingSignIn(h, 'alice');
    const others = await requestCode(h, token, bobFactor).expect(404);
    const missing = await requestCode(h, token, 999999).expect(404);
    expect(others.body).toEqual(missing.body);
    await requestCode(h, token, aliceFactor).expect(201);
    const failed = await confirmCode(h, token, 'bob-code').expect(400);
    expect(failed.body.code).toBe('confirmation_failed');
    // Bob's own sign-in is untouched and still needs bob's code.
    const bob = await pendingSignIn(h, 'bob');
    await requestCode(h, bob.token, bobFactor).expect(201);
    await confirmCode(h, bob.token, 'alice-code').expect(400);
    await confirmCode(h, bob.token, 'bob-code').expect(200);
  });

  it('every wrong code counts against the confirmation and the factor, as anywhere else', async () => {
    const key = `uc:${aliceFactor}`;
    const before = Number((await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [key]))[0]?.count ?? 0);
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    expect((await confirmCode(h, token, 'wrong-1').expect(400)).body.details).toEqual({ attempts_left: 4 });
    expect((await confirmCode(h, token, 'wrong-2').expect(400)).body.details).toEqual({ attempts_left: 3 });
    const after = Number((await h.sql('SELECT count FROM two_factor_failure_counter WHERE key = ?', [key]))[0].count);
    expect(after).toBe(before + 2);
    // A success ends the run of failures, as for any confirmation.
    await confirmCode(h, token, 'alice-code').expect(200);
  });

  it('parallel second steps with the right code issue exactly one session', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    const responses = await Promise.all(Array.from({ length: 20 }, () => confirmCode(h, token, 'alice-code')));
    const sessions = responses.filter((response) => response.status === 200);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].body.access_token).toEqual(expect.any(String));
    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
  });

  it('20 parallel second steps straight through SignInService (every read before any write): exactly one completes', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    const signIn = h.app.get(SignInService);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => signIn.confirm(token, { data: { code: 'alice-code' } })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await h.sql('SELECT user_id FROM two_factor_sign_in WHERE token_hash = ?', [new SecretBox(TEST_SECRET).hash(token)])).toEqual([]);
  });

  it('a confirmation requested before another through the same sign-in can no longer complete it', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    await requestCode(h, token, aliceFactor).expect(201);
    await requestCode(h, token, aliceEmail).expect(201);
    // The dummy code fits the first confirmation only; the sign-in now waits for the email code.
    expect((await confirmCode(h, token, 'alice-code').expect(400)).body.code).toBe('confirmation_failed');
    const [sent] = (await h.http.get('/api/v1/dev/outbox').query({ to: 'alice.factor@example.com' }).expect(200)).body;
    await confirmCode(h, token, /\b(\d{6})\b/.exec(sent.text)![1]).expect(200);
  });

  it('locking the only factor with wrong codes does not let the password alone sign in', async () => {
    const adminFactor = await enrolDummy(h, 'admin', 'admin-code');
    // One failure short of the lock (100 in a row), then one more wrong code through the second step.
    await h.sql('INSERT INTO two_factor_failure_counter (key, count, last_failed_at) VALUES (?, 99, 0)', [`uc:${adminFactor}`]);
    const { token } = await pendingSignIn(h, 'admin');
    await requestCode(h, token, adminFactor).expect(201);
    await confirmCode(h, token, 'wrong').expect(400);
    const response = await login(h, 'admin').expect(403);
    expect(response.body.code).toBe('factor_locked');
    expect(response.body.access_token).toBeUndefined();
  });

  it('bad bodies are 400 validation_failed and change nothing', async () => {
    const { token } = await pendingSignIn(h, 'alice');
    for (const body of [
      {},
      { sign_in_token: token },
      { sign_in_token: token, user_config_id: 'x' },
      { sign_in_token: 5, user_config_id: aliceFactor },
      { sign_in_token: 'a'.repeat(500), user_config_id: 1 },
    ]) {
      expect((await h.http.post(`${LOGIN}/request`).send(body).expect(400)).body.code).toBe('validation_failed');
    }
    for (const body of [{ sign_in_token: token }, { sign_in_token: token, data: 'code' }, { sign_in_token: token, data: {}, remember_device: 'yes' }]) {
      expect((await h.http.post(`${LOGIN}/confirm`).send(body).expect(400)).body.code).toBe('validation_failed');
    }
    await requestCode(h, token, aliceFactor).expect(201);
    await confirmCode(h, token, 'alice-code').expect(200);
  });

  it('the factor list tells factors apart, and each backup-code sign-in says how many codes remain (issue 22)', async () => {
    const bob = await h.auth('bob');
    const created = await h.http
      .post(`${API}/user-config/own/create/`)
      .set(bob)
      .set(await stepUpIfNeeded(h, 'bob'))
      .send({ method_config_id: await methodConfigId(h, 'backup_codes'), config: {}, nickname: 'Paper in the drawer' })
      .expect(201);
    const id = created.body.item.id as number;
    const codes = created.body.enrollment.codes as string[];
    const listed = async () => (await pendingSignIn(h, 'bob')).factors.find((factor) => factor.id === id) as Record<string, unknown>;
    expect(await listed()).toEqual({
      id,
      method: 'backup_codes',
      title: 'Paper in the drawer',
      nickname: 'Paper in the drawer',
      destination: null,
      created_at: created.body.item.created_at,
      last_used_at: null,
    });
    // A wrong code is no use.
    const wrong = await pendingSignIn(h, 'bob');
    await requestCode(h, wrong.token, id).expect(201);
    await confirmCode(h, wrong.token, 'aaaaa-aaaaa').expect(400);
    expect((await listed()).last_used_at).toBeNull();

    const before = Date.now();
    for (const [index, code] of codes.slice(0, 3).entries()) {
      const { token } = await pendingSignIn(h, 'bob');
      await requestCode(h, token, id).expect(201);
      const done = await confirmCode(h, token, code).expect(200);
      expect(done.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', remaining: 9 - index });
    }
    expect(Date.parse((await listed()).last_used_at as string)).toBeGreaterThanOrEqual(before);
    // A factor without a set of codes answers no count.
    const { token } = await pendingSignIn(h, 'bob');
    await requestCode(h, token, bobFactor).expect(201);
    expect((await confirmCode(h, token, 'bob-code').expect(200)).body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
  });
});
